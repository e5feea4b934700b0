from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from langso.core.exceptions import PermissionDenied, ValidationFailed
from langso.core.validation import validate

from ..exceptions import DemandClosed
from ..models import Demand, Offer, Producer
from ._common import AuditAction, fold, record_change, require_editor


@transaction.atomic
def post_demand(
    *,
    actor,
    commune,
    title: str,
    quantity: Decimal,
    unit: str,
    buyer_name: str,
    needed_by: date | None = None,
    price: Decimal | None = None,
    ocop_group: str = "",
    description: str = "",
    contact: str = "",
) -> Demand:
    """A logged-in buyer posts what they want to buy from the commune's producers."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Cần đăng nhập để đăng nhu cầu mua."))
    if quantity is None or quantity <= 0:
        raise ValidationFailed(_("Số lượng phải lớn hơn 0."))
    if price is not None and price < 0:
        raise ValidationFailed(_("Giá không được âm."))
    demand = Demand(
        commune=commune,
        buyer=actor,
        buyer_name=buyer_name.strip(),
        title=title.strip(),
        quantity=quantity,
        unit=unit.strip() or "kg",
        needed_by=needed_by,
        price=price,
        ocop_group=ocop_group,
        description=description,
        contact=contact.strip(),
        search_key=fold(f"{title} {description[:100]} {buyer_name}")[:300],
    )
    validate(demand)
    demand.save()
    record_change(actor=actor, action=AuditAction.CREATE, target=demand)
    return demand


@transaction.atomic
def close_demand(*, actor, demand: Demand) -> Demand:
    if demand.buyer_id != actor.pk and not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("Chỉ người đăng nhu cầu mới đóng được."))
    demand.status = Demand.Status.CLOSED
    demand.save(update_fields=["status", "updated_at"])
    record_change(actor=actor, action=AuditAction.UPDATE, target=demand, changed=["status"])
    return demand


@transaction.atomic
def make_offer(
    *,
    actor,
    demand: Demand,
    producer: Producer,
    quantity: Decimal,
    price: Decimal | None = None,
    product=None,
    message: str = "",
) -> Offer:
    """A producer's manager (or the commune for them) answers a demand."""
    require_editor(actor, producer)
    if demand.status != Demand.Status.OPEN:
        raise DemandClosed(_("Nhu cầu này đã đóng."))
    if quantity is None or quantity <= 0:
        raise ValidationFailed(_("Số lượng phải lớn hơn 0."))
    if product is not None and product.producer_id != producer.pk:
        raise ValidationFailed(_("Sản phẩm không thuộc chủ thể này."))
    offer = Offer(
        demand=demand,
        producer=producer,
        product=product,
        quantity=quantity,
        price=price,
        message=message,
        created_by=actor,
    )
    validate(offer)
    offer.save()
    record_change(actor=actor, action=AuditAction.CREATE, target=offer)
    return offer
