from django.urls import path

from . import views
from .feeds import AnnouncementsAtom, AnnouncementsRss

app_name = "engage"
urlpatterns = [
    path("", views.index, name="index"),
    path("directory/", views.directory, name="directory"),
    path("directory/me/", views.directory_me, name="directory_me"),
    path("announcements/", views.announcements, name="announcements"),
    path("announcements/rss/", AnnouncementsRss(), name="announcements_rss"),
    path("announcements/atom/", AnnouncementsAtom(), name="announcements_atom"),
    path("announcements/new/", views.announcement_new, name="announcement_new"),
    path("announcements/<uuid:public_id>/", views.announcement_detail, name="announcement_detail"),
    path(
        "announcements/<uuid:public_id>/withdraw/",
        views.announcement_withdraw,
        name="announcement_withdraw",
    ),
    path(
        "announcements/<uuid:public_id>/deliveries/",
        views.announcement_deliveries,
        name="announcement_deliveries",
    ),
    path("subscription/", views.subscription, name="subscription"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("surveys/", views.surveys, name="surveys"),
    path("surveys/new/", views.survey_new, name="survey_new"),
    path("surveys/<uuid:public_id>/", views.survey_answer, name="survey_answer"),
    path("surveys/<uuid:public_id>/thanks/", views.survey_thanks, name="survey_thanks"),
    path("surveys/<uuid:public_id>/relevance/", views.survey_relevance, name="survey_relevance"),
    path("surveys/<uuid:public_id>/edit/", views.survey_edit, name="survey_edit"),
    path("surveys/<uuid:public_id>/results/", views.survey_results, name="survey_results"),
    path("surveys/<uuid:public_id>/export.<str:fmt>", views.survey_export, name="survey_export"),
    path("feedback/", views.feedback_public, name="feedback_public"),
    path("feedback/new/", views.feedback_new, name="feedback_new"),
    path("feedback/sent/<str:code>/", views.feedback_sent, name="feedback_sent"),
    path("feedback/follow/", views.feedback_follow, name="feedback_follow"),
    path("feedback/manage/", views.feedback_manage, name="feedback_manage"),
    path("feedback/manage/<str:code>/", views.feedback_handle, name="feedback_handle"),
    path(
        "feedback/manage/<str:code>/anh/<int:photo_id>/",
        views.feedback_photo,
        name="feedback_photo",
    ),
]
