"""The officials' desk: queue, dossier detail and actions, counter intake, kiosk rating,
catalogue editing, register export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from langso.core.exceptions import DomainError
from langso.core.idempotency import form_once
from langso.core.uploads import accepts_files
from langso.people.permissions import scoped_unit_ids

from .. import actions, exports, queries, results
from ..forms import ApologyForm, PeriodForm, ProcedureForm, RatingForm, SubmitForm
from ..models import OPEN_STATES, Channel, RatingChannel, State
from ..permissions import READ_ROLES, can_work_desk
from ..workflow import OFFICIAL, available_from
from .common import desk_commune, flash_error, http_errors

DESK_PAGE_SIZE = 50


def _require_reader(request):
    user = request.user
    if not (user.is_superuser or scoped_unit_ids(user, READ_ROLES)):
        raise DjangoPermissionDenied(_("Trang dành cho cán bộ."))


@login_required
@never_cache
def queue(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    state = request.GET.get("state", "open")
    flag = request.GET.get("flag", "")
    text = request.GET.get("q", "")
    now = timezone.now()
    counts = queries.desk_counts(request.user, now=now)
    # 50 rows a page: a commune's queue can hold hundreds, and officials work on phones too
    paginator = Paginator(
        queries.desk_rows(request.user, state=state, flag=flag, text=text, now=now),
        DESK_PAGE_SIZE,
    )
    if queries.desk_is_all_open(state=state, flag=flag, text=text):
        paginator.count = counts["open"]  # counted above already (count is a cached_property)
    page = paginator.get_page(request.GET.get("page"))
    rows = queries.with_flags(list(page.object_list), now)
    return render(
        request,
        "procedures/desk/queue.html",
        {
            "rows": rows,
            "page": page,
            "counts": counts,
            "state": state,
            "flag": flag,
            "q": text,
            "states": State.choices,
            "notifications": queries.desk_alerts(request.user),
            "commune": desk_commune(request.user),
        },
    )


@login_required
@never_cache
@http_errors
def detail(request: HttpRequest, public_id) -> HttpResponse:
    _require_reader(request)
    d = queries.dossier_detail(request.user, public_id)
    desk = can_work_desk(request.user, d.commune)
    return render(
        request,
        "procedures/desk/detail.html",
        {
            "dossier": d,
            "can_act": desk,
            "transitions": [t for t in available_from(d.state, {OFFICIAL})] if desk else [],
            "can_apologise": desk and d.state in OPEN_STATES,
            "apology_form": ApologyForm(),
            "documents_available": results.documents_available(),
            "events": list(d.events.all()),
            "files": list(d.files.all()),
            "apologies": list(d.apologies.all()),
            "rating": getattr(d, "rating", None),
        },
    )


@accepts_files
@login_required
@require_POST
@http_errors
def act(request: HttpRequest, public_id) -> HttpResponse:
    to_state = request.POST.get("to_state", "")
    try:
        version = int(request.POST.get("version") or 0)
        if to_state == State.COMPLETED:
            actions.complete_dossier(
                actor=request.user,
                dossier_id=public_id,
                version=version,
                comment=request.POST.get("comment", ""),
                result_file=request.FILES.get("result"),
                generate_result=bool(request.POST.get("generate")),
            )
        else:
            actions.transition_dossier(
                actor=request.user,
                dossier_id=public_id,
                to_state=to_state,
                version=version,
                comment=request.POST.get("comment", ""),
                files=request.FILES.getlist("files"),
            )
    except DomainError as exc:
        if exc.http_status == 404:
            raise
        flash_error(request, exc)
    else:
        messages.success(request, _("Đã cập nhật hồ sơ."))
    return redirect("procedures:desk_detail", public_id=public_id)


@login_required
@require_POST
@http_errors
def apology(request: HttpRequest, public_id) -> HttpResponse:
    form = ApologyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng nhập ngày hẹn mới và lý do."))
        return redirect("procedures:desk_detail", public_id=public_id)
    try:
        actions.issue_apology(
            actor=request.user,
            dossier_id=public_id,
            version=int(request.POST.get("version") or 0),
            **form.cleaned_data,
        )
    except DomainError as exc:
        if exc.http_status == 404:
            raise
        flash_error(request, exc)
    else:
        messages.success(request, _("Đã lập phiếu xin lỗi và hẹn lại."))
    return redirect("procedures:desk_detail", public_id=public_id)


@login_required
@never_cache
@http_errors
@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, public_id) -> HttpResponse:
    """A counter device: the official opens it, the applicant taps their rating."""
    d = queries.get_dossier(request.user, public_id)
    if not can_work_desk(request.user, d.commune):
        raise DjangoPermissionDenied
    form = RatingForm(request.POST or None)
    done = request.method == "GET" and request.GET.get("xong") == "1" and hasattr(d, "rating")
    status = 200
    if request.method == "POST" and form.is_valid():

        def create() -> str:
            actions.rate_dossier(
                actor=request.user,
                dossier_id=d.public_id,
                channel=RatingChannel.KIOSK,
                **form.cleaned_data,
            )
            return reverse("procedures:kiosk", args=[d.public_id]) + "?xong=1"

        try:
            # a double tap on the device shows the thanks once, not "already rated"
            return redirect(form_once(request, "procedures.kiosk", create))
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.http_status
    return render(
        request,
        "procedures/desk/kiosk.html",
        {"dossier": d, "form": form, "done": done},
        status=status,
    )


@accepts_files
@login_required
@require_http_methods(["GET", "POST"])
def counter(request: HttpRequest) -> HttpResponse:
    """Intake at the counter: the official records a dossier brought in person."""
    commune = desk_commune(request.user)
    if commune is None:
        raise DjangoPermissionDenied
    procedures = queries.search_procedures(request.user, commune=commune).filter(is_active=True)
    form = SubmitForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():

        def create() -> str:
            dossier = actions.submit_dossier(
                actor=request.user,
                procedure_id=int(request.POST.get("procedure") or 0),
                files=request.FILES.getlist("files"),
                channel=Channel.IN_PERSON,
                **form.cleaned_data,
            )
            return reverse("procedures:receipt", args=[dossier.public_id]) + "?quay=1"

        try:
            location = form_once(request, "procedures.counter", create)
        except (DomainError, ValueError) as exc:
            form.add_error(None, getattr(exc, "message", _("Vui lòng chọn thủ tục.")))
            status = getattr(exc, "http_status", 422)
        else:
            return redirect(location)
    return render(
        request,
        "procedures/desk/counter.html",
        {"form": form, "procedures": procedures},
        status=status,
    )


@login_required
def procedure_list(request: HttpRequest) -> HttpResponse:
    if desk_commune(request.user) is None:
        raise DjangoPermissionDenied
    return render(
        request,
        "procedures/desk/procedures.html",
        {"procedures": queries.procedures_editable_by(request.user)},
    )


@login_required
@http_errors
@require_http_methods(["GET", "POST"])
def procedure_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    commune = desk_commune(request.user)
    if commune is None:
        raise DjangoPermissionDenied
    instance = None
    if pk is not None:
        instance = queries.procedures_editable_by(request.user).filter(pk=pk).first()
        if instance is None:
            raise Http404
        commune = instance.commune
    form = ProcedureForm(request.POST or None, instance=instance)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.save_procedure(
                    actor=request.user, commune=commune, procedure_id=pk, **form.cleaned_data
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.http_status
            else:
                messages.success(request, _("Đã lưu thủ tục."))
                return redirect("procedures:desk_procedures")
        else:
            status = 422
    return render(
        request,
        "procedures/desk/procedure_form.html",
        {"form": form, "procedure": instance},
        status=status,
    )


@login_required
def export_register(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    form = PeriodForm(request.GET or None)
    start = end = None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    content = exports.register_workbook(request.user, start=start, end=end)
    response = HttpResponse(
        content, content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )
    name = f"so-theo-doi-ho-so-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    actions.mark_notifications_read(actor=request.user)
    return redirect("procedures:desk")
