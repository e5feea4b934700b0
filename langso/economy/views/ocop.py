from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.core import audit
from langso.core.exceptions import DomainError
from langso.core.idempotency import form_once
from langso.core.uploads import accepts_files

from .. import actions
from ..forms import DecideForm, DossierForm, ScoreForm
from ..models import OcopDossier
from ..ocop_rules import level_rules_on
from ..permissions import can_edit_producer, can_evaluate
from ..queries import certificates_expiring_for, dossiers_visible_to
from ._common import form_error, get_product


@login_required
def dossier_list(request):
    dossiers = dossiers_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in OcopDossier.Status.values:
        dossiers = dossiers.filter(status=status)
    return render(
        request,
        "economy/dossier_list.html",
        {
            "dossiers": dossiers[:200],
            "status": status,
            "statuses": OcopDossier.Status.choices,
            "expiring": certificates_expiring_for(request.user),
        },
    )


@accepts_files
@login_required
def dossier_new(request, public_id):
    product = get_product(request, public_id)
    if not can_edit_producer(request.user, product.producer):
        raise Forbidden
    from ..ocop_rules import criteria_set_for

    today = timezone.localdate()
    sheet = criteria_set_for(product.ocop_group, today)
    form = DossierForm(request.POST or None, request.FILES or None, initial={"filed_on": today})
    score_form = (
        ScoreForm(request.POST or None, criteria_set=sheet, required=False, prefix="self")
        if sheet
        else None
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and (score_form is None or score_form.is_valid())
    ):

        def create() -> str:
            with transaction.atomic():  # a refused file leaves no dossier behind
                dossier = actions.file_dossier(
                    actor=request.user,
                    product=product,
                    filed_on=form.cleaned_data["filed_on"],
                    self_scores=score_form.scores() if score_form else {},
                    note=form.cleaned_data["note"],
                )
                if form.cleaned_data.get("file"):
                    actions.attach_dossier_file(
                        actor=request.user,
                        dossier=dossier,
                        upload=form.cleaned_data["file"],
                        title=form.cleaned_data["file_title"],
                    )
            return reverse("economy:dossier_detail", args=[dossier.public_id])

        try:
            location = form_once(request, "economy.ocop_dossier", create)
            messages.success(request, _("Đã nộp hồ sơ OCOP."))
            return redirect(location)
        except DomainError as exc:
            form_error(form, exc)
    return render(
        request,
        "economy/dossier_new.html",
        {"product": product, "form": form, "score_form": score_form, "sheet": sheet},
    )


def _dossier(request, public_id) -> OcopDossier:
    return get_object_or_404(dossiers_visible_to(request.user), public_id=public_id)


@login_required
def dossier_file(request, public_id, file_id: int):
    """A file of an OCOP dossier the reader may see (never served at MEDIA_URL)."""
    dossier = _dossier(request, public_id)
    row = get_object_or_404(dossier.files, pk=file_id)
    audit.record_read(actor=request.user, target=dossier, fields=["file"], purpose="xem tài liệu")
    response = FileResponse(row.file.open("rb"), filename=row.file.name.rsplit("/", 1)[-1])
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def dossier_detail(request, public_id):
    dossier = _dossier(request, public_id)
    rules = level_rules_on(dossier.filed_on)
    open_ = dossier.status in (OcopDossier.Status.SUBMITTED, OcopDossier.Status.REFERRED)
    receiving = open_ and dossier.current_level not in rules.rating_levels
    can_accept = receiving and can_evaluate(request.user, dossier, dossier.current_level)
    can_score = (
        open_ and not receiving and can_evaluate(request.user, dossier, dossier.current_level)
    )
    mine = (
        dossier.evaluations.filter(evaluator=request.user, level=dossier.current_level).first()
        if can_score
        else None
    )
    initial = {f"s_{k}": v for k, v in (mine.scores if mine else {}).items()}
    score_form = (
        ScoreForm(criteria_set=dossier.criteria_set, initial=initial) if can_score else None
    )
    return render(
        request,
        "economy/dossier_detail.html",
        {
            "dossier": dossier,
            "criteria": dossier.criteria_set.criteria.all(),
            "evaluations": dossier.evaluations.select_related("evaluator"),
            "files": dossier.files.all(),
            "certificates": dossier.certificates.all(),
            "rules": rules,
            "can_score": can_score,
            "can_accept": can_accept,
            "score_form": score_form,
            "decide_form": DecideForm(initial={"decided_on": timezone.localdate()}),
        },
    )


@login_required
@require_POST
def dossier_score(request, public_id):
    dossier = _dossier(request, public_id)
    if not can_evaluate(request.user, dossier, dossier.current_level):
        raise Forbidden
    form = ScoreForm(request.POST, criteria_set=dossier.criteria_set)
    if form.is_valid():
        try:
            actions.score_dossier(
                actor=request.user,
                dossier=dossier,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, _("Đã lưu phiếu chấm."))
            return redirect("economy:dossier_detail", public_id=dossier.public_id)
        except DomainError as exc:
            form_error(form, exc)
    return render(
        request, "economy/form.html", {"form": form, "title": _("Phiếu chấm OCOP")}, status=422
    )


@login_required
@require_POST
def dossier_accept(request, public_id):
    dossier = _dossier(request, public_id)
    try:
        actions.accept_dossier(actor=request.user, dossier=dossier)
        messages.success(request, _("Đã tiếp nhận và chuyển hồ sơ lên cấp đánh giá."))
    except DomainError as exc:
        if exc.http_status == 403:
            raise Forbidden(exc.message) from exc
        messages.error(request, exc.message)
    return redirect("economy:dossier_detail", public_id=dossier.public_id)


@login_required
@require_POST
def dossier_decide(request, public_id):
    dossier = _dossier(request, public_id)
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            dossier = actions.decide_dossier(
                actor=request.user,
                dossier=dossier,
                decided_on=form.cleaned_data["decided_on"],
                number=form.cleaned_data["number"],
            )
            messages.success(
                request,
                _("Kết luận: %(total)s điểm, %(star)s sao.")
                % {"total": dossier.result_total, "star": dossier.result_star},
            )
        except DomainError as exc:
            if exc.http_status == 403:
                raise Forbidden(exc.message) from exc
            messages.error(request, exc.message)
    return redirect("economy:dossier_detail", public_id=dossier.public_id)
