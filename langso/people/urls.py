from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.household_list, name="households"),
    path("ho/moi/", views.household_create, name="household_create"),
    path("ho/<int:pk>/", views.household_detail, name="household_detail"),
    path("ho/<int:pk>/sua/", views.household_edit, name="household_edit"),
    path("ho/<int:household_pk>/them-nhan-khau/", views.resident_create, name="resident_create"),
    path("nhan-khau/<int:pk>/", views.resident_detail, name="resident_detail"),
    path("nhan-khau/<int:pk>/sua/", views.resident_edit, name="resident_edit"),
    path("nhan-khau/<int:pk>/xem-cccd/", views.resident_reveal, name="resident_reveal"),
    path("nhap/", views.import_page, name="import"),
    path("nhap/mau-nhap-dan-cu.xlsx", views.import_template, name="import_template"),
    path("xuat/", views.export, name="export"),
]
