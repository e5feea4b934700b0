import hashlib
import hmac
import secrets
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.core import audit, limits
from langso.core.exceptions import ValidationFailed
from langso.core.limits import check_length
from langso.core.models import AuditAction
from langso.core.validation import validate
from langso.people.actors import Actor
from langso.people.models import User

from ..exceptions import FeedbackStateError, NotAllowed
from ..models import Feedback, FeedbackPhoto, FeedbackStatus
from ..permissions import can_manage
from ..privacy import scrub
from ..uploads import check_photo
from ..workdays import add_working_days

MAX_PHOTOS = 4
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone


def _random(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def hash_secret(secret: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), secret.strip().upper().encode(), hashlib.sha256
    ).hexdigest()


def secret_matches(feedback: Feedback, secret: str) -> bool:
    return bool(secret) and hmac.compare_digest(feedback.secret_hash, hash_secret(secret))


def public_text_for(text: str, *, names=()) -> str:
    return scrub(text, names=[n for n in names if n])


@transaction.atomic
def submit_feedback(
    *,
    actor: Actor | None,
    commune,
    category,
    text: str,
    latitude: float | None = None,
    longitude: float | None = None,
    hamlet=None,
    contact_name: str = "",
    contact_phone: str = "",
    photos=(),
    publish_consent: bool = False,
    received_on: date | None = None,
) -> tuple[Feedback, str]:
    """Anyone may send feedback, with or without an account. Returns the feedback and the
    follow-up secret (shown once; only its hash is stored)."""
    if category.commune_id != commune.pk or not category.active:
        raise ValidationFailed(_("Lĩnh vực không thuộc xã này."))
    if hamlet is not None and hamlet.commune_id != commune.pk:
        raise ValidationFailed(_("Thôn, xóm không thuộc xã này."))
    # before any work on it: masking personal data reads the whole text
    text = check_length(
        text, limit=limits.FEEDBACK, label=_("nội dung phản ánh"), app="engage"
    ).strip()
    if len(text) < 10:
        raise ValidationFailed(_("Nội dung phản ánh quá ngắn (ít nhất 10 ký tự)."))
    if (latitude is None) != (longitude is None):
        raise ValidationFailed(_("Cần cả vĩ độ và kinh độ."))
    if (
        latitude is not None
        and longitude is not None
        and not (-90 <= latitude <= 90 and -180 <= longitude <= 180)
    ):
        raise ValidationFailed(_("Vị trí không hợp lệ."))
    if len(photos) > MAX_PHOTOS:
        raise ValidationFailed(_("Tối đa %(n)s ảnh.") % {"n": MAX_PHOTOS})
    checked = [check_photo(p) for p in photos]
    user = actor if actor is not None and actor.is_authenticated else None
    received_on = received_on or timezone.localdate()
    secret = _random(10)
    names = [contact_name]
    if user is not None:
        names += [
            user.get_full_name(),
            f"{user.last_name} {user.first_name}",
            getattr(getattr(user, "resident", None), "full_name", ""),
        ]
    feedback = Feedback(
        tracking_code="PA" + _random(8),
        secret_hash=hash_secret(secret),
        commune=commune,
        province_code=commune.province_code,
        category=category,
        hamlet=hamlet,
        text=text,
        public_text=public_text_for(text, names=names),
        latitude=latitude,
        longitude=longitude,
        submitted_by=user,
        contact_name=contact_name.strip()[:120],
        contact_phone=contact_phone.strip()[:20],
        publish_consent=publish_consent,
        received_on=received_on,
        deadline=add_working_days(received_on, category.deadline_working_days),
        assigned_department=category.default_department,
    )
    validate(feedback)
    feedback.save()
    for item in checked:
        photo = FeedbackPhoto(
            feedback=feedback, content_type=item.content_type, width=item.width, height=item.height
        )
        photo.image.save(item.name, item.content, save=False)
        photo.save()
    audit.record_change(actor=actor, action=AuditAction.CREATE, target=feedback)
    return feedback, secret


def _manage(actor: Actor, feedback: Feedback) -> User:
    """The official handling `feedback`: `actor`, once known to manage its commune."""
    if not can_manage(actor, feedback.commune):
        raise NotAllowed(_("Bạn không có quyền xử lý phản ánh của xã này."))
    return actor


@transaction.atomic
def assign_feedback(
    *, actor: Actor, feedback: Feedback, assignee=None, department: str = ""
) -> Feedback:
    _manage(actor, feedback)
    if not feedback.is_open:
        raise FeedbackStateError(_("Phản ánh đã được trả lời, không chuyển xử lý được nữa."))
    if assignee is not None and not can_manage(assignee, feedback.commune):
        raise ValidationFailed(_("Người được giao không phải cán bộ của xã."))
    if assignee is None and not department.strip():
        raise ValidationFailed(_("Chọn người hoặc bộ phận xử lý."))
    feedback.assigned_to = assignee
    feedback.assigned_department = department.strip() or feedback.assigned_department
    feedback.status = FeedbackStatus.ASSIGNED
    feedback.save(update_fields=["assigned_to", "assigned_department", "status", "updated_at"])
    audit.record_change(
        actor=actor,
        action=AuditAction.UPDATE,
        target=feedback,
        changed=["assigned_to", "assigned_department", "status"],
    )
    return feedback


@transaction.atomic
def answer_feedback(*, actor: Actor, feedback: Feedback, answer: str, answered_at=None) -> Feedback:
    official = _manage(actor, feedback)
    if not feedback.is_open:
        raise FeedbackStateError(_("Phản ánh này đã được trả lời."))
    answer = check_length(
        answer, limit=limits.FEEDBACK, label=_("câu trả lời"), app="engage"
    ).strip()
    if len(answer) < 5:
        raise ValidationFailed(_("Hãy nhập nội dung trả lời."))
    feedback.answer = answer
    feedback.answered_at = answered_at or timezone.now()
    feedback.answered_by = official
    feedback.status = FeedbackStatus.ANSWERED
    feedback.save(update_fields=["answer", "answered_at", "answered_by", "status", "updated_at"])
    audit.record_change(
        actor=actor, action=AuditAction.UPDATE, target=feedback, changed=["answer", "status"]
    )
    return feedback


@transaction.atomic
def close_feedback(*, actor: Actor, feedback: Feedback, closed_at=None) -> Feedback:
    _manage(actor, feedback)
    if feedback.status != FeedbackStatus.ANSWERED:
        raise FeedbackStateError(_("Chỉ đóng được phản ánh đã trả lời."))
    feedback.status = FeedbackStatus.CLOSED
    feedback.closed_at = closed_at or timezone.now()
    feedback.save(update_fields=["status", "closed_at", "updated_at"])
    audit.record_change(actor=actor, action=AuditAction.UPDATE, target=feedback, changed=["status"])
    return feedback


@transaction.atomic
def rate_feedback(
    *, actor: Actor | None, feedback: Feedback, rating: int, comment: str = "", secret: str = ""
) -> Feedback:
    """The sender rates the answer: logged in as the sender, or with the follow-up secret."""
    own = actor is not None and actor.is_authenticated and feedback.submitted_by_id == actor.pk
    if not own and not secret_matches(feedback, secret):
        raise NotAllowed(_("Chỉ người gửi phản ánh mới đánh giá được câu trả lời."))
    if feedback.status not in (FeedbackStatus.ANSWERED, FeedbackStatus.CLOSED):
        raise FeedbackStateError(_("Phản ánh chưa được trả lời."))
    if rating not in (1, 2, 3, 4, 5):
        raise ValidationFailed(_("Đánh giá từ 1 đến 5 sao."))
    feedback.rating = rating
    feedback.rating_comment = comment.strip()[:500]
    feedback.save(update_fields=["rating", "rating_comment", "updated_at"])
    audit.record_change(
        actor=actor if own else None, action=AuditAction.UPDATE, target=feedback, changed=["rating"]
    )
    return feedback
