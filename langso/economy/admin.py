from django.contrib import admin

from langso.people.admin_scoping import ScopedAdmin, ScopedInline

from .actions.producers import producer_search_key
from .actions.products import product_search_key
from .market_cache import market_changed
from .models import (
    BankAccount,
    Certificate,
    Demand,
    GrowingArea,
    OcopCriteriaSet,
    OcopCriterion,
    OcopDossier,
    OcopEvaluation,
    Offer,
    Producer,
    ProducerMember,
    Product,
    ProductionLinkage,
    ProductPhoto,
)


class MarketChangingAdmin(ScopedAdmin):
    """An admin whose edits change what the market lists (langso/economy/market_cache.py)."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # after save_model, photos too
        market_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        market_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        market_changed()


class MemberInline(ScopedInline):
    model = ProducerMember
    extra = 0
    fields = ("name", "user", "household", "member_role")
    raw_id_fields = ("user", "household")


class BankAccountInline(ScopedInline):
    model = BankAccount
    extra = 0


@admin.register(Producer)
class ProducerAdmin(MarketChangingAdmin):
    unit_field = "commune"
    list_display = ("name", "kind", "commune", "phone")
    list_filter = ("kind",)
    search_fields = ("search_key", "registration_number")
    raw_id_fields = ("hamlet", "household")
    inlines = [MemberInline, BankAccountInline]

    def save_model(self, request, obj, form, change):
        obj.province_code = obj.commune.province_code
        obj.search_key = producer_search_key(obj)
        super().save_model(request, obj, form, change)


class PhotoInline(ScopedInline):
    model = ProductPhoto
    extra = 0


@admin.register(Product)
class ProductAdmin(MarketChangingAdmin):
    unit_field = "producer__commune"
    list_display = ("name", "producer", "ocop_group", "price", "unit", "gtin", "is_listed")
    list_filter = ("ocop_group", "is_listed")
    search_fields = ("search_key", "gtin")
    raw_id_fields = ("producer",)
    inlines = [PhotoInline]

    def save_model(self, request, obj, form, change):
        obj.search_key = product_search_key(obj)
        super().save_model(request, obj, form, change)


@admin.register(GrowingArea)
class GrowingAreaAdmin(ScopedAdmin):
    unit_field = "commune"
    list_display = ("name", "code", "crop", "area_ha", "commune")
    search_fields = ("name", "code")
    filter_horizontal = ("producers",)


@admin.register(Certificate)
class CertificateAdmin(MarketChangingAdmin):
    unit_field = "producer__commune"
    list_display = ("kind", "number", "producer", "star", "valid_from", "valid_to", "revoked_at")
    list_filter = ("kind", "star", "issuing_level")
    search_fields = ("number", "producer__name")
    raw_id_fields = ("producer", "growing_area", "product", "dossier")
    date_hierarchy = "valid_to"


@admin.register(ProductionLinkage)
class LinkageAdmin(ScopedAdmin):
    unit_field = "commune"
    list_display = ("name", "buyer", "uses_digital_technology", "started_on", "ended_on")
    list_filter = ("uses_digital_technology",)
    filter_horizontal = ("suppliers",)
    raw_id_fields = ("buyer", "growing_area", "product")


class EvaluationInline(ScopedInline):
    model = OcopEvaluation
    extra = 0
    readonly_fields = ("evaluator", "level", "part_a", "part_b", "part_c", "total", "star")
    fields = readonly_fields
    can_delete = False


@admin.register(OcopDossier)
class DossierAdmin(ScopedAdmin):
    unit_field = "commune"
    list_display = ("product", "producer", "filed_on", "status", "current_level", "result_star")
    list_filter = ("status", "current_level")
    raw_id_fields = ("product", "producer", "created_by")
    readonly_fields = ("result_total", "result_star", "decided_on")
    inlines = [EvaluationInline]


@admin.register(BankAccount)
class BankAccountAdmin(ScopedAdmin):
    unit_field = "producer__commune"
    list_display = ("producer", "bank_bin", "account_number", "account_name", "is_default")
    raw_id_fields = ("producer",)


class OfferInline(ScopedInline):
    model = Offer
    extra = 0
    raw_id_fields = ("producer", "product", "created_by")


@admin.register(Demand)
class DemandAdmin(ScopedAdmin):
    unit_field = "commune"
    list_display = ("title", "buyer_name", "quantity", "unit", "needed_by", "status")
    list_filter = ("status",)
    raw_id_fields = ("buyer",)
    inlines = [OfferInline]


class CriterionInline(ScopedInline):
    model = OcopCriterion
    extra = 0


@admin.register(OcopCriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    """Configuration data, loaded by `manage.py load_ocop_criteria`; superusers correct it."""

    list_display = (
        "decision",
        "product_group",
        "effective_from",
        "part_a_max",
        "part_b_max",
        "part_c_max",
        "version",
    )
    list_filter = ("decision",)
    inlines = [CriterionInline]
