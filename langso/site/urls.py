from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-nhap/sso/<slug:provider>/", views.sso_start, name="sso_start"),
    path("dang-nhap/sso/<slug:provider>/callback/", views.sso_callback, name="sso_callback"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("nhat-ky/", views.audit_log, name="audit_log"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics, name="metrics"),
]
