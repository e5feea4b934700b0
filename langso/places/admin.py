from django.contrib import admin

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
class HamletAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "commune"]
    search_fields = ["name", "search_key"]
    raw_id_fields = ["commune"]
