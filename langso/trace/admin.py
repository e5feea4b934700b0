"""Admin: officials see their communes' batches; events are shown read-only (they are
corrected by a new event, never edited)."""

from django.contrib import admin

from langso.people.admin_scoping import ReadOnlyScopedAdmin, ScopedAdmin

from .models import ApiKey, Batch, ScanCount, TraceEvent
from .permissions import VIEWING_ROLES


@admin.register(Batch)
class BatchAdmin(ScopedAdmin):
    unit_field = "commune"
    scope_roles = VIEWING_ROLES
    list_display = ["lot", "product", "producer", "quantity", "unit", "harvested_on", "labelled"]
    list_filter = ["labelled"]
    search_fields = ["lot", "product__name", "producer__name", "gtin"]
    readonly_fields = ["public_id", "gtin", "version", "created_by"]
    raw_id_fields = ["product", "producer", "growing_area"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TraceEvent)
class TraceEventAdmin(ReadOnlyScopedAdmin):
    unit_field = "producer__commune"
    scope_roles = VIEWING_ROLES
    list_display = [
        "event_time",
        "kind",
        "biz_step",
        "disposition",
        "producer",
        "is_error_declaration",
    ]
    list_filter = ["kind", "is_error_declaration"]
    search_fields = ["event_id", "epcs"]
    deletable = False


@admin.register(ScanCount)
class ScanCountAdmin(ReadOnlyScopedAdmin):
    unit_field = "batch__commune"
    scope_roles = VIEWING_ROLES
    list_display = ["batch", "day", "province_code", "count"]


@admin.register(ApiKey)
class ApiKeyAdmin(ScopedAdmin):
    unit_field = "producer__commune"
    list_display = ["name", "producer", "prefix", "created_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "created_by"]
    fields = ["producer", "name", "prefix", "revoked_at", "created_by"]

    def has_add_permission(self, request):
        return False  # keys are issued with `manage.py trace_api_key`, shown once
