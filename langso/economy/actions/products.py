from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from langso.core import gs1
from langso.core.exceptions import ValidationFailed
from langso.core.uploads import IMAGES, ImageTooLarge, check_upload
from langso.core.validation import validate

from ..exceptions import InvalidGtin
from ..market_cache import market_changed
from ..models import OcopGroup, Producer, Product, ProductPhoto
from ..ocop_rules import subgroups
from ._common import (
    AuditAction,
    apply_changes,
    fold,
    record_change,
    require_editor,
)

PRODUCT_FIELDS = {
    "name",
    "ocop_group",
    "ocop_subgroup",
    "description",
    "unit",
    "price",
    "gtin",
    "stock",
    "is_listed",
}
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_SIDE = 6000

GTIN_MESSAGES = {
    "not_digits": "Mã GTIN chỉ gồm chữ số.",
    "bad_length": "Mã GTIN phải có 8, 12, 13 hoặc 14 chữ số.",
    "bad_check_digit": "Số kiểm tra của mã GTIN không đúng.",
}


def product_search_key(product: Product) -> str:
    return fold(f"{product.name} {product.description[:100]}")[:300]


def clean_gtin(value: str) -> str:
    if not value:
        return ""
    try:
        return gs1.normalize_gtin(value)
    except gs1.InvalidKey as exc:
        raise InvalidGtin(_(GTIN_MESSAGES[str(exc)]), reason=str(exc)) from exc


def _check_product(product: Product) -> None:
    if product.ocop_group and product.ocop_group not in OcopGroup.values:
        raise ValidationFailed(_("Nhóm sản phẩm OCOP không hợp lệ."))
    if product.ocop_subgroup:
        codes = {s["code"] for s in subgroups().get(product.ocop_group, [])}
        if product.ocop_subgroup not in codes:
            raise ValidationFailed(_("Phân nhóm không thuộc nhóm sản phẩm đã chọn."))
    if product.price is not None and Decimal(product.price) < 0:
        raise ValidationFailed(_("Giá không được âm."))


@transaction.atomic
def create_product(*, actor, producer: Producer, name: str, **fields) -> Product:
    require_editor(actor, producer)
    product = Product(producer=producer, name=name.strip())
    if "gtin" in fields:
        fields["gtin"] = clean_gtin(fields["gtin"])
    apply_changes(product, fields, PRODUCT_FIELDS)
    _check_product(product)
    product.search_key = product_search_key(product)
    validate(product, exclude=["photo"])
    product.save()
    record_change(actor=actor, action=AuditAction.CREATE, target=product)
    market_changed()
    return product


@transaction.atomic
def update_product(*, actor, product: Product, **changes) -> Product:
    require_editor(actor, product.producer)
    product = Product.objects.select_for_update().get(pk=product.pk)
    if "gtin" in changes:
        changes["gtin"] = clean_gtin(changes["gtin"])
    changed = apply_changes(product, changes, PRODUCT_FIELDS)
    if not changed:
        return product
    _check_product(product)
    product.search_key = product_search_key(product)
    validate(product, exclude=["photo"])
    product.save(update_fields=[*changed, "search_key", "updated_at"])
    record_change(actor=actor, action=AuditAction.UPDATE, target=product, changed=changed)
    market_changed()
    return product


def check_image(upload) -> str:
    """Check the upload by content (langso.core.uploads); returns the extension of its real
    format."""
    checked = check_upload(upload, kinds=IMAGES, max_bytes=MAX_IMAGE_BYTES)
    if max(checked.width, checked.height) > MAX_IMAGE_SIDE:
        raise ImageTooLarge(_("Ảnh quá lớn (tối đa 6000 điểm ảnh mỗi chiều)."))
    return checked.extension


@transaction.atomic
def add_product_photo(*, actor, product: Product, upload, caption: str = "") -> ProductPhoto:
    require_editor(actor, product.producer)
    ext = check_image(upload)
    upload.name = f"{product.public_id.hex[:12]}.{ext}"
    position = product.photos.count()
    photo = ProductPhoto(
        product=product, image=upload, caption=caption.strip()[:200], position=position
    )
    photo.save()
    record_change(actor=actor, action=AuditAction.CREATE, target=photo)
    market_changed()
    return photo


@transaction.atomic
def delete_product_photo(*, actor, photo: ProductPhoto) -> None:
    require_editor(actor, photo.product.producer)
    record_change(actor=actor, action=AuditAction.DELETE, target=photo)
    storage, name = photo.image.storage, photo.image.name
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))
    market_changed()
