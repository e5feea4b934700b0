"""Resident pages: catalogue, procedure, submission, follow-up, my dossiers, rating,
downloads, and the public figures summary."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from langso.core import audit
from langso.core.exceptions import DomainError
from langso.core.idempotency import form_once
from langso.core.ratelimit import rate_limit
from langso.core.uploads import accepts_files
from langso.places.queries import home_commune

from .. import actions, queries, results
from ..forms import PeriodForm, RatingForm, SubmitForm, TrackForm
from ..models import RATEABLE_STATES, Channel, FileKind, ProcedureField, State
from ..permissions import is_applicant
from ..workflow import APPLICANT, available_from
from .common import TRACKED_SESSION_KEY, flash_error, http_errors, remember_tracked


def catalogue(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    field = request.GET.get("field", "")
    procedures = list(queries.search_procedures(request.user, text, field))
    return render(
        request,
        "procedures/catalogue.html",
        {"procedures": procedures, "q": text, "field": field, "fields": ProcedureField.choices},
    )


@http_errors
def procedure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = queries.get_procedure(request.user, pk)
    return render(request, "procedures/procedure_detail.html", {"procedure": procedure})


@accepts_files
@login_required
@http_errors
@require_http_methods(["GET", "POST"])
@rate_limit("procedures.submit", per_minute=10, methods=("POST",))
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = queries.get_procedure(request.user, pk)
    assert request.user.is_authenticated  # @login_required
    initial = {
        "applicant_name": request.user.get_full_name(),
        "applicant_phone": getattr(request.user, "phone", ""),
        "applicant_email": request.user.email,
    }
    form = SubmitForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():

        def create() -> str:
            dossier = actions.submit_dossier(
                actor=request.user,
                procedure_id=procedure.pk,
                files=request.FILES.getlist("files"),
                channel=Channel.ONLINE,
                **form.cleaned_data,
            )
            remember_tracked(request, dossier)
            return reverse("procedures:receipt", args=[dossier.public_id])

        try:
            # Once per form: F5 or a double click shows the first receipt, files nothing new.
            location = form_once(request, "procedures.submit", create)
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.http_status
        else:
            return redirect(location)
    elif request.method == "POST":
        status = 422
    return render(
        request, "procedures/submit.html", {"procedure": procedure, "form": form}, status=status
    )


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limit("procedures.track", per_minute=20, methods=("POST",))
def track(request: HttpRequest) -> HttpResponse:
    """Follow a dossier with its receipt code and secret (POST, so the secret stays out of
    addresses and logs)."""
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = queries.track_dossier(
                form.cleaned_data["receipt_code"], form.cleaned_data["secret"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            return render(request, "procedures/track.html", {"form": form}, status=404)
        remember_tracked(request, dossier)
        return redirect("procedures:dossier", public_id=dossier.public_id)
    return render(request, "procedures/track.html", {"form": form})


@never_cache
@http_errors
def receipt(request: HttpRequest, public_id) -> HttpResponse:
    """The receipt of a submitted dossier (the page a submission redirects to)."""
    d = queries.dossier_for_viewer(request.user, public_id, _tracked(request))
    at_counter = request.GET.get("quay") == "1"
    return render(request, "procedures/receipt.html", {"dossier": d, "at_counter": at_counter})


@login_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "procedures/my_dossiers.html",
        {"dossiers": queries.my_dossiers(request.user)[:200]},
    )


def _tracked(request) -> list[str]:
    return request.session.get(TRACKED_SESSION_KEY, [])


@never_cache
@http_errors
def dossier(request: HttpRequest, public_id) -> HttpResponse:
    d = queries.dossier_for_viewer(request.user, public_id, _tracked(request))
    applicant = is_applicant(request.user, d)
    can_rate = d.state in RATEABLE_STATES and not hasattr(d, "rating")
    return render(
        request,
        "procedures/dossier.html",
        {
            "dossier": d,
            "is_applicant": applicant,
            "applicant_actions": available_from(d.state, {APPLICANT}) if applicant else [],
            "can_rate": can_rate,
            "rating_form": RatingForm() if can_rate else None,
            "result_files": [f for f in d.files.all() if f.kind == FileKind.RESULT],
            "events": list(d.events.all()),
            "apologies": list(d.apologies.all()),
        },
    )


@accepts_files
@require_POST
@http_errors
def applicant_action(request: HttpRequest, public_id) -> HttpResponse:
    """Supplement or withdraw, by the logged-in applicant."""
    if not request.user.is_authenticated:
        raise Http404
    to_state = request.POST.get("to_state", "")
    if to_state not in (State.SUPPLEMENTED, State.WITHDRAWN):
        raise Http404
    page = reverse("procedures:dossier", args=[public_id])

    def act() -> str:
        actions.transition_dossier(
            actor=request.user,
            dossier_id=public_id,
            to_state=to_state,
            version=int(request.POST.get("version") or 0),
            comment=request.POST.get("comment", ""),
            files=request.FILES.getlist("files"),
        )
        return page

    try:
        form_once(request, "procedures.applicant_action", act)
    except DomainError as exc:
        flash_error(request, exc)
    else:
        messages.success(request, _("Đã cập nhật hồ sơ."))
    return redirect("procedures:dossier", public_id=public_id)


@require_POST
@http_errors
def rate(request: HttpRequest, public_id) -> HttpResponse:
    d = queries.dossier_for_viewer(request.user, public_id, _tracked(request))
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng chọn mức độ hài lòng."))
        return redirect("procedures:dossier", public_id=public_id)
    page = reverse("procedures:dossier", args=[d.public_id])

    def create() -> str:
        actions.rate_dossier(
            actor=request.user,
            dossier_id=d.public_id,
            level=form.cleaned_data["level"],
            comment=form.cleaned_data["comment"],
            tracking_secret=d.tracking_secret if str(d.public_id) in _tracked(request) else "",
        )
        return page

    try:
        form_once(request, "procedures.rate", create)
    except DomainError as exc:
        flash_error(request, exc)
    else:
        messages.success(request, _("Cảm ơn bạn đã đánh giá."))
    return redirect("procedures:dossier", public_id=public_id)


@http_errors
def attachment(request: HttpRequest, file_id) -> FileResponse:
    row = queries.file_for_viewer(request.user, file_id, _tracked(request))
    if request.user.is_authenticated and row.dossier.applicant_user_id != request.user.pk:
        # Somebody else's papers (an official at the desk): the read is logged.
        audit.record_read(
            actor=request.user, target=row.dossier, fields=["file"], purpose="xem tệp hồ sơ"
        )
    inline = request.GET.get("xem") == "1"
    response = FileResponse(
        row.file.open("rb"),
        content_type=row.content_type,
        as_attachment=not inline,
        filename=row.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@http_errors
def result(request: HttpRequest, public_id) -> FileResponse:
    """The signed result PDF issued by the documents app."""
    d = queries.dossier_for_viewer(request.user, public_id, _tracked(request))
    document = results.result_document(d.result_document_id)
    if document is None or not getattr(document, "file", None):
        raise Http404
    response = FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"ket-qua-{d.receipt_code}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _period(request) -> tuple[date, date, PeriodForm]:
    form = PeriodForm(request.GET or None)
    today = timezone.localdate()
    start, end = date(today.year, 1, 1), today
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    return start, end, form


def figures(request: HttpRequest) -> HttpResponse:
    """Public summary of a commune's figures for any period (counts and rates only)."""
    from langso.places.queries import commune_by_code

    code = request.GET.get("xa", "")
    commune = commune_by_code(code) if code else home_commune()
    if commune is None:
        raise Http404
    start, end, form = _period(request)
    return render(
        request,
        "procedures/figures.html",
        {
            "commune": commune,
            "rows": queries.commune_figures(commune, start, end),
            "form": form,
            "start": start,
            "end": end,
        },
    )
