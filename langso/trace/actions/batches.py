"""Creating batches, marking them labelled, issuing API keys."""

import hashlib
import secrets
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from langso.core import gs1
from langso.core.audit import record_change
from langso.core.exceptions import PermissionDenied, ValidationFailed
from langso.core.models import AuditAction
from langso.core.validation import validate

from .. import exceptions as codes
from ..identifiers import is_valid_lot
from ..models import ApiKey, Batch
from ..permissions import can_manage_producer

UOM_BY_UNIT = {
    "kg": "KGM",
    "g": "GRM",
    "tấn": "TNE",
    "l": "LTR",
    "lít": "LTR",
    "hộp": "H87",
    "gói": "H87",
    "chai": "H87",
    "cái": "H87",
    "túi": "H87",
}


@transaction.atomic
def create_batch(
    *,
    actor,
    product,
    lot: str,
    quantity: Decimal,
    unit: str = "",
    growing_area=None,
    planted_on: date | None = None,
    harvested_on: date | None = None,
    packed_on: date | None = None,
    expires_on: date | None = None,
) -> Batch:
    producer = product.producer
    if not can_manage_producer(actor, producer):
        raise PermissionDenied(_("Bạn không có quyền tạo lô cho chủ thể này."))
    lot = (lot or "").strip()
    if not is_valid_lot(lot):
        raise ValidationFailed(
            _("Số lô phải có 1–20 ký tự chữ không dấu, số hoặc ký hiệu GS1 (không dấu cách)."),
            code=codes.INVALID_LOT,
        )
    gtin = ""
    if product.gtin:
        try:
            gtin = gs1.normalize_gtin(product.gtin)
        except ValueError as exc:
            raise ValidationFailed(
                _("Mã GTIN của sản phẩm không hợp lệ (sai số kiểm tra hoặc độ dài)."),
                code=codes.INVALID_GTIN,
            ) from exc
    if (
        growing_area is not None
        and growing_area.commune_id != producer.commune_id
        and not growing_area.producers.filter(pk=producer.pk).exists()
    ):
        raise ValidationFailed(
            _("Vùng trồng này không thuộc chủ thể sản xuất."), code="trace.foreign_growing_area"
        )
    unit = unit or product.unit or "kg"
    batch = Batch(
        product=product,
        producer=producer,
        commune=producer.commune,
        gtin=gtin,
        lot=lot,
        quantity=Decimal(quantity),
        unit=unit,
        uom=UOM_BY_UNIT.get(unit.lower(), "KGM" if unit == "kg" else "H87"),
        growing_area=growing_area,
        planted_on=planted_on,
        harvested_on=harvested_on,
        packed_on=packed_on,
        expires_on=expires_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    batch.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            batch.save()
    except IntegrityError as exc:
        raise ValidationFailed(
            _("Sản phẩm này đã có lô số %(lot)s.") % {"lot": lot}, code=codes.DUPLICATE_LOT
        ) from exc
    record_change(
        actor=actor, action=AuditAction.CREATE, target=batch, changed=["product", "lot", "quantity"]
    )
    return batch


@transaction.atomic
def mark_labelled(*, actor, batch: Batch) -> Batch:
    if not can_manage_producer(actor, batch.producer):
        raise PermissionDenied(_("Bạn không có quyền in tem cho lô này."))
    if not batch.labelled:
        batch.labelled = True
        batch.save(update_fields=["labelled", "updated_at"])
        record_change(actor=actor, action=AuditAction.UPDATE, target=batch, changed=["labelled"])
    return batch


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_api_key(*, actor, producer, name: str) -> tuple[ApiKey, str]:
    """Returns the stored key and the secret, which is shown once and never stored."""
    if not can_manage_producer(actor, producer):
        raise PermissionDenied(_("Bạn không có quyền cấp khoá API cho chủ thể này."))
    secret = "lst_" + secrets.token_urlsafe(32)
    key = ApiKey(
        producer=producer,
        name=name,
        prefix=secret[4:12],
        key_hash=hash_key(secret),
        created_by=actor,
    )
    validate(key)
    key.save()
    record_change(actor=actor, action=AuditAction.CREATE, target=key, changed=["name"])
    return key, secret
