"""Admin for households, residents and roles, scoped like the pages: an official sees only
their unit's rows. Citizen IDs stay masked for anyone without the right; showing one in a
change form is logged as a read."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from langso.core import audit
from langso.people.admin_scoping import ScopedAdmin

from .actions import assign_role, revoke_role
from .models import PERSONAL_DATA_ROLES, Household, Resident, Role, RoleAssignment, User
from .permissions import holds_role, scoped_unit_ids
from .queries import can_see_citizen_id
from .search_keys import household_search_key, resident_search_key

ADMIN_READ_PURPOSE = "Quản trị: xem hồ sơ nhân khẩu"


class PopulationAdmin(ScopedAdmin):
    """Officials look here; households and residents are written on the people pages (their
    actions check citizen ids, keep the head and the search keys). Superusers repair."""

    unit_field = "commune"
    scope_roles = PERSONAL_DATA_ROLES


@admin.register(Household)
class HouseholdAdmin(PopulationAdmin):
    list_display = ["code", "head_name", "hamlet", "address_line", "commune"]
    list_select_related = ["commune__parent", "hamlet", "head"]
    list_filter = ["hamlet"]
    search_fields = ["code", "search_key"]
    fields = ["commune", "code", "hamlet", "address_line", "head", "latitude", "longitude"]
    raw_id_fields = ["head"]

    @admin.display(description=_("chủ hộ"))
    def head_name(self, obj):
        return obj.head.full_name if obj.head_id else "—"

    def save_model(self, request, obj, form, change):
        obj.province_code = obj.commune.province_code
        obj.search_key = household_search_key(
            obj.code, obj.address_line, obj.head.full_name if obj.head_id else ""
        )
        super().save_model(request, obj, form, change)


@admin.register(Resident)
class ResidentAdmin(PopulationAdmin):
    list_display = ["full_name", "household", "masked_id", "sex", "date_of_birth", "commune"]
    list_select_related = ["household", "commune__parent"]
    list_filter = ["sex", "relation_to_head"]
    search_fields = ["search_key", "household__code"]
    raw_id_fields = ["household"]
    readonly_fields = ["masked_id"]

    @admin.display(description=_("số CCCD"))
    def masked_id(self, obj):
        return obj.masked_citizen_id or "—"

    def _full_id_allowed(self, request, obj) -> bool:
        if obj is None:
            return request.user.is_superuser
        return can_see_citizen_id(request.user, obj)

    def get_fields(self, request, obj=None):
        base = ["household", "full_name", "sex", "date_of_birth", "phone", "relation_to_head"]
        if self._full_id_allowed(request, obj):
            return [*base, "citizen_id"]
        return [*base, "masked_id"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and getattr(response, "status_code", 0) == 200:
            obj = self.get_queryset(request).filter(pk=object_id).first()
            if obj is not None and obj.citizen_id and self._full_id_allowed(request, obj):
                audit.record_read(
                    actor=request.user,
                    target=obj,
                    fields=["citizen_id"],
                    purpose=ADMIN_READ_PURPOSE,
                )
        return response

    def save_model(self, request, obj, form, change):
        obj.commune_id = obj.household.commune_id
        obj.province_code = obj.household.province_code
        obj.search_key = resident_search_key(obj.full_name)
        super().save_model(request, obj, form, change)


# Roles a commune leader may grant; higher-level roles are granted by province or superusers.
COMMUNE_GRANTABLE = [
    Role.COMMUNE_LEADER,
    Role.COMMUNE_OFFICIAL,
    Role.HEALTH_WORKER,
    Role.DIGITAL_TEAM_MEMBER,
    Role.PRODUCER,
    Role.RESIDENT,
]
ROLE_GRANTERS = frozenset({Role.COMMUNE_LEADER, Role.PROVINCE_OFFICER})


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedAdmin):
    unit_field = "unit"
    list_display = ["user", "role", "unit", "household", "title"]
    list_select_related = ["user", "unit__parent", "household"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "title"]
    raw_id_fields = ["user", "household"]

    # Leaders grant and revoke roles here, through assign_role / revoke_role; a role is
    # changed by revoking it and granting another (superusers may edit one in place).
    official_writes = frozenset({"add", "delete"})

    def _may_write(self, request, kind: str, obj=None) -> bool:
        user = request.user
        if not super()._may_write(request, kind, obj):
            return False
        if user.is_superuser:
            return True
        if obj is not None:
            return holds_role(user, ROLE_GRANTERS, obj.unit) and obj.user_id != user.pk
        return bool(scoped_unit_ids(user, ROLE_GRANTERS))

    def save_model(self, request, obj, form, change):
        if change:  # superusers only (official_writes)
            return super().save_model(request, obj, form, change)
        saved = assign_role(
            actor=request.user,
            user=obj.user,
            role=obj.role,
            unit=obj.unit,
            household=obj.household,
            title=obj.title,
        )
        obj.pk = saved.pk
        obj._state.adding = False
        return None

    def delete_model(self, request, obj):
        revoke_role(actor=request.user, assignment=obj)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if (
            db_field.name == "role"
            and not request.user.is_superuser
            and not (scoped_unit_ids(request.user, [Role.PROVINCE_OFFICER]))
        ):
            kwargs["choices"] = [(r.value, r.label) for r in COMMUNE_GRANTABLE]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(User)
class LangSoUserAdmin(UserAdmin):
    """Accounts are managed by system administrators only."""

    fieldsets = (*(UserAdmin.fieldsets or ()), (_("Liên hệ"), {"fields": ("phone",)}))

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
