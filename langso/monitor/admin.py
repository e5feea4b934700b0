"""Admin: the catalogue (national data, Django model permissions) with a "cần xác nhận"
filter so officials find and complete draft items; values, evidence, assessments and unit
classifications scoped to the official's units."""

from django.contrib import admin

from langso.people.admin_scoping import ReadOnlyScopedAdmin, ScopedAdmin, ScopedInline

from .models import (
    Assessment,
    AssessmentStep,
    CriteriaSet,
    Criterion,
    Evidence,
    Indicator,
    IndicatorValue,
    Target,
    Threshold,
    UnitClassification,
)


class CriterionInline(ScopedInline):
    model = Criterion
    extra = 0
    fields = ["number", "name", "group", "order", "to_confirm"]


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "decision", "year_from", "year_to", "scheme", "to_confirm"]
    list_filter = ["to_confirm", "scheme", "is_programme"]
    inlines = [CriterionInline]


class ThresholdInline(ScopedInline):
    model = Threshold
    extra = 0
    fields = [
        "classification",
        "year_from",
        "year_to",
        "province_code",
        "value",
        "basic_value",
        "decision",
        "to_confirm",
    ]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "source",
        "figure_code",
        "comparator",
        "value_kind",
        "rollup_rule",
        "to_confirm",
    ]
    list_filter = ["to_confirm", "source", "criterion__criteria_set"]
    search_fields = ["code", "name", "figure_code"]
    inlines = [ThresholdInline]
    raw_id_fields = ["derived_from"]


@admin.register(Threshold)
class ThresholdAdmin(admin.ModelAdmin):
    list_display = [
        "indicator",
        "classification",
        "year_from",
        "year_to",
        "province_code",
        "value",
        "basic_value",
        "to_confirm",
    ]
    list_filter = ["to_confirm", "province_code", "indicator__criterion__criteria_set"]
    search_fields = ["indicator__code", "indicator__name"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "scope_unit",
        "indicator",
        "comparator",
        "value",
        "deadline",
        "to_confirm",
    ]
    list_filter = ["to_confirm"]
    raw_id_fields = ["scope_unit", "indicator"]


@admin.register(UnitClassification)
class UnitClassificationAdmin(ScopedAdmin):
    unit_field = "unit"
    list_display = ["unit", "scheme", "value", "year_from", "year_to"]
    list_filter = ["scheme", "value"]
    raw_id_fields = ["unit"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ScopedAdmin):
    unit_field = "unit"
    list_display = [
        "unit",
        "indicator",
        "year",
        "numerator",
        "denominator",
        "value",
        "status",
        "source",
        "computed_at",
    ]
    list_filter = ["year", "status", "source"]
    search_fields = ["indicator__code", "unit__search_key"]
    raw_id_fields = ["unit", "indicator", "entered_by"]


@admin.register(Evidence)
class EvidenceAdmin(ScopedAdmin):
    unit_field = "value__unit"
    list_display = ["original_name", "content_type", "value", "uploaded_by", "created_at"]
    raw_id_fields = ["value", "uploaded_by"]


class StepInline(ScopedInline):
    model = AssessmentStep
    extra = 0
    readonly_fields = ["from_status", "to_status", "actor", "at", "comment"]
    can_delete = False


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyScopedAdmin):
    """Read-only here: the workflow moves only through its actions (dashboard buttons)."""

    unit_field = "unit"
    list_display = ["unit", "criteria_set", "year", "status", "recognised_at"]
    list_filter = ["status", "year"]
    readonly_fields = ["unit", "criteria_set", "year", "status", "snapshot", "recognised_at"]
    inlines = [StepInline]
