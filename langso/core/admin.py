from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent

admin.site.site_header = _("Làng Số — Quản trị")
admin.site.site_title = _("Làng Số")
admin.site.index_title = _("Quản trị dữ liệu")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_repr", "action", "object_type", "object_repr", "unit",
                    "purpose", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_repr", "object_repr", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
