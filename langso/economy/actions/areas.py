from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from langso.core.exceptions import PermissionDenied, ValidationFailed
from langso.core.uploads import SCANS, check_upload
from langso.core.validation import validate

from ..exceptions import InvalidGeometry
from ..market_cache import market_changed
from ..models import Certificate, CertificateKind, GrowingArea, Producer
from ..permissions import is_commune_editor
from ._common import AuditAction, record_change, require_editor

# Vietnam's mainland and islands, generously.
LAT_RANGE = (7.0, 24.0)
LON_RANGE = (101.0, 118.0)


def _check_position(lon, lat) -> None:
    if not (isinstance(lon, int | float) and isinstance(lat, int | float)):
        raise InvalidGeometry(_("Toạ độ phải là số."))
    if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
        raise InvalidGeometry(
            _("Toạ độ nằm ngoài lãnh thổ Việt Nam (kiểm tra thứ tự kinh độ, vĩ độ).")
        )


def _check_ring(ring) -> None:
    if not isinstance(ring, list) or len(ring) < 4:
        raise InvalidGeometry(_("Mỗi vòng của đa giác cần ít nhất 4 điểm."))
    for pos in ring:
        if not isinstance(pos, list) or len(pos) < 2:
            raise InvalidGeometry(_("Toạ độ không đúng định dạng GeoJSON [kinh độ, vĩ độ]."))
        _check_position(pos[0], pos[1])
    if ring[0][:2] != ring[-1][:2]:
        raise InvalidGeometry(_("Đa giác phải khép kín (điểm cuối trùng điểm đầu)."))


def clean_geometry(geometry: dict | None) -> dict | None:
    """Accept a GeoJSON Point, Polygon or MultiPolygon (or a Feature holding one)."""
    if not geometry:
        return None
    if not isinstance(geometry, dict):
        raise InvalidGeometry(_("Ranh giới phải là đối tượng GeoJSON."))
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Point":
        if not isinstance(coords, list) or len(coords) < 2:
            raise InvalidGeometry(_("Điểm GeoJSON cần [kinh độ, vĩ độ]."))
        _check_position(coords[0], coords[1])
    elif kind == "Polygon":
        if not isinstance(coords, list) or not coords:
            raise InvalidGeometry(_("Đa giác GeoJSON không có toạ độ."))
        for ring in coords:
            _check_ring(ring)
    elif kind == "MultiPolygon":
        if not isinstance(coords, list) or not coords:
            raise InvalidGeometry(_("Đa giác GeoJSON không có toạ độ."))
        for polygon in coords:
            for ring in polygon:
                _check_ring(ring)
    else:
        raise InvalidGeometry(_("Chỉ nhận GeoJSON dạng Point, Polygon hoặc MultiPolygon."))
    return {"type": kind, "coordinates": coords}


@transaction.atomic
def create_growing_area(
    *,
    actor,
    producer: Producer,
    name: str,
    crop: str,
    code: str = "",
    area_ha: Decimal | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    boundary: dict | None = None,
    other_producers=(),
) -> GrowingArea:
    """Register a growing area; the official code is stored exactly as issued."""
    require_editor(actor, producer)
    boundary = clean_geometry(boundary)
    if boundary and boundary["type"] == "Point":
        longitude, latitude = boundary["coordinates"][:2]
        boundary = None
    if latitude is not None and longitude is not None:
        _check_position(longitude, latitude)
    if area_ha is not None and area_ha <= 0:
        raise ValidationFailed(_("Diện tích phải lớn hơn 0."))
    area = GrowingArea(
        name=name.strip(),
        crop=crop.strip(),
        code=code.strip(),
        commune=producer.commune,
        province_code=producer.province_code,
        area_ha=area_ha,
        latitude=latitude,
        longitude=longitude,
        boundary=boundary,
    )
    validate(area)
    area.save()
    area.producers.set([producer, *other_producers])
    record_change(actor=actor, action=AuditAction.CREATE, target=area)
    return area


@transaction.atomic
def update_growing_area(*, actor, area: GrowingArea, **changes) -> GrowingArea:
    producers = list(area.producers.all())
    if not (any(_can(actor, p) for p in producers) or is_commune_editor(actor, area.commune)):
        raise PermissionDenied(_("Bạn không có quyền sửa vùng trồng này."))
    if "boundary" in changes:
        changes["boundary"] = clean_geometry(changes["boundary"])
    changed = []
    for field in ("name", "crop", "code", "area_ha", "latitude", "longitude", "boundary"):
        if field in changes and getattr(area, field) != changes[field]:
            setattr(area, field, changes[field])
            changed.append(field)
    if changed:
        validate(area)
        area.save(update_fields=[*changed, "updated_at"])
        record_change(actor=actor, action=AuditAction.UPDATE, target=area, changed=changed)
    return area


def _can(actor, producer) -> bool:
    from ..permissions import can_edit_producer

    return can_edit_producer(actor, producer)


CERTIFICATE_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def add_certificate(
    *,
    actor,
    producer: Producer,
    kind: str,
    number: str,
    issuer: str,
    valid_from: date,
    valid_to: date,
    scope: str = "",
    growing_area=None,
    product=None,
    document=None,
) -> Certificate:
    """Record a certificate (VietGAP, organic...). OCOP certificates come from dossiers."""
    require_editor(actor, producer)
    if kind == CertificateKind.OCOP:
        raise ValidationFailed(_("Chứng nhận OCOP được cấp từ hồ sơ đánh giá OCOP."))
    if valid_to < valid_from:
        raise ValidationFailed(_("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."))
    if product is not None and product.producer_id != producer.pk:
        raise ValidationFailed(_("Sản phẩm không thuộc chủ thể này."))
    if growing_area is not None and not growing_area.producers.filter(pk=producer.pk).exists():
        raise ValidationFailed(_("Vùng trồng không thuộc chủ thể này."))
    cert = Certificate(
        producer=producer,
        kind=kind,
        number=number.strip(),
        issuer=issuer.strip(),
        scope=scope.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        growing_area=growing_area,
        product=product,
    )
    if document is not None:
        checked = check_upload(document, kinds=SCANS, max_bytes=CERTIFICATE_MAX_BYTES)
        document.name = checked.display_name()
        cert.document = document
    validate(cert)
    cert.save()
    record_change(actor=actor, action=AuditAction.CREATE, target=cert)
    market_changed()  # the market filters by valid certificate
    return cert


@transaction.atomic
def revoke_certificate(*, actor, certificate: Certificate, on: date, reason: str) -> Certificate:
    """Only the commune (or the province above it) revokes a certificate."""
    if not is_commune_editor(actor, certificate.producer.commune):
        raise PermissionDenied(_("Chỉ cán bộ xã được thu hồi chứng nhận."))
    if not reason.strip():
        raise ValidationFailed(_("Cần ghi lý do thu hồi."))
    certificate.revoked_at = on
    certificate.revoked_reason = reason.strip()[:300]
    certificate.save(update_fields=["revoked_at", "revoked_reason", "updated_at"])
    record_change(
        actor=actor,
        action=AuditAction.UPDATE,
        target=certificate,
        changed=["revoked_at", "revoked_reason"],
    )
    market_changed()
    return certificate
