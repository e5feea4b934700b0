from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("", views.register, name="register"),
    path("new/", views.write, name="write"),
    path("upload/", views.upload, name="upload"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/download/", views.download, name="download"),
    path("<uuid:public_id>/sign/", views.sign, name="sign"),
]
