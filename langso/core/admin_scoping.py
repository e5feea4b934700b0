"""Base ModelAdmin for unit-scoped data: an official sees and edits in the admin exactly
what `unit_scope_q` lets them see elsewhere, and every change is audit-logged."""

from django.contrib import admin

from langso.people.models import OFFICIAL_ROLES

from . import audit
from .models import AuditAction
from .permissions import is_official, scoped_unit_ids, unit_scope_q


class ScopedAdmin(admin.ModelAdmin):
    #: path from the model to a commune-level AdminUnit FK, e.g. "commune" or "producer__commune"
    unit_field = "commune"
    #: roles that give access to this model in the admin
    scope_roles = OFFICIAL_ROLES

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.filter(unit_scope_q(request.user, self.unit_field, self.scope_roles))

    def _allowed(self, request, obj=None) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        if user.is_superuser:
            return True
        if not scoped_unit_ids(user, self.scope_roles):
            return False
        if obj is not None:
            return self.get_queryset(request).filter(pk=obj.pk).exists()
        return is_official(user)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        from langso.places.models import AdminUnit

        if db_field.related_model is AdminUnit and not request.user.is_superuser:
            kwargs["queryset"] = AdminUnit.objects.filter(
                unit_scope_q(request.user, "self", self.scope_roles)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record_change(
            actor=request.user,
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            target=obj,
            changed=form.changed_data if form else (),
        )

    def delete_model(self, request, obj):
        audit.record_change(actor=request.user, action=AuditAction.DELETE, target=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record_change(actor=request.user, action=AuditAction.DELETE, target=obj)
        super().delete_queryset(request, queryset)


class ReadOnlyScopedAdmin(ScopedAdmin):
    """Unit-scoped records that only actions may write (history, deliveries, counters):
    officials may look, never add or change; `deletable = False` also refuses deletes."""

    deletable = True

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.deletable and super().has_delete_permission(request, obj)
