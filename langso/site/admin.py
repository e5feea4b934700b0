from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from langso.core.models import AuditEvent
from langso.people.audit_queries import audit_events_visible_to, can_read_audit_log

admin.site.site_header = _("Làng Số — Quản trị")
admin.site.site_title = _("Làng Số")
admin.site.index_title = _("Quản trị dữ liệu")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = [
        "at",
        "actor_repr",
        "action",
        "object_type",
        "object_repr",
        "unit",
        "purpose",
        "ip_address",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_repr", "object_repr", "object_id"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        return audit_events_visible_to(request.user)

    def has_module_permission(self, request):
        return request.user.is_staff and can_read_audit_log(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
