from django.contrib import admin

from langso.people.admin_scoping import ScopedAdmin

from .models import Document
from .permissions import REGISTER_ROLES


@admin.register(Document)
class DocumentAdmin(ScopedAdmin):
    """Read-mostly: a signed file must never be edited in place, so the admin shows the
    register and lets officials correct the recipient only. New documents are issued from
    the register pages, which sign them."""

    unit_field = "commune"
    scope_roles = frozenset(REGISTER_ROLES)
    list_display = (
        "reference",
        "title",
        "kind",
        "commune",
        "signed_at",
        "signature_level",
        "created_at",
    )
    list_filter = ("kind", "source", "signature_level")
    search_fields = ("reference", "title", "search_key", "sha256")
    date_hierarchy = "created_at"
    list_select_related = ("commune",)
    readonly_fields = (
        "public_id",
        "commune",
        "title",
        "kind",
        "reference",
        "source",
        "file",
        "size",
        "sha256",
        "signed_at",
        "signer_name",
        "signer_serial",
        "signature_level",
        "created_by",
        "created_at",
    )
    fields = (*readonly_fields[:5], "recipient", *readonly_fields[5:])

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # The register is a record: issued documents are not deleted.
        return request.user.is_superuser and super().has_delete_permission(request, obj)
