"""Satisfaction ratings: once per settled dossier, online or at the counter device."""

import hmac
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.core.exceptions import PermissionDenied, ValidationFailed

from ..exceptions import AlreadyRated, DossierNotFound, NotRateable
from ..models import RATEABLE_STATES, Dossier, Rating, RatingChannel, Satisfaction
from ..permissions import can_work_desk, is_applicant


@transaction.atomic
def rate_dossier(
    *,
    actor,
    dossier_id,
    level: str,
    comment: str = "",
    channel: str = RatingChannel.ONLINE,
    tracking_secret: str = "",
    now: datetime | None = None,
) -> Rating:
    """The applicant rates online (logged in, or with the tracking secret), or at the
    counter device opened by a desk official (channel "kiosk")."""
    from ..queries import parse_public_id

    public_id = parse_public_id(dossier_id) if not isinstance(dossier_id, int) else None
    qs = Dossier.objects.select_related("commune").select_for_update()
    dossier = (
        qs.filter(pk=dossier_id).first()
        if isinstance(dossier_id, int)
        else qs.filter(public_id=public_id).first()
        if public_id
        else None
    )
    if dossier is None:
        raise DossierNotFound(_("Không tìm thấy hồ sơ."))
    if channel == RatingChannel.KIOSK:
        allowed = can_work_desk(actor, dossier.commune)
    else:
        channel = RatingChannel.ONLINE
        allowed = is_applicant(actor, dossier) or (
            bool(tracking_secret)
            and hmac.compare_digest(
                tracking_secret.strip().upper().encode(), dossier.tracking_secret.encode()
            )
        )
    if not allowed:
        raise PermissionDenied(_("Chỉ người nộp hồ sơ mới đánh giá được hồ sơ này."))
    if level not in Satisfaction.values:
        raise ValidationFailed(_("Vui lòng chọn mức độ hài lòng."), code="procedures.invalid_level")
    if dossier.state not in RATEABLE_STATES:
        raise NotRateable(_("Chỉ đánh giá được hồ sơ đã giải quyết xong."))
    if Rating.objects.filter(dossier=dossier).exists():
        raise AlreadyRated(_("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ đánh giá một lần."))
    try:
        with transaction.atomic():
            return Rating.objects.create(
                dossier=dossier,
                level=level,
                comment=(comment or "").strip()[:2000],
                channel=channel,
                rated_at=now or timezone.now(),
                rated_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError as exc:
        raise AlreadyRated(
            _("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ đánh giá một lần.")
        ) from exc
