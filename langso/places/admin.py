from django.contrib import admin

from langso.core.admin_scoping import ScopedAdmin
from langso.core.text import fold
from langso.people.models import Role

from .models import AdminUnit, Hamlet, UnitSuccession


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "structure", "parent", "province_code"]
    list_filter = ["structure", "level"]
    search_fields = ["code", "name", "search_key"]
    readonly_fields = [f.name for f in AdminUnit._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ["legacy", "successor", "is_primary", "effective_date"]
    raw_id_fields = ["legacy", "successor"]
    search_fields = ["legacy__search_key", "successor__search_key"]


@admin.register(Hamlet)
class HamletAdmin(ScopedAdmin):
    """Each commune keeps its own list of hamlets; a province officer sees the province's."""

    unit_field = "commune"
    scope_roles = frozenset({Role.COMMUNE_LEADER, Role.COMMUNE_OFFICIAL, Role.PROVINCE_OFFICER})
    list_display = ["name", "kind", "code", "commune"]
    list_select_related = ["commune__parent"]
    search_fields = ["name", "search_key", "code"]
    fields = ["commune", "code", "name", "kind", "latitude", "longitude"]

    def save_model(self, request, obj, form, change):
        obj.search_key = fold(obj.name)
        super().save_model(request, obj, form, change)
