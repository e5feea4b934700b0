"""The engagement API, mounted at /api/engage/. Public reads need no login; officials'
endpoints use the Django session."""

from uuid import UUID

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router
from ninja.security import django_auth

from langso.core.exceptions import NotFound, PermissionDenied
from langso.core.idempotency import idempotent
from langso.core.ratelimit import rate_limit
from langso.places.models import AdminUnit
from langso.places.queries import commune_by_code, hamlet_by_code

from . import actions, queries
from .models import Announcement
from .permissions import can_manage
from .schemas import (
    AnnouncementIn,
    AnnouncementOut,
    DeliveryOut,
    DirectoryEntryOut,
    FeedbackCreatedOut,
    FeedbackIn,
    FeedbackOut,
    FeedbackRatingIn,
    PublicFeedbackOut,
    ResponseIn,
    ResponseOut,
    SubscriptionIn,
    SubscriptionOut,
    SurveyOut,
    SurveyResultsOut,
)
from .views.common import official_commune

router = Router(tags=["engage"])


def _commune(code: str | None) -> AdminUnit:
    from langso.places.queries import home_commune

    unit = commune_by_code(code, current=True) if code else home_commune()
    if unit is None:
        raise NotFound("Không tìm thấy xã.", code="engage.commune_not_found")
    return unit


def _announcement_out(item: Announcement) -> dict:
    return {
        "id": item.public_id,
        "title": item.title,
        "body": item.body,
        "commune_code": item.commune.code,
        "audience": item.audience,
        "audience_label": str(item.audience_label),
        "published_at": item.published_at,
        "attachments": [
            {
                "name": a.original_name,
                "url": a.file.url,
                "content_type": a.content_type,
                "size": a.size,
            }
            for a in item.attachments.all()
        ],
    }


@router.get("/directory", response=list[DirectoryEntryOut], auth=None)
def directory(request, commune: str | None = None):
    """Public directory of a commune: only the fields each official made public."""
    return [e.public_fields() for e in queries.public_directory(_commune(commune))]


@router.get("/announcements", response=list[AnnouncementOut], auth=None)
def announcements(request, commune: str | None = None, limit: int = 20):
    items = queries.public_announcements(_commune(commune))[: max(1, min(limit, 100))]
    return [_announcement_out(i) for i in items]


@router.post("/announcements", response={201: AnnouncementOut}, auth=django_auth)
@idempotent("engage.announcement")
def create_announcement(request, payload: AnnouncementIn):
    commune = official_commune(request.user)
    if commune is None:
        raise PermissionDenied("Bạn không có quyền đăng thông báo.", code="engage.not_allowed")
    hamlet = None
    if payload.hamlet_code:
        hamlet = hamlet_by_code(commune, payload.hamlet_code)
    item = actions.create_announcement(
        actor=request.user,
        commune=commune,
        title=payload.title,
        body=payload.body,
        audience=payload.audience,
        hamlet=hamlet,
        group=payload.group,
    )
    return 201, _announcement_out(item)


@router.get("/announcements/{public_id}/deliveries", response=list[DeliveryOut], auth=django_auth)
def deliveries(request, public_id: UUID, state: str | None = None):
    item = get_object_or_404(Announcement, public_id=public_id)
    if not can_manage(request.user, item.commune):
        raise NotFound("Không tìm thấy thông báo.", code="engage.announcement_not_found")
    rows = queries.deliveries_visible_to(request.user).filter(announcement=item)
    if state:
        rows = rows.filter(state=state)
    return [
        {
            "resident": d.resident.full_name,
            "channel": d.channel,
            "address": d.address,
            "state": d.state,
            "attempts": d.attempts,
            "last_error": d.last_error,
            "sent_at": d.sent_at,
            "simulated": d.simulated,
        }
        for d in rows[:1000]
    ]


@router.get("/subscription", response=SubscriptionOut, auth=django_auth)
def get_subscription(request):
    resident = getattr(request.user, "resident", None)
    sub = queries.subscription_of(resident) if resident else None
    if sub is None:
        raise NotFound("Bạn chưa đăng ký nhận thông báo.", code="engage.subscription_not_found")
    return sub


@router.put("/subscription", response=SubscriptionOut, auth=django_auth)
def put_subscription(request, payload: SubscriptionIn):
    resident = getattr(request.user, "resident", None)
    if resident is None:
        raise PermissionDenied("Tài khoản chưa gắn với nhân khẩu nào.", code="engage.not_allowed")
    return actions.save_subscription(actor=request.user, resident=resident, **payload.dict())


@router.get("/surveys", response=list[SurveyOut], auth=None)
def surveys(request, commune: str | None = None):
    return list(queries.public_surveys(_commune(commune)).prefetch_related("questions"))


@router.get("/surveys/{public_id}", response=SurveyOut, auth=None)
def survey(request, public_id: UUID):
    item = (
        queries.surveys_visible_to(request.user)
        .prefetch_related("questions")
        .filter(public_id=public_id)
        .first()
    )
    if item is None:
        raise NotFound("Không tìm thấy khảo sát.", code="engage.survey_not_found")
    return item


@router.post("/surveys/{public_id}/responses", response={201: ResponseOut}, auth=None)
@idempotent("engage.survey_answer")
@rate_limit("engage.survey_answer", per_minute=20)
def answer(request, public_id: UUID, payload: ResponseIn):
    item = queries.surveys_visible_to(request.user).filter(public_id=public_id).first()
    if item is None:
        raise NotFound("Không tìm thấy khảo sát.", code="engage.survey_not_found")
    response = actions.submit_response(actor=request.user, survey=item, raw=payload.answers)
    return 201, response


@router.get("/surveys/{public_id}/results", response=SurveyResultsOut, auth=django_auth)
def results(request, public_id: UUID):
    item = queries.survey_results_visible_to(request.user).filter(public_id=public_id).first()
    if item is None:
        raise NotFound("Không tìm thấy khảo sát.", code="engage.survey_not_found")
    data = queries.survey_results(item)
    return {
        "id": item.public_id,
        "title": item.title,
        "total": data["total"],
        "questions": [
            {
                "name": q["question"].name,
                "label": q["question"].label,
                "answered": q["answered"],
                "choices": q.get("choices"),
                "stats": q.get("stats"),
            }
            for q in data["questions"]
        ],
    }


@router.post("/feedback", response={201: FeedbackCreatedOut}, auth=None)
@idempotent("engage.feedback")
@rate_limit("engage.feedback", per_minute=10)
def send_feedback(request, payload: FeedbackIn):
    commune = _commune(payload.commune_code)
    category = queries.feedback_category_by_code(commune, payload.category)
    if category is None:
        raise NotFound("Không có lĩnh vực này.", code="engage.feedback_category_not_found")
    hamlet = hamlet_by_code(commune, payload.hamlet_code) if payload.hamlet_code else None
    feedback, secret = actions.submit_feedback(
        actor=request.user,
        commune=commune,
        category=category,
        text=payload.text,
        latitude=payload.latitude,
        longitude=payload.longitude,
        hamlet=hamlet,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        publish_consent=payload.publish_consent,
    )
    return 201, {
        "tracking_code": feedback.tracking_code,
        "secret": secret,
        "deadline": feedback.deadline,
    }


def _feedback_out(f) -> dict:
    return {
        "tracking_code": f.tracking_code,
        "category": f.category.name,
        "status": f.status,
        "received_on": f.received_on,
        "deadline": f.deadline,
        "overdue": f.is_overdue(timezone.localdate()),
        "text": f.text,
        "answer": f.answer,
        "rating": f.rating,
    }


@router.get("/feedback/public", response=list[PublicFeedbackOut], auth=None)
def public_feedback(request, commune: str | None = None, limit: int = 50):
    rows = queries.public_feedback(_commune(commune))[: max(1, min(limit, 200))]
    return [
        {
            "tracking_code": f.tracking_code,
            "category": f.category.name,
            "status": f.status,
            "received_on": f.received_on,
            "deadline": f.deadline,
            "public_text": f.public_text,
            "hamlet": str(f.hamlet) if f.hamlet else "",
            "latitude": f.public_latitude,
            "longitude": f.public_longitude,
            "answer": f.answer,
            "answered_on": timezone.localdate(f.answered_at) if f.answered_at else None,
        }
        for f in rows
    ]


@router.get("/feedback/{code}", response=FeedbackOut, auth=None)
@rate_limit("engage.feedback_follow", per_minute=30)
def follow_feedback(request, code: str, secret: str = ""):
    return _feedback_out(queries.feedback_for_follow(code=code, secret=secret, user=request.user))


@router.post("/feedback/{code}/rating", response=FeedbackOut, auth=None)
def rate(request, code: str, payload: FeedbackRatingIn):
    feedback = queries.feedback_for_follow(code=code, secret=payload.secret, user=request.user)
    actions.rate_feedback(
        actor=request.user,
        feedback=feedback,
        rating=payload.rating,
        comment=payload.comment,
        secret=payload.secret,
    )
    return _feedback_out(feedback)
