from django.contrib import admin

from langso.people.admin_scoping import ScopedAdmin

from .actions import HAMLET_KEEPERS, save_hamlet
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
    scope_roles = HAMLET_KEEPERS
    list_display = ["name", "kind", "code", "commune"]
    list_select_related = ["commune__parent"]
    search_fields = ["name", "search_key", "code"]
    fields = ["commune", "code", "name", "kind", "latitude", "longitude"]

    # Officials keep their communes' hamlets here, through save_hamlet.
    official_writes = frozenset({"add", "change"})

    def save_model(self, request, obj, form, change):
        saved = save_hamlet(
            actor=request.user,
            commune=obj.commune,
            code=obj.code,
            name=obj.name,
            kind=obj.kind,
            latitude=obj.latitude,
            longitude=obj.longitude,
            hamlet=obj if change else None,
        )
        obj.pk = saved.pk
        obj._state.adding = False
