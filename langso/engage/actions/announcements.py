from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.core import audit
from langso.core.exceptions import ValidationFailed
from langso.core.models import AuditAction
from langso.core.validation import validate
from langso.people.actors import Actor
from langso.people.models import PERSONAL_DATA_ROLES, Relation
from langso.people.permissions import holds_role

from ..delivery import address_for
from ..exceptions import NotAllowed
from ..models import (
    Announcement,
    AnnouncementAttachment,
    AnnouncementStatus,
    Audience,
    AudienceGroup,
    Delivery,
    DeliveryState,
    Subscription,
)
from ..permissions import can_manage
from ..uploads import check_attachment

MAX_ATTACHMENTS = 5


@transaction.atomic
def create_announcement(
    *,
    actor: Actor,
    commune,
    title: str,
    body: str,
    audience: str = Audience.COMMUNE,
    hamlet=None,
    group: str = "",
    attachments=(),
    publish: bool = True,
    dispatch: bool = True,
    published_at=None,
) -> Announcement:
    if not can_manage(actor, commune):
        raise NotAllowed(_("Bạn không có quyền đăng thông báo của xã này."))
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationFailed(_("Tối đa %(n)s tệp đính kèm.") % {"n": MAX_ATTACHMENTS})
    checked = [check_attachment(f) for f in attachments]  # before any write
    announcement = Announcement(
        commune=commune,
        province_code=commune.province_code,
        title=title.strip(),
        body=body.strip(),
        audience=audience,
        group=group if audience == Audience.GROUP else "",
        hamlet=hamlet if audience == Audience.HAMLET else None,
        author=actor,
    )
    validate(announcement)
    announcement.save()
    for item in checked:
        attachment = AnnouncementAttachment(
            announcement=announcement,
            original_name=item.name,
            content_type=item.content_type,
            size=item.size,
        )
        attachment.file.save(item.name, item.content, save=False)
        attachment.save()
    audit.record_change(actor=actor, action=AuditAction.CREATE, target=announcement)
    if publish:
        publish_announcement(
            actor=actor, announcement=announcement, dispatch=dispatch, published_at=published_at
        )
    return announcement


def recipients(announcement: Announcement):
    """Active subscriptions of the residents the announcement is for."""
    qs = Subscription.objects.filter(commune=announcement.commune, active=True)
    if announcement.audience == Audience.HAMLET:
        qs = qs.filter(resident__household__hamlet=announcement.hamlet)
    elif announcement.audience == Audience.GROUP:
        if announcement.group == AudienceGroup.HOUSEHOLD_HEADS:
            qs = qs.filter(resident__relation_to_head=Relation.HEAD)
        elif announcement.group == AudienceGroup.PRODUCERS:
            from langso.economy.models import Producer, ProducerMember

            households = Producer.objects.filter(commune=announcement.commune).values(
                "household_id"
            )
            members = ProducerMember.objects.filter(producer__commune=announcement.commune).values(
                "household_id"
            )
            users = ProducerMember.objects.filter(
                producer__commune=announcement.commune, user__isnull=False
            ).values("user_id")
            qs = qs.filter(
                Q(resident__household_id__in=households)
                | Q(resident__household_id__in=members)
                | Q(resident__user_id__in=users)
            )
    return qs.select_related("resident")


@transaction.atomic
def publish_announcement(
    *, actor: Actor, announcement: Announcement, dispatch: bool = True, published_at=None
) -> list[int]:
    """Publish on the site and the feeds, and queue one delivery per resident and channel.
    Returns the ids of the queued deliveries. The tasks start after the commit."""
    if not can_manage(actor, announcement.commune):
        raise NotAllowed(_("Bạn không có quyền đăng thông báo của xã này."))
    if announcement.status == AnnouncementStatus.PUBLISHED:
        return []
    announcement.status = AnnouncementStatus.PUBLISHED
    announcement.published_at = published_at or timezone.now()
    announcement.save(update_fields=["status", "published_at", "updated_at"])
    rows = [
        Delivery(
            announcement=announcement,
            resident=sub.resident,
            channel=channel,
            address=address_for(sub, channel),
        )
        for sub in recipients(announcement)
        for channel in sub.channels()
    ]
    # ignore_conflicts: publishing again never creates a second row for the same person
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    ids = list(
        Delivery.objects.filter(announcement=announcement, state=DeliveryState.QUEUED).values_list(
            "pk", flat=True
        )
    )
    audit.record_change(
        actor=actor,
        action=AuditAction.UPDATE,
        target=announcement,
        changed=["status", "published_at"],
    )
    if dispatch:

        def enqueue():
            from ..tasks import send_delivery

            for delivery_id in ids:
                send_delivery.enqueue(delivery_id)

        transaction.on_commit(enqueue)
    return ids


@transaction.atomic
def withdraw_announcement(*, actor: Actor, announcement: Announcement) -> Announcement:
    if not can_manage(actor, announcement.commune):
        raise NotAllowed(_("Bạn không có quyền gỡ thông báo của xã này."))
    announcement.status = AnnouncementStatus.WITHDRAWN
    announcement.save(update_fields=["status", "updated_at"])
    Delivery.objects.filter(
        announcement=announcement, state__in=[DeliveryState.QUEUED, DeliveryState.RETRYING]
    ).update(state=DeliveryState.CANCELLED, updated_at=timezone.now())
    audit.record_change(
        actor=actor, action=AuditAction.UPDATE, target=announcement, changed=["status"]
    )
    return announcement


@transaction.atomic
def save_subscription(
    *,
    actor: Actor,
    resident,
    by_email: bool,
    by_sms: bool,
    by_zalo: bool,
    email: str = "",
    phone: str = "",
) -> Subscription:
    """The resident (or an official of the commune recording the resident's consent at the
    office) chooses the channels. Choosing none is an unsubscribe."""
    own = resident.user_id is not None and resident.user_id == actor.pk
    if not own and not holds_role(actor, PERSONAL_DATA_ROLES, resident.commune):
        raise NotAllowed(_("Bạn không có quyền đăng ký nhận tin cho người này."))
    email = (email or (resident.user.email if resident.user_id else "")).strip()
    phone = (phone or resident.phone).strip()
    if by_email and not email:
        raise ValidationFailed(_("Cần địa chỉ thư điện tử để nhận tin qua thư."))
    if (by_sms or by_zalo) and not phone:
        raise ValidationFailed(_("Cần số điện thoại để nhận tin qua SMS hoặc Zalo."))
    now = timezone.now()
    active = by_email or by_sms or by_zalo
    sub = Subscription.objects.filter(resident=resident).first()
    if sub is None:
        sub = Subscription(resident=resident, commune=resident.commune, consent_at=now)
    sub.email, sub.phone = email, phone
    sub.by_email, sub.by_sms, sub.by_zalo = by_email, by_sms, by_zalo
    if active and not sub.active:
        sub.consent_at = now
    sub.active = active
    sub.unsubscribed_at = None if active else now
    sub.consent_recorded_by = actor if not own and actor.is_authenticated else None
    validate(sub)
    created = sub.pk is None
    sub.save()
    audit.record_change(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=sub,
        changed=["by_email", "by_sms", "by_zalo", "active"],
        unit=resident.commune,
    )
    return sub


@transaction.atomic
def unsubscribe(*, subscription_id: int) -> Subscription:
    """From the signed link in a message: no login needed, the signature is the proof."""
    sub = Subscription.objects.select_for_update().get(pk=subscription_id)
    if sub.active:
        sub.active = False
        sub.unsubscribed_at = timezone.now()
        sub.save(update_fields=["active", "unsubscribed_at", "updated_at"])
        audit.record_change(
            actor=None, action=AuditAction.UPDATE, target=sub, changed=["active"], unit=sub.commune
        )
    Delivery.objects.filter(
        resident_id=sub.resident_id, state__in=[DeliveryState.QUEUED, DeliveryState.RETRYING]
    ).update(state=DeliveryState.CANCELLED, updated_at=timezone.now())
    return sub
