"""A minimal EPCIS 2.0 REST surface (mounted at /api/trace/):

- POST /capture  an EPCISDocument; all events stored or none (422 with the schema's reasons,
  at once); authenticated by an API key (`Authorization: Bearer lst_…` or `X-API-Key`) or a
  session. As in the standard: 202 with `Location: …/capture/<captureID>`; the job is
  already finished when the answer leaves (GET /capture/<captureID> tells its events). An
  event whose eventID names another stored event fails the capture: 409 naming the event,
  and the failed job (`success: false`, `errors`) stays at Location.
- GET /events    EPCIS query parameters (EQ_bizStep, GE_eventTime, LT_eventTime,
  EQ_bizLocation, MATCH_epc, MATCH_anyEPC, …) -> EPCISQueryDocument
  (`?format=document` -> EPCISDocument, e.g. to hand a partner a product's history);
  `perPage` (1-1000, default 500) and, when there is more, a `Link: <…>; rel="next"` header
  carrying `nextPageToken`.
"""

import uuid

from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Router
from ninja.responses import Status
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from langso.core.exceptions import ValidationFailed
from langso.core.idempotency import idempotent

from . import epcis
from .actions import capture_document
from .actions.batches import hash_key
from .exceptions import EpcisInvalid
from .models import ApiKey
from .queries import active_api_key, capture_jobs_visible_to, query_events
from .schemas import CaptureErrorOut, CaptureResult

router = Router(tags=["trace"])


def _key(token: str):
    if not token:
        return None
    return active_api_key(hash_key(token))


class BearerKey(HttpBearer):
    def authenticate(self, request, token):
        return _key(token)


class HeaderKey(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request, key):
        return _key(key)


AUTH = [BearerKey(), HeaderKey(), django_auth]


def _actor(request):
    auth = request.auth
    return auth if isinstance(auth, ApiKey) else request.user


@router.post(
    "/capture",
    auth=AUTH,
    response={202: CaptureResult, 409: CaptureErrorOut, 422: CaptureErrorOut},
    summary="EPCIS 2.0 capture",
)
@idempotent("trace.capture")
def capture(request):
    import json

    try:
        document = json.loads(request.body or b"null")
    except ValueError as exc:
        raise ValidationFailed(
            "Nội dung không phải JSON hợp lệ.", code="trace.invalid_json"
        ) from exc
    try:
        job = capture_document(actor=_actor(request), document=document)
    except EpcisInvalid as exc:
        return Status(
            422,
            {"code": exc.code, "detail": exc.message, "reasons": exc.details.get("reasons", [])},
        )
    if job.success:
        response = JsonResponse(_job_body(job), status=202)
    else:  # nothing stored: said at once, and the failed job stays readable at Location
        error = job.errors[0]
        response = JsonResponse(
            {
                "code": error["code"],
                "detail": error["detail"],
                "reasons": [e["detail"] for e in job.errors],
                "captureID": str(job.capture_id),
            },
            status=409,
        )
    response["Location"] = reverse("api:trace_capture_job", args=[job.capture_id])
    response["GS1-EPCIS-Version"] = "2.0.0"
    return response


def _job_body(job) -> dict:
    return {
        "captureID": str(job.capture_id),
        "running": False,
        "success": job.success,
        "captureErrorBehaviour": "rollback",
        "errors": [e["detail"] for e in job.errors],
        "captured": len(job.event_ids),
        "eventIDs": job.event_ids,
    }


@router.get(
    "/capture/{capture_id}",
    auth=AUTH,
    response={200: CaptureResult, 404: CaptureErrorOut},
    url_name="trace_capture_job",
    summary="EPCIS 2.0 capture job",
)
def capture_job(request, capture_id: uuid.UUID):
    job = capture_jobs_visible_to(_actor(request)).filter(capture_id=capture_id).first()
    if job is None:
        return Status(
            404,
            {"code": "trace.capture_not_found", "detail": "Không tìm thấy lần nhận dữ liệu này."},
        )
    return Status(200, _job_body(job))


@router.get("/events", auth=AUTH, summary="EPCIS 2.0 events query")
def events(request):
    params = request.GET.dict()
    try:
        rows, next_token = query_events(_actor(request), params)
    except ValueError as exc:
        raise ValidationFailed(
            f"Tham số truy vấn không hợp lệ: {exc}", code="trace.invalid_query"
        ) from exc
    docs = [e.document for e in rows]
    if params.get("format") == "document":
        body = epcis.document(docs)
    else:
        body = epcis.query_document(docs)
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/ld+json"
    response["GS1-EPCIS-Version"] = "2.0.0"
    response["Date"] = timezone.now().strftime("%a, %d %b %Y %H:%M:%S GMT")
    if next_token:
        following = request.GET.copy()
        following["nextPageToken"] = next_token
        response["Link"] = f'<{request.path}?{following.urlencode()}>; rel="next"'
    return response
