from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from langso.core import gs1
from langso.core.exceptions import PermissionDenied, ValidationFailed
from langso.core.validation import validate

from ..market_cache import market_changed
from ..models import Producer, ProducerMember, ProductionLinkage
from ..permissions import can_create_producer
from ._common import (
    AuditAction,
    apply_changes,
    fold,
    record_change,
    require_editor,
)

PRODUCER_FIELDS = {
    "kind",
    "name",
    "hamlet",
    "address",
    "phone",
    "registration_number",
    "gln",
    "gs1_company_prefix",
    "description",
    "latitude",
    "longitude",
    "household",
}


def _check_gln(producer: Producer) -> None:
    """The producer's GLN, if given, is 13 digits with a valid GS1 check digit."""
    if not producer.gln:
        return
    try:
        producer.gln = gs1.normalize_gln(producer.gln)
    except gs1.InvalidKey as exc:
        raise ValidationFailed(
            _("Mã GLN phải có 13 chữ số và đúng số kiểm tra."), code="economy.invalid_gln"
        ) from exc


def producer_search_key(producer: Producer) -> str:
    return fold(f"{producer.name} {producer.address} {producer.registration_number}")[:300]


@transaction.atomic
def create_producer(*, actor, commune, kind: str, name: str, manager=None, **fields) -> Producer:
    """A commune official registers a producer; `manager` (a user) becomes its manager."""
    if not can_create_producer(actor, commune):
        raise PermissionDenied(_("Chỉ cán bộ xã mới đăng ký được chủ thể sản xuất của xã."))
    producer = Producer(
        commune=commune, province_code=commune.province_code, kind=kind, name=name.strip()
    )
    apply_changes(producer, fields, PRODUCER_FIELDS)
    _check_gln(producer)
    producer.search_key = producer_search_key(producer)
    validate(producer)
    producer.save()
    if manager is not None:
        ProducerMember.objects.create(
            producer=producer,
            user=manager,
            name=manager.get_full_name() or manager.get_username(),
            member_role=ProducerMember.MemberRole.MANAGER,
        )
    record_change(actor=actor, action=AuditAction.CREATE, target=producer)
    market_changed()
    return producer


@transaction.atomic
def update_producer(*, actor, producer: Producer, **changes) -> Producer:
    require_editor(actor, producer)
    producer = Producer.objects.select_for_update().get(pk=producer.pk)
    changed = apply_changes(producer, changes, PRODUCER_FIELDS)
    if not changed:
        return producer
    _check_gln(producer)
    producer.search_key = producer_search_key(producer)
    validate(producer)
    producer.save(update_fields=[*changed, "search_key", "updated_at"])
    record_change(actor=actor, action=AuditAction.UPDATE, target=producer, changed=changed)
    market_changed()
    return producer


@transaction.atomic
def add_member(
    *,
    actor,
    producer: Producer,
    name: str = "",
    household=None,
    user=None,
    member_role: str = ProducerMember.MemberRole.MEMBER,
) -> ProducerMember:
    require_editor(actor, producer)
    if not (name.strip() or user or household):
        raise ValidationFailed(_("Cần nhập tên thành viên."))
    member = ProducerMember(
        producer=producer,
        name=name.strip(),
        household=household,
        user=user,
        member_role=member_role,
    )
    validate(member)
    member.save()
    record_change(actor=actor, action=AuditAction.CREATE, target=member)
    return member


@transaction.atomic
def remove_member(*, actor, member: ProducerMember) -> None:
    require_editor(actor, member.producer)
    record_change(actor=actor, action=AuditAction.DELETE, target=member)
    member.delete()


@transaction.atomic
def create_linkage(
    *,
    actor,
    buyer: Producer,
    name: str,
    started_on: date,
    suppliers=(),
    growing_area=None,
    product=None,
    uses_digital_technology: bool = False,
    digital_technology: str = "",
    description: str = "",
    ended_on: date | None = None,
) -> ProductionLinkage:
    """The lead (buyer) of a linkage, or the commune, records it."""
    require_editor(actor, buyer)
    linkage = ProductionLinkage(
        name=name.strip(),
        commune=buyer.commune,
        province_code=buyer.province_code,
        buyer=buyer,
        growing_area=growing_area,
        product=product,
        uses_digital_technology=uses_digital_technology,
        digital_technology=digital_technology.strip(),
        description=description,
        started_on=started_on,
        ended_on=ended_on,
    )
    if ended_on and ended_on < started_on:
        raise ValidationFailed(_("Ngày kết thúc phải sau ngày bắt đầu."))
    validate(linkage)
    linkage.save()
    linkage.suppliers.set(list(suppliers))
    record_change(actor=actor, action=AuditAction.CREATE, target=linkage)
    return linkage
