"""Reads of the engagement app: one `*_visible_to(user)` per object type, the public lists,
survey results, and the monitoring figures."""

from collections import Counter
from collections.abc import Sequence
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from langso.core.figures import Figure, FigureDefinition
from langso.people.permissions import unit_scope_q

from .exceptions import FeedbackNotFound
from .models import (
    Announcement,
    AnnouncementAttachment,
    AnnouncementStatus,
    Channel,
    Delivery,
    DeliveryState,
    DirectoryEntry,
    Feedback,
    FeedbackCategory,
    FeedbackStatus,
    QuestionType,
    Subscription,
    Survey,
    SurveyKind,
    SurveyResponse,
    SurveyStatus,
)
from .models.announcements import delivery_state_label
from .permissions import MANAGE_ROLES, READ_ROLES

# --- directory ----------------------------------------------------------------------------


def public_directory(commune) -> QuerySet[DirectoryEntry]:
    return DirectoryEntry.objects.filter(unit=commune, listed=True).select_related("unit")


def directory_entries_visible_to(user) -> QuerySet[DirectoryEntry]:
    """Full lines (with private fields) for the commune's officials; own line for anyone."""
    qs = DirectoryEntry.objects.select_related("unit", "user")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(unit_scope_q(user, "unit", READ_ROLES) | Q(user=user))


def own_directory_entry(user, unit) -> DirectoryEntry | None:
    """The line `user` has in `unit`'s directory, or None."""
    return DirectoryEntry.objects.filter(user=user, unit=unit).first()


def subscription_of(resident) -> Subscription | None:
    return Subscription.objects.filter(resident=resident).first()


def subscription_by_id(subscription_id) -> Subscription | None:
    """For the signed unsubscribe link: the token, not a login, is the authority."""
    return Subscription.objects.filter(pk=subscription_id).first()


# --- announcements ------------------------------------------------------------------------


def public_announcements(commune=None) -> QuerySet[Announcement]:
    qs = (
        Announcement.objects.filter(status=AnnouncementStatus.PUBLISHED)
        .select_related("commune", "hamlet")
        .prefetch_related("attachments")
    )
    return qs.filter(commune=commune) if commune is not None else qs


def announcement_file_access(request, path: str):
    """The gate of /media/engage/announcements/ (langso/core/media.py): an attachment of a
    published announcement is public; of a draft or a withdrawn one, only for the officials
    who may see it; a file no announcement holds, nobody's."""
    attachment = (
        AnnouncementAttachment.objects.filter(file=path)
        .values("announcement_id", "announcement__status")
        .first()
    )
    if attachment is None:
        return None
    if attachment["announcement__status"] == AnnouncementStatus.PUBLISHED:
        return "public"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        if announcements_visible_to(user).filter(pk=attachment["announcement_id"]).exists():
            return "private"
    return None


def announcements_visible_to(user) -> QuerySet[Announcement]:
    """Public ones for everybody, drafts and withdrawn ones for the commune's officials."""
    qs = Announcement.objects.select_related("commune", "hamlet", "author")
    return qs.filter(
        Q(status=AnnouncementStatus.PUBLISHED) | unit_scope_q(user, "commune", READ_ROLES)
    )


def deliveries_visible_to(user) -> QuerySet[Delivery]:
    """Who got which announcement: personal data, so officials of the commune only."""
    return Delivery.objects.select_related("resident", "announcement").filter(
        unit_scope_q(user, "announcement__commune", MANAGE_ROLES)
    )


def delivery_summary(announcement) -> list[dict]:
    """Per channel, its label and the count in each state, labelled for people:
    [{"channel": "sms", "label": "Tin nhắn SMS", "states": [{"state", "label", "count"}]}].
    Messages a fake gateway took are counted apart, labelled as not really sent."""
    out: dict[str, dict] = {}
    rows = (
        Delivery.objects.filter(announcement=announcement)
        .values("channel", "state", "simulated")
        .annotate(n=Count("id"))
        .order_by("channel", "state", "simulated")
    )
    for row in rows:
        channel = out.setdefault(
            row["channel"],
            {"channel": row["channel"], "label": Channel(row["channel"]).label, "states": []},
        )
        channel["states"].append(
            {
                "state": row["state"],
                "label": delivery_state_label(row["state"], row["simulated"]),
                "count": row["n"],
                "simulated": row["simulated"] and row["state"] == DeliveryState.SENT,
            }
        )
    return list(out.values())


# --- surveys ------------------------------------------------------------------------------


def public_surveys(commune=None) -> QuerySet[Survey]:
    qs = Survey.objects.filter(status=SurveyStatus.OPEN).select_related("commune")
    return qs.filter(commune=commune) if commune is not None else qs


def surveys_of(commune) -> QuerySet[Survey]:
    """All surveys of `commune`, newest first (for its officials' list)."""
    return Survey.objects.filter(commune=commune).order_by("-created_at")


def feedback_category_by_code(commune, code: str) -> FeedbackCategory | None:
    return FeedbackCategory.objects.filter(commune=commune, code=code).first()


def surveys_visible_to(user) -> QuerySet[Survey]:
    return Survey.objects.select_related("commune").filter(
        Q(status=SurveyStatus.OPEN) | unit_scope_q(user, "commune", READ_ROLES)
    )


def survey_results_visible_to(user) -> QuerySet[Survey]:
    return Survey.objects.select_related("commune").filter(
        unit_scope_q(user, "commune", READ_ROLES)
    )


def responses_visible_to(user) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(unit_scope_q(user, "survey__commune", READ_ROLES))


def has_answered(user, survey) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return survey.participations.filter(user=user).exists() or (
        not survey.anonymous and survey.responses.filter(respondent=user).exists()
    )


def survey_results(survey) -> dict:
    """Counts per question: choices with share, numbers with mean / min / max, texts."""
    questions = list(survey.questions.all())
    answers = list(survey.responses.values_list("answers", flat=True))
    total = len(answers)
    out = []
    for q in questions:
        if q.qtype in (QuestionType.NOTE, QuestionType.REPEAT):
            continue
        if q.repeat:  # every instance of the repeat counts
            rows = [row for a in answers for row in (a.get(q.repeat) or [])]
            values = [row[q.name] for row in rows if q.name in row]
        else:
            values = [a[q.name] for a in answers if q.name in a]
        item = {"question": q, "answered": len(values)}
        if q.qtype in (QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE):
            counter: Counter = Counter()
            for v in values:
                counter.update(v if isinstance(v, list) else [v])
            base = len(values) or 1
            item["choices"] = [
                {
                    "name": c["name"],
                    "label": c["label"],
                    "count": counter.get(c["name"], 0),
                    "share": round(100 * counter.get(c["name"], 0) / base, 1),
                }
                for c in q.choices
            ]
        elif q.qtype in (QuestionType.INTEGER, QuestionType.DECIMAL):
            numbers = [float(v) for v in values]
            item["stats"] = (
                {
                    "mean": round(sum(numbers) / len(numbers), 2),
                    "min": min(numbers),
                    "max": max(numbers),
                }
                if numbers
                else None
            )
        else:
            item["samples"] = [str(v) for v in values[-20:]]
        out.append(item)
    return {"survey": survey, "total": total, "questions": out}


# --- feedback -----------------------------------------------------------------------------


def feedback_visible_to(user) -> QuerySet[Feedback]:
    qs = Feedback.objects.select_related("category", "hamlet", "assigned_to", "commune")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(unit_scope_q(user, "commune", READ_ROLES) | Q(submitted_by=user))


def public_feedback(commune=None) -> QuerySet[Feedback]:
    """Only what the sender agreed to publish; pages show public_text and rounded places."""
    qs = (
        Feedback.objects.filter(publish_consent=True)
        .select_related("category", "hamlet")
        .only(
            "tracking_code",
            "public_text",
            "category__name",
            "hamlet__name",
            "hamlet__kind",
            "latitude",
            "longitude",
            "status",
            "received_on",
            "deadline",
            "answer",
            "answered_at",
            "rating",
            "commune_id",
        )
    )
    return qs.filter(commune=commune) if commune is not None else qs


def feedback_for_follow(*, code: str, secret: str = "", user=None) -> Feedback:
    from .actions.feedback import secret_matches

    feedback = (
        Feedback.objects.select_related("category", "hamlet", "commune")
        .filter(tracking_code=code.strip().upper())
        .first()
    )
    if feedback is not None:
        own = getattr(user, "is_authenticated", False) and feedback.submitted_by_id == user.pk
        if own or secret_matches(feedback, secret):
            return feedback
    raise FeedbackNotFound("Không tìm thấy phản ánh với mã và mã bí mật này.")


def overdue_feedback(commune, today: date | None = None) -> QuerySet[Feedback]:
    today = today or timezone.localdate()
    return Feedback.objects.filter(
        commune=commune,
        deadline__lt=today,
        status__in=[FeedbackStatus.RECEIVED, FeedbackStatus.ASSIGNED],
    )


def feedback_categories(commune) -> QuerySet[FeedbackCategory]:
    return FeedbackCategory.objects.filter(commune=commune, active=True)


# --- figures for monitoring ---------------------------------------------------------------

FIGURE_DEFINITIONS = {
    "engage.programme_satisfaction_rate": FigureDefinition(
        code="engage.programme_satisfaction_rate",
        label="Tỷ lệ người dân hài lòng với kết quả xây dựng nông thôn mới",
        kind="rate",
        description="Số phiếu trả lời “hài lòng” hoặc “rất hài lòng” ở câu mức hài lòng chung / "
        "số phiếu của khảo sát hài lòng NTM trả lời trong kỳ.",
    ),
    "engage.feedback_on_time_rate": FigureDefinition(
        code="engage.feedback_on_time_rate",
        label="Tỷ lệ phản ánh, kiến nghị được trả lời đúng hạn",
        kind="rate",
        description="Phản ánh trả lời trong kỳ, không muộn hơn hạn / (phản ánh trả lời trong kỳ "
        "+ phản ánh chưa trả lời mà hạn đã qua trong kỳ).",
    ),
    "engage.collects_satisfaction_online": FigureDefinition(
        code="engage.collects_satisfaction_online",
        label="Xã lấy ý kiến hài lòng của người dân trực tuyến",
        kind="rate",
        description="1/1 nếu xã có khảo sát hài lòng NTM (đang mở hoặc đã đóng) có phiếu trả "
        "lời trong kỳ, ngược lại 0/1. Cộng dồn cho tỷ lệ đơn vị.",
    ),
    "engage.announcements": FigureDefinition(
        code="engage.announcements",
        label="Số thông báo đã đăng",
        kind="count",
        description="Thông báo đăng trong kỳ (không tính bản đã gỡ).",
    ),
}


def _satisfaction(unit_ids, start, end) -> dict[int, tuple[int, int]]:
    out: dict[int, list[int]] = {}
    surveys = Survey.objects.filter(commune_id__in=unit_ids, kind=SurveyKind.PROGRAMME_SATISFACTION)
    for survey in surveys.exclude(satisfaction_question=""):
        satisfied = set(survey.satisfied_values or [])
        key = survey.satisfaction_question
        rows = survey.responses.filter(submitted_on__gte=start, submitted_on__lte=end)
        for answers in rows.values_list("answers", flat=True).iterator():
            if key not in answers:
                continue
            counts = out.setdefault(survey.commune_id, [0, 0])
            counts[1] += 1
            counts[0] += str(answers[key]) in satisfied
    return {uid: (n, d) for uid, (n, d) in out.items()}


def monitoring_figures(
    *, unit_ids: Sequence[int], period_start: date, period_end: date
) -> dict[int, dict[str, Figure]]:
    unit_ids = list(unit_ids)
    result: dict[int, dict[str, Figure]] = {uid: {} for uid in unit_ids}
    satisfaction = _satisfaction(unit_ids, period_start, period_end)
    collecting = set(
        SurveyResponse.objects.filter(
            survey__commune_id__in=unit_ids,
            survey__kind=SurveyKind.PROGRAMME_SATISFACTION,
            survey__status__in=[SurveyStatus.OPEN, SurveyStatus.CLOSED],
            submitted_on__gte=period_start,
            submitted_on__lte=period_end,
        )
        .values_list("survey__commune_id", flat=True)
        .distinct()
    )
    announcements = dict(
        Announcement.objects.filter(
            commune_id__in=unit_ids,
            status=AnnouncementStatus.PUBLISHED,
            published_at__date__gte=period_start,
            published_at__date__lte=period_end,
        )
        .values("commune_id")
        .annotate(n=Count("id"))
        .values_list("commune_id", "n")
    )
    answered: dict[int, list[int]] = {}
    for row in Feedback.objects.filter(
        commune_id__in=unit_ids,
        answered_at__date__gte=period_start,
        answered_at__date__lte=period_end,
    ).values("commune_id", "answered_at", "deadline"):
        counts = answered.setdefault(row["commune_id"], [0, 0])
        counts[1] += 1
        counts[0] += timezone.localdate(row["answered_at"]) <= row["deadline"]
    overdue = dict(
        Feedback.objects.filter(
            commune_id__in=unit_ids,
            answered_at__isnull=True,
            deadline__gte=period_start,
            deadline__lte=period_end,
            deadline__lt=timezone.localdate(),
        )
        .values("commune_id")
        .annotate(n=Count("id"))
        .values_list("commune_id", "n")
    )
    for uid in unit_ids:
        n, d = satisfaction.get(uid, (0, 0))
        on_time, answered_n = answered.get(uid, (0, 0))
        result[uid] = {
            "engage.programme_satisfaction_rate": Figure(n, d),
            "engage.feedback_on_time_rate": Figure(on_time, answered_n + overdue.get(uid, 0)),
            "engage.collects_satisfaction_online": Figure(1 if uid in collecting else 0, 1),
            "engage.announcements": Figure(announcements.get(uid, 0)),
        }
    return result
