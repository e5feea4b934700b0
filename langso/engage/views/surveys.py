from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from langso.core import audit
from langso.core.exceptions import DomainError
from langso.core.idempotency import SUBMISSION_FIELD, form_once
from langso.core.models import AuditAction
from langso.core.ratelimit import rate_limit
from langso.core.uploads import accepts_files

from .. import actions, answering, exports, queries, survey_page
from ..actions.surveys import survey_accepts
from ..charts import bar_chart
from ..forms import QuestionForm, SurveyForm, XLSFormUploadForm
from ..permissions import can_manage, can_read_official_data
from .common import error_status, official_commune, public_commune, reader_commune

_NOT_ANSWERS = ("csrfmiddlewaretoken", "_repeat", SUBMISSION_FIELD)


def _raw(request) -> dict:
    raw = {key: request.POST.getlist(key) for key in request.POST if key not in _NOT_ANSWERS}
    for key in request.FILES:
        raw[key] = request.FILES.getlist(key)
    return raw


@require_GET
def surveys(request):
    commune = public_commune(request)
    own = reader_commune(request.user)
    managed = queries.surveys_of(own) if own else None
    return render(
        request,
        "engage/surveys.html",
        {
            "commune": commune,
            "open_surveys": queries.public_surveys(commune),
            "managed": managed,
            "can_create": own is not None and can_manage(request.user, own),
        },
    )


@accepts_files
@login_required
@require_http_methods(["GET", "POST"])
def survey_new(request):
    commune = official_commune(request.user)
    if commune is None:
        raise DjangoPermissionDenied
    mode = request.POST.get("mode", "")
    build = SurveyForm(request.POST if mode == "build" else None)
    upload = XLSFormUploadForm(
        request.POST if mode == "upload" else None, request.FILES if mode == "upload" else None
    )
    form_errors: list[dict] = []
    status = 200
    if request.method == "POST":
        form = build if mode == "build" else upload
        if form.is_valid():
            try:
                if mode == "build":
                    survey = actions.create_survey(
                        actor=request.user, commune=commune, **form.cleaned_data
                    )
                else:
                    file = form.cleaned_data["xlsform"]
                    survey = actions.import_xlsform(
                        actor=request.user,
                        commune=commune,
                        data=file.read(5_000_001),
                        file_name=file.name,
                        anonymous=form.cleaned_data["anonymous"] or None,
                    )
            except DomainError as exc:
                form.add_error(None, exc.message)
                form_errors = exc.details.get("errors", [])
                status = error_status(exc)
            else:
                messages.success(
                    request, _("Đã tạo khảo sát “%(title)s”.") % {"title": survey.title}
                )
                return redirect("engage:survey_edit", public_id=survey.public_id)
        else:
            status = 422
    return render(
        request,
        "engage/survey_new.html",
        {"build": build, "upload": upload, "form_errors": form_errors},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request, public_id):
    survey = get_object_or_404(queries.surveys_visible_to(request.user), public_id=public_id)
    if not can_manage(request.user, survey.commune):
        raise Http404
    form = QuestionForm(request.POST if request.POST.get("op") == "add" else None)
    status = 200
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "open":
                actions.open_survey(actor=request.user, survey=survey)
                messages.success(request, _("Khảo sát đã mở."))
                return redirect("engage:survey_edit", public_id=public_id)
            if op == "close":
                actions.close_survey(actor=request.user, survey=survey)
                messages.success(request, _("Khảo sát đã đóng."))
                return redirect("engage:survey_edit", public_id=public_id)
            if op == "remove":
                actions.remove_question(
                    actor=request.user, survey=survey, name=request.POST.get("name", "")
                )
                messages.success(request, _("Đã xoá câu hỏi."))
                return redirect("engage:survey_edit", public_id=public_id)
            if op == "add" and form.is_valid():
                actions.add_question(actor=request.user, survey=survey, **form.cleaned_data)
                messages.success(request, _("Đã thêm câu hỏi."))
                return redirect("engage:survey_edit", public_id=public_id)
            status = 422
        except DomainError as exc:
            form.add_error(None, exc.message)
            messages.error(request, exc.message)
            status = error_status(exc)
    return render(
        request,
        "engage/survey_edit.html",
        {
            "survey": survey,
            "questions": survey.questions.all(),
            "form": form,
            "responses": survey.responses.count(),
        },
        status=status,
    )


@accepts_files
@require_http_methods(["GET", "POST"])
@rate_limit("engage.survey_answer", per_minute=20, methods=("POST",))
def survey_answer(request, public_id):
    survey = get_object_or_404(queries.surveys_visible_to(request.user), public_id=public_id)
    questions = list(survey.questions.all())
    today = timezone.localdate()
    accepting = survey_accepts(survey, today)
    answered = queries.has_answered(request.user, survey) and survey.one_response_per_resident
    raw: dict = {}
    errors: dict = {}
    status = 200
    message = ""
    if request.method == "POST":
        raw = _raw(request)
        change = request.POST.get("_repeat", "")
        if change:
            # a repeat's add / remove button: show the form again, nothing is stored
            raw = answering.change_repeats(raw, change, questions)
        else:

            def create() -> str:
                actions.submit_response(actor=request.user, survey=survey, raw=raw)
                return reverse("engage:survey_thanks", args=[survey.public_id])

            try:
                return redirect(form_once(request, "engage.survey_answer", create))
            except DomainError as exc:
                message = exc.message
                errors = exc.details.get("errors", {})
                status = error_status(exc)
    state = answering.walk_form(questions, raw, today=today, blank=request.method == "GET")
    state.errors = errors if isinstance(errors, dict) else {}
    return render(
        request,
        "engage/survey_answer.html",
        {
            "survey": survey,
            "entries": survey_page.entries(questions, raw, state),
            "has_files": any(q.qtype in answering.UPLOADS for q in questions),
            "accepting": accepting,
            "answered": answered,
            "message": message,
            "needs_login": survey.login_required and not request.user.is_authenticated,
        },
        status=status,
    )


@require_GET
def survey_thanks(request, public_id):
    survey = get_object_or_404(queries.surveys_visible_to(request.user), public_id=public_id)
    return render(request, "engage/survey_thanks.html", {"survey": survey})


@accepts_files
@require_POST
def survey_relevance(request, public_id):
    """What applies given the answers so far: relevance, a cascade's remaining choices,
    computed values, labels that print answers and repeat counts (the page's script asks
    this, so the browser and the server use the same evaluator)."""
    survey = get_object_or_404(queries.surveys_visible_to(request.user), public_id=public_id)
    questions = list(survey.questions.all())
    state = answering.walk_form(questions, _raw(request), today=timezone.localdate())
    return JsonResponse(survey_page.as_json(questions, state))


@login_required
@require_GET
def survey_results(request, public_id):
    survey = get_object_or_404(queries.survey_results_visible_to(request.user), public_id=public_id)
    results = queries.survey_results(survey)
    for item in results["questions"]:
        if "choices" in item:
            item["chart"] = mark_safe(  # noqa: S308 - every text is escaped inside
                bar_chart(
                    [
                        {"label": c["label"], "count": c["count"], "share": c["share"]}
                        for c in item["choices"]
                    ],
                    title=item["question"].label,
                )
            )
    return render(
        request,
        "engage/survey_results.html",
        {
            "survey": survey,
            "results": results,
            "can_manage": can_manage(request.user, survey.commune),
            "repeat_sheets": exports.sheet_names(survey),
        },
    )


@login_required
@require_GET
def survey_export(request, public_id, fmt):
    survey = get_object_or_404(queries.survey_results_visible_to(request.user), public_id=public_id)
    if fmt not in ("csv", "xlsx") or not can_read_official_data(request.user, survey.commune):
        raise Http404
    audit.record(
        actor=request.user, action=AuditAction.EXPORT, target=survey, purpose=f"survey_export_{fmt}"
    )
    name = f"khao-sat-{survey.public_id}"
    if fmt == "csv":
        sheet = request.GET.get("sheet", exports.MAIN)
        if sheet != exports.MAIN:
            if sheet not in exports.sheet_names(survey):
                raise Http404
            name = f"{name}-{sheet}"
        response = HttpResponse(
            exports.to_csv(survey, sheet), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    response = HttpResponse(
        exports.to_xlsx(survey),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
