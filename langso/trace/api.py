"""A minimal EPCIS 2.0 REST surface (mounted at /api/trace/):

- POST /capture  an EPCISDocument; all events stored or none (422 with the schema's reasons);
  authenticated by an API key (`Authorization: Bearer lst_…` or `X-API-Key`) or a session.
  Capture is synchronous: 201 with the stored eventIDs instead of the standard's 202 job.
- GET /events    EPCIS query parameters (EQ_bizStep, GE_eventTime, LT_eventTime,
  EQ_bizLocation, MATCH_epc, MATCH_anyEPC, …) -> EPCISQueryDocument
  (`?format=document` -> EPCISDocument, e.g. to hand a partner a product's history).
"""

from django.http import JsonResponse
from django.utils import timezone
from ninja import Router
from ninja.responses import Status
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from langso.core.exceptions import ValidationFailed

from . import epcis
from .actions import import_epcis_document
from .actions.batches import hash_key
from .exceptions import EpcisInvalid
from .models import ApiKey
from .queries import query_events
from .schemas import CaptureResult, ErrorOut

router = Router(tags=["trace"])


def _key(token: str):
    if not token:
        return None
    key = (ApiKey.objects.select_related("producer", "producer__commune")
           .filter(key_hash=hash_key(token), revoked_at__isnull=True).first())
    return key


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


@router.post("/capture", auth=AUTH, response={201: CaptureResult, 422: ErrorOut},
             summary="EPCIS 2.0 capture")
def capture(request):
    import json

    try:
        document = json.loads(request.body or b"null")
    except ValueError as exc:
        raise ValidationFailed("Nội dung không phải JSON hợp lệ.",
                               code="trace.invalid_json") from exc
    try:
        stored = import_epcis_document(actor=_actor(request), document=document)
    except EpcisInvalid as exc:
        return Status(422, {"code": exc.code, "detail": exc.message,
                            "reasons": exc.details.get("reasons", [])})
    return Status(201, {"captured": len(stored), "eventIDs": [e.event_id for e in stored]})


@router.get("/events", auth=AUTH, summary="EPCIS 2.0 events query")
def events(request):
    params = request.GET.dict()
    try:
        rows = query_events(_actor(request), params)
    except ValueError as exc:
        raise ValidationFailed(f"Tham số truy vấn không hợp lệ: {exc}",
                               code="trace.invalid_query") from exc
    docs = [e.document for e in rows]
    if params.get("format") == "document":
        body = epcis.document(docs)
    else:
        body = epcis.query_document(docs)
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/ld+json"
    response["GS1-EPCIS-Version"] = "2.0.0"
    response["Date"] = timezone.now().strftime("%a, %d %b %Y %H:%M:%S GMT")
    return response
