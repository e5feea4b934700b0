"""The procedures API (mounted at /api/procedures/): what a provincial one-stop system needs to
read the catalogue, submit dossiers, follow and process them, and read the figures.

Authentication is the Django session; every error is `{"code": ..., "detail": ...}`.
"""

from datetime import date
from typing import Annotated
from uuid import UUID

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from langso.core import limits
from langso.core.exceptions import NotFound, PermissionDenied
from langso.core.idempotency import idempotent
from langso.core.ratelimit import rate_limit
from langso.core.schemas import ErrorOut
from langso.places.queries import commune_by_code

from . import actions, queries
from .exceptions import NotAuthenticated
from .models import Procedure, RatingChannel
from .schemas import (
    ApologyIn,
    ApologyOut,
    DossierDetailOut,
    DossierOut,
    FigureOut,
    HolidayOut,
    ProcedureIn,
    ProcedureOut,
    RatingIn,
    RatingOut,
    SubmittedOut,
    TrackIn,
    TrackOut,
    TransitionIn,
)

router = Router(tags=["procedures"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _user(request):
    user = request.user
    if not user.is_authenticated:
        raise NotAuthenticated(_("Vui lòng đăng nhập."))
    return user


def procedure_out(p: Procedure) -> dict:
    return {
        "id": p.pk,
        "commune_code": p.commune.code,
        "code": p.code,
        "name": p.name,
        "field": p.field,
        "field_label": str(p.get_field_display()),
        "required_documents": p.documents_list,
        "fee": p.fee,
        "fee_note": p.fee_note,
        "processing_time": p.processing_time,
        "time_unit": p.time_unit,
        "online_level": p.online_level,
        "online_level_label": str(p.get_online_level_display()),
        "legal_basis": p.legal_basis,
        "is_active": p.is_active,
    }


def dossier_out(d, *, flag: str = "") -> dict:
    return {
        "public_id": d.public_id,
        "receipt_code": d.receipt_code,
        "procedure_code": d.procedure.code,
        "procedure_name": d.procedure.name,
        "commune_code": d.commune.code,
        "channel": d.channel,
        "state": d.state,
        "state_label": str(d.get_state_display()),
        "portal_status": d.portal_status,
        "applicant_name": d.applicant_name,
        "submitted_at": d.submitted_at,
        "receipt_due_at": d.receipt_due_at,
        "due_at": d.due_at,
        "extended_due_at": d.extended_due_at,
        "settled_at": d.settled_at,
        "timeliness": d.timeliness,
        "version": d.version,
        "flag": flag or getattr(d, "flag", ""),
        "rated": hasattr(d, "rating"),
    }


def _events(d) -> list[dict]:
    return [
        {
            "at": e.at,
            "action": e.action,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "actor_name": e.actor_name,
            "comment": e.comment,
        }
        for e in d.events.all()
    ]


def dossier_detail_out(d) -> dict:
    files = [
        {
            "public_id": f.public_id,
            "kind": f.kind,
            "original_name": f.original_name,
            "content_type": f.content_type,
            "size": f.size,
            "sha256": f.sha256,
            "url": reverse("procedures:file", args=[f.public_id]),
        }
        for f in d.files.all()
    ]
    return {
        **dossier_out(d),
        "applicant_phone": d.applicant_phone,
        "applicant_address": d.applicant_address,
        "description": d.description,
        "outcome_reason": d.outcome_reason,
        "result_document_id": d.result_document_id,
        "events": _events(d),
        "files": files,
    }


# --- catalogue ------------------------------------------------------------------------------


@router.get("/catalogue", response=list[ProcedureOut], auth=None)
def list_procedures(request, q: str = "", field: str = "", commune_code: str = ""):
    commune = None
    if commune_code:
        commune = commune_by_code(commune_code)
    return [procedure_out(p) for p in queries.search_procedures(request.user, q, field, commune)]


@router.get("/catalogue/{procedure_id}", response={200: ProcedureOut, **ERRORS}, auth=None)
def get_procedure(request, procedure_id: int):
    return procedure_out(queries.get_procedure(request.user, procedure_id))


def _procedure_values(payload: ProcedureIn) -> dict:
    values = payload.dict()
    values["required_documents"] = "\n".join(values["required_documents"])
    return values


def _desk_commune(user):
    from .views.common import desk_commune

    commune = desk_commune(user)
    if commune is None:
        raise PermissionDenied(_("Bạn không có quyền sửa danh mục thủ tục."))
    return commune


@router.post("/catalogue", response={201: ProcedureOut, **ERRORS})
def create_procedure(request, payload: ProcedureIn):
    user = _user(request)
    procedure = actions.save_procedure(
        actor=user, commune=_desk_commune(user), **_procedure_values(payload)
    )
    return Status(201, procedure_out(procedure))


@router.put("/catalogue/{procedure_id}", response={200: ProcedureOut, **ERRORS})
def update_procedure(request, procedure_id: int, payload: ProcedureIn):
    user = _user(request)
    procedure = queries.procedures_editable_by(user).filter(pk=procedure_id).first()
    if procedure is None:
        raise NotFound(_("Không tìm thấy thủ tục."), code="procedures.procedure_not_found")
    procedure = actions.save_procedure(
        actor=user,
        commune=procedure.commune,
        procedure_id=procedure.pk,
        **_procedure_values(payload),
    )
    return procedure_out(procedure)


@router.get("/holidays", response=list[HolidayOut], auth=None)
def list_holidays(request, year: int | None = Query(None, ge=1, le=9999)):
    return list(queries.holidays(year).values("date", "name", "kind"))


# --- dossiers -------------------------------------------------------------------------------


@router.post("/dossiers", response={201: SubmittedOut, **ERRORS})
@idempotent("procedures.submit")
@rate_limit("procedures.submit", per_minute=10)
def submit(
    request,
    procedure_id: Form[int],
    applicant_name: Form[str],
    applicant_phone: Form[str] = "",
    applicant_email: Form[str] = "",
    applicant_address: Form[str] = "",
    description: Annotated[str, Form(max_length=limits.DESCRIPTION)] = "",
    channel: Form[int] = 2,
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]  # none sent: None
):
    dossier = actions.submit_dossier(
        actor=_user(request),
        procedure_id=procedure_id,
        applicant_name=applicant_name,
        applicant_phone=applicant_phone,
        applicant_email=applicant_email,
        applicant_address=applicant_address,
        description=description,
        files=files or [],
        channel=channel,
    )
    return Status(201, {**dossier_out(dossier), "tracking_secret": dossier.tracking_secret})


@router.get("/dossiers", response={200: list[DossierOut], **ERRORS})
def desk_list(request, state: str = "open", flag: str = "", q: str = ""):
    """The officials' queue (open dossiers by deadline unless `state` says otherwise)."""
    user = _user(request)
    rows, _counts = queries.desk_queue(user, state=state, flag=flag, text=q)
    return [dossier_out(d) for d in rows]


@router.get("/dossiers/mine", response={200: list[DossierOut], **ERRORS})
def mine(request):
    return [dossier_out(d) for d in queries.my_dossiers(_user(request))[:200]]


@router.get("/dossiers/{public_id}", response={200: DossierDetailOut, **ERRORS})
def detail(request, public_id: UUID):
    return dossier_detail_out(queries.dossier_detail(_user(request), public_id))


@router.post("/dossiers/{public_id}/transitions", response={200: DossierOut, **ERRORS})
def transition(request, public_id: UUID, payload: TransitionIn):
    dossier = actions.transition_dossier(
        actor=_user(request),
        dossier_id=public_id,
        to_state=payload.to_state,
        version=payload.version,
        comment=payload.comment,
        generate_result=payload.to_state == "completed",
    )
    return dossier_out(dossier)


@router.post("/dossiers/{public_id}/complete", response={200: DossierOut, **ERRORS})
def complete(
    request,
    public_id: UUID,
    version: Form[int],
    comment: Annotated[str, Form(max_length=limits.NOTE)] = "",
    result: File[UploadedFile] = None,  # type: ignore[assignment]  # none sent: None
):
    """Settle with a result: the uploaded file, or else a signed PDF from the documents app."""
    dossier = actions.complete_dossier(
        actor=_user(request),
        dossier_id=public_id,
        version=version,
        comment=comment,
        result_file=result,
    )
    return dossier_out(dossier)


@router.post("/dossiers/{public_id}/supplement", response={200: DossierOut, **ERRORS})
@idempotent("procedures.supplement")
def supplement(
    request,
    public_id: UUID,
    version: Form[int],
    comment: Annotated[str, Form(max_length=limits.NOTE)] = "",
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]  # none sent: None
):
    dossier = actions.transition_dossier(
        actor=_user(request),
        dossier_id=public_id,
        to_state="supplemented",
        version=version,
        comment=comment,
        files=files or [],
    )
    return dossier_out(dossier)


@router.post("/dossiers/{public_id}/apology", response={201: ApologyOut, **ERRORS})
def apology(request, public_id: UUID, payload: ApologyIn):
    slip = actions.issue_apology(
        actor=_user(request),
        dossier_id=public_id,
        version=payload.version,
        new_date=payload.new_date,
        reason=payload.reason,
    )
    return Status(201, slip)


@router.post("/dossiers/{public_id}/rating", response={201: RatingOut, **ERRORS}, auth=None)
@idempotent("procedures.rate")
def rate(request, public_id: UUID, payload: RatingIn):
    """The applicant (session, or the tracking secret), or a desk official's counter device
    (channel "kiosk")."""
    channel = RatingChannel.KIOSK if payload.channel == "kiosk" else RatingChannel.ONLINE
    rating = actions.rate_dossier(
        actor=request.user,
        dossier_id=public_id,
        level=payload.level,
        comment=payload.comment,
        channel=channel,
        tracking_secret=payload.tracking_secret,
    )
    return Status(201, rating)


@router.post("/track", response={200: TrackOut, **ERRORS}, auth=None)
@rate_limit("procedures.track", per_minute=20)
def track(request, payload: TrackIn):
    d = queries.track_dossier(payload.receipt_code, payload.secret)
    return {
        "receipt_code": d.receipt_code,
        "procedure_name": d.procedure.name,
        "state": d.state,
        "state_label": str(d.get_state_display()),
        "portal_status": d.portal_status,
        "submitted_at": d.submitted_at,
        "appointment_at": d.appointment_at,
        "settled_at": d.settled_at,
        "timeliness": d.timeliness,
        "rated": hasattr(d, "rating"),
        "events": _events(d),
    }


# --- figures --------------------------------------------------------------------------------


@router.get("/figures", response={200: list[FigureOut], **ERRORS}, auth=None)
def figures(request, commune_code: str, start: date | None = None, end: date | None = None):
    """Public summary figures of a commune for [start, end] (default: the last 12 months)."""
    commune = commune_by_code(commune_code)
    if commune is None:
        raise NotFound(_("Không tìm thấy xã."), code="procedures.unit_not_found")
    end = end or timezone.localdate()
    start = start or end.replace(year=end.year - 1)
    rows = queries.commune_figures(commune, start, end)
    return [
        {
            "code": r["code"],
            "label": r["definition"].label,
            "kind": r["definition"].kind,
            "description": r["definition"].description,
            "numerator": float(r["figure"].numerator),
            "denominator": None
            if r["figure"].denominator is None
            else float(r["figure"].denominator),
            "value": None if r["figure"].value is None else float(r["figure"].value),
        }
        for r in rows
    ]
