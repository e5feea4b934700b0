"""Admin for officials: each model scoped to the official's communes via ScopedAdmin.
Health records are not here on purpose: they are read through the logged health pages."""

from django.contrib import admin

from langso.people.admin_scoping import ScopedAdmin, ScopedInline

from . import models as m


class SocietyAdmin(ScopedAdmin):
    pass


class Inline(ScopedInline):
    extra = 0


class FeatureInline(Inline):
    model = m.MapFeature
    extra = 0
    fields = ["name", "geometry", "description", "photo", "is_active"]


@admin.register(m.MapLayer)
class MapLayerAdmin(SocietyAdmin):
    list_display = ["name", "commune", "slug", "source", "visibility", "position"]
    list_filter = ["visibility", "source"]
    inlines = [FeatureInline]


@admin.register(m.MapFeature)
class MapFeatureAdmin(SocietyAdmin):
    unit_field = "layer__commune"
    list_display = ["name", "layer", "is_active"]
    list_filter = ["layer__slug"]
    search_fields = ["name"]


class AliasInline(Inline):
    model = m.AddressAlias
    extra = 0


@admin.register(m.DigitalAddress)
class DigitalAddressAdmin(SocietyAdmin):
    list_display = ["code", "olc", "commune", "valid_from", "valid_to"]
    search_fields = ["code", "olc", "household__code"]
    readonly_fields = ["code", "olc", "household", "placed_by"]
    inlines = [AliasInline]

    def has_add_permission(self, request):
        return False  # codes are issued by place_address_point / issue_addresses


@admin.register(m.Station)
class StationAdmin(SocietyAdmin):
    list_display = ["name", "code", "kind", "commune", "is_active"]
    list_filter = ["kind"]


@admin.register(m.Reading)
class ReadingAdmin(SocietyAdmin):
    unit_field = "station__commune"
    list_display = ["station", "parameter", "observed_at", "value", "within_limits", "source"]
    list_filter = ["within_limits", "source", "parameter"]
    date_hierarchy = "observed_at"
    readonly_fields = ["limit", "within_limits", "client_id", "entered_by"]


@admin.register(m.Alert)
class AlertAdmin(SocietyAdmin):
    unit_field = "station__commune"
    list_display = ["message", "station", "created_at", "acknowledged_at"]
    readonly_fields = ["reading", "station", "message"]


@admin.register(m.Parameter)
class ParameterAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit"]


@admin.register(m.Limit)
class LimitAdmin(admin.ModelAdmin):
    list_display = [
        "standard",
        "parameter",
        "station_kind",
        "min_value",
        "max_value",
        "valid_from",
        "valid_to",
        "to_confirm",
    ]
    list_filter = ["standard", "to_confirm"]


class MemberInline(Inline):
    model = m.TeamMember
    extra = 0
    raw_id_fields = ["user", "resident"]


class TeamHouseholdInline(Inline):
    model = m.TeamHousehold
    extra = 0
    raw_id_fields = ["household"]


@admin.register(m.DigitalTeam)
class DigitalTeamAdmin(SocietyAdmin):
    list_display = ["name", "hamlet", "commune"]
    inlines = [MemberInline, TeamHouseholdInline]


@admin.register(m.HelpSession)
class HelpSessionAdmin(SocietyAdmin):
    unit_field = "team__commune"
    list_display = ["occurred_at", "team", "topic", "household", "helper"]
    list_filter = ["topic"]
    raw_id_fields = ["household"]


class TrainingSessionInline(Inline):
    model = m.TrainingSession
    extra = 0


@admin.register(m.Course)
class CourseAdmin(SocietyAdmin):
    unit_field = "unit"
    list_display = ["title", "unit", "hours"]
    inlines = [TrainingSessionInline]


class AttendanceInline(Inline):
    model = m.Attendance
    extra = 0
    raw_id_fields = ["user", "resident"]
    official_access = frozenset({"view"})


@admin.register(m.TrainingSession)
class TrainingSessionAdmin(SocietyAdmin):
    """Read-only for officials: they create sessions and take attendance on their page
    (/society/tap-huan/, through langso.society.actions.training); superusers may correct."""

    unit_field = "course__unit"
    list_display = ["course", "held_on", "audience", "place"]
    inlines = [AttendanceInline]


@admin.register(m.DiseaseCase)
class DiseaseCaseAdmin(SocietyAdmin):
    scope_roles = frozenset({"health_worker"})
    list_display = ["disease", "hamlet", "reported_on"]
    raw_id_fields = ["resident"]
