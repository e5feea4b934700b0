from django.urls import path

from .views import dashboards, reports, scope, workflow

app_name = "monitor"
urlpatterns = [
    path("", dashboards.commune_dashboard, name="commune_dashboard"),
    path("xa/<str:code>/", dashboards.commune_dashboard, name="commune_detail"),
    path("xa/<str:code>/bao-cao.<str:fmt>", reports.commune_report, name="commune_report"),
    path(
        "xa/<str:code>/<int:year>/nhap/<str:indicator_code>/",
        workflow.enter_value,
        name="enter_value",
    ),
    path(
        "xa/<str:code>/<int:year>/tu-danh-gia/", workflow.start_assessment, name="assessment_start"
    ),
    path("danh-gia/<int:assessment_id>/", workflow.move_assessment, name="assessment_move"),
    path(
        "danh-gia/<int:assessment_id>/cong-nhan-ngoai-le/",
        workflow.override_recognition,
        name="assessment_override",
    ),
    path("tinh/", dashboards.province_dashboard, name="province_dashboard"),
    path("tinh/<str:code>/", dashboards.province_dashboard, name="province_detail"),
    path("tinh/<str:code>/bao-cao.<str:fmt>", reports.province_report, name="province_report"),
    path("tinh/<str:code>/pham-vi/", scope.programme_scope, name="programme_scope"),
    path("so-lieu/<int:value_id>/", dashboards.how_computed, name="how_computed"),
    path("minh-chung/<int:evidence_id>/", dashboards.evidence_file, name="evidence"),
]
