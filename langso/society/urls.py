from django.urls import path

from . import views

app_name = "society"
urlpatterns = [
    path("ban-do/", views.map_page, name="map"),
    path("dia-chi/", views.address_lookup, name="address_lookup"),
    path("dia-chi/cap-ma/", views.address_issue, name="address_issue"),
    path("dia-chi/ho/<int:household_id>/dinh-vi/", views.address_place, name="address_place"),
    path("dia-chi/<str:code>/", views.address_detail, name="address_detail"),
    path("suc-khoe/", views.health_home, name="health_home"),
    path("suc-khoe/dong-y/", views.health_consents, name="health_consents"),
    path("suc-khoe/<int:resident_id>/", views.health_record, name="health_record"),
    path("moi-truong/", views.stations, name="stations"),
    path("moi-truong/<slug:code>/", views.station_detail, name="station"),
    path("to-cong-nghe/ghi-nhan/", views.help_log, name="help_log"),
    path("to-cong-nghe/ghi-nhan/sw.js", views.help_log_sw, name="help_log_sw"),
    path("tap-huan/", views.training, name="training"),
    path("tap-huan/nhap-excel/", views.training_import, name="training_import"),
    path("tap-huan/mau-diem-danh.xlsx", views.training_template, name="training_template"),
    path("tap-huan/buoi/<int:session_id>/", views.training_session, name="training_session"),
    path(
        "tap-huan/buoi/<int:session_id>/xoa/",
        views.training_session_delete,
        name="training_session_delete",
    ),
]
