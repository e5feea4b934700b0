from django.contrib import admin

from langso.core.text import fold
from langso.people.admin_scoping import ReadOnlyScopedAdmin, ScopedAdmin, ScopedInline

from .actions.catalogue import procedure_search_key
from .models import ApologySlip, Dossier, DossierEvent, DossierFile, Holiday, Procedure, Rating
from .permissions import DESK_ROLES, READ_ROLES


@admin.register(Procedure)
class ProcedureAdmin(ScopedAdmin):
    unit_field = "commune"
    scope_roles = DESK_ROLES
    list_display = [
        "code",
        "name",
        "field",
        "processing_time",
        "time_unit",
        "online_level",
        "fee",
        "is_active",
        "commune",
    ]
    list_filter = ["field", "online_level", "is_active"]
    search_fields = ["code", "search_key"]

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))

    def save_model(self, request, obj, form, change):
        obj.search_key = procedure_search_key(obj)
        super().save_model(request, obj, form, change)


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """National calendar: superusers (or staff with the model permission) edit it."""

    list_display = ["date", "name", "kind"]
    list_filter = ["kind"]
    date_hierarchy = "date"


class EventInline(ScopedInline):
    model = DossierEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor_name", "action", "from_state", "to_state", "comment")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


class FileInline(ScopedInline):
    model = DossierFile
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "original_name", "content_type", "size", "uploaded_at")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(ReadOnlyScopedAdmin):
    """Read-only: dossiers change only through the desk's actions (state machine)."""

    unit_field = "commune"
    scope_roles = READ_ROLES
    list_display = [
        "receipt_code",
        "procedure",
        "applicant_name",
        "channel",
        "state",
        "submitted_at",
        "due_at",
        "timeliness",
    ]
    list_filter = ["state", "channel", "timeliness"]
    search_fields = ["receipt_code", "applicant_name"]
    inlines = [FileInline, EventInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Dossier._meta.fields]

    deletable = False


@admin.register(Rating)
class RatingAdmin(ReadOnlyScopedAdmin):
    unit_field = "dossier__commune"
    scope_roles = READ_ROLES
    list_display = ["dossier", "level", "channel", "rated_at"]
    list_filter = ["level", "channel"]


@admin.register(ApologySlip)
class ApologySlipAdmin(ReadOnlyScopedAdmin):
    unit_field = "dossier__commune"
    scope_roles = READ_ROLES
    list_display = ["dossier", "issued_at", "previous_due_at", "new_due_at"]
