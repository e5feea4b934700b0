"""Training pages: the commune's sessions and criterion 7.4 figure, a session's attendance,
the attendance sheet import and its template. Reads go through queries/training.py, writes
through actions/training.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.core.exceptions import PermissionDenied, ValidationFailed
from langso.core.uploads import MB, XLSX, accepts_files, check_upload
from langso.people.queries import residents_visible_to

from ..actions import training as actions
from ..attendance_sheet import attendance_template, read_attendance_sheet
from ..exceptions import NotAllowed
from ..forms import (
    AttendanceImportForm,
    OfficialAttendanceForm,
    ResidentAttendanceForm,
    TrainingSessionForm,
)
from ..models import TrainingAudience
from ..permissions import can_record_training, is_commune_official
from ..queries.figures import monitoring_figures
from ..queries.maps import default_commune
from ..queries.training import (
    attendance_of,
    courses_of,
    get_training_session_for,
    officials_to_train,
    search_commune_residents,
    sessions_with_attendance,
)
from .common import domain_errors

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _commune_for(user):
    commune = default_commune(user)
    if commune is None or not is_commune_official(user, commune):
        raise NotAllowed(_("Chỉ cán bộ xã được xem số liệu tập huấn."))
    return commune


def _page(request, commune, *, form=None, import_form=None, import_error=None, status=200):
    today = timezone.localdate()
    figures = monitoring_figures(
        unit_ids=[commune.pk], period_start=today.replace(month=1, day=1), period_end=today
    )[commune.pk]
    may_record = can_record_training(request.user, commune)
    return render(
        request,
        "society/training.html",
        {
            "commune": commune,
            "sessions": sessions_with_attendance(request.user, commune),
            "courses": courses_of(commune),
            "trained": figures["society.officials_trained_rate"],
            "residents_trained": figures["society.residents_trained"],
            "year": today.year,
            "may_record": may_record,
            "form": form or TrainingSessionForm(initial={"held_on": today}),
            "import_form": import_form or AttendanceImportForm(),
            "import_error": import_error,
        },
        status=status,
    )


@login_required
@domain_errors
def training(request):
    """The commune's training: criterion 7.4, its sessions, and (for the commune's leaders and
    civil servants) a form to add a session."""
    commune = _commune_for(request.user)
    form = TrainingSessionForm(request.POST or None)
    if request.method == "POST":
        if not can_record_training(request.user, commune):
            raise NotAllowed(_("Chỉ lãnh đạo, công chức của xã được ghi nhận tập huấn của xã."))
        if form.is_valid():
            try:
                session = actions.create_training_session(
                    actor=request.user, commune=commune, **form.cleaned_data
                )
            except ValidationFailed as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Đã thêm buổi tập huấn. Hãy điểm danh."))
                return redirect("society:training_session", session_id=session.pk)
        return _page(request, commune, form=form, status=422)
    return _page(request, commune)


@login_required
@domain_errors
def training_session(request, session_id: int):
    """One session: tick the officials present, or give the residents' head count and name
    residents found by a search."""
    session = get_training_session_for(request.user, session_id)
    if session is None:
        raise Http404
    commune = session.course.unit
    may_record = can_record_training(request.user, commune)
    if request.method == "POST" and not may_record:
        raise NotAllowed(_("Chỉ lãnh đạo, công chức của xã được điểm danh."))
    attendances = list(attendance_of(session))
    context = {"session": session, "commune": commune, "may_record": may_record}
    form: OfficialAttendanceForm | ResidentAttendanceForm
    if session.audience == TrainingAudience.OFFICIALS:
        officials = officials_to_train(commune)
        present = [a.user for a in attendances if a.user_id]
        form = OfficialAttendanceForm(
            request.POST or None, officials=officials, initial={"attendees": present}
        )
        if request.method == "POST" and form.is_valid():
            n = actions.set_official_attendance(
                actor=request.user, session=session, users=form.cleaned_data["attendees"]
            )
            messages.success(request, _("Đã lưu điểm danh: %(n)s cán bộ.") % {"n": n})
            return redirect("society:training_session", session_id=session.pk)
        context.update(form=form, present=present)
    else:
        query = request.GET.get("q", "")[:100]
        named = [a.resident for a in attendances if a.resident is not None]
        found = search_commune_residents(request.user, commune, query) if query else []
        named_ids = {r.pk for r in named}
        form = ResidentAttendanceForm(
            request.POST or None,
            residents=residents_visible_to(request.user).filter(commune=commune),
            named=residents_visible_to(request.user).filter(pk__in=named_ids),
            initial={"headcount": session.headcount},
        )
        if request.method == "POST" and form.is_valid():
            actions.set_resident_attendance(
                actor=request.user,
                session=session,
                headcount=form.cleaned_data["headcount"],
                add=form.cleaned_data["add"],
                remove=form.cleaned_data["remove"],
            )
            messages.success(request, _("Đã lưu điểm danh."))
            return redirect("society:training_session", session_id=session.pk)
        context.update(
            form=form,
            named=named,
            found=[r for r in found if r.pk not in named_ids],
            query=query,
            total=session.headcount + len(named),
        )
    status = 422 if request.method == "POST" else 200
    return render(request, "society/training_session.html", context, status=status)


@login_required
@require_POST
@domain_errors
def training_session_delete(request, session_id: int):
    session = get_training_session_for(request.user, session_id)
    if session is None:
        raise Http404
    if request.POST.get("confirm") != "1":
        if not can_record_training(request.user, session.course.unit):
            raise NotAllowed(_("Chỉ lãnh đạo, công chức của xã được xoá buổi tập huấn."))
        messages.error(request, _("Đánh dấu ô xác nhận để xoá buổi tập huấn."))
        return redirect("society:training_session", session_id=session.pk)
    actions.delete_training_session(actor=request.user, session=session)
    messages.success(request, _("Đã xoá buổi tập huấn."))
    return redirect("society:training")


@accepts_files
@login_required
@require_POST
@domain_errors
def training_import(request):
    """The attendance sheet: every row is checked before any is written."""
    commune = _commune_for(request.user)
    if not can_record_training(request.user, commune):
        raise NotAllowed(_("Chỉ lãnh đạo, công chức của xã được ghi nhận tập huấn của xã."))
    form = AttendanceImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, commune, import_form=form, status=422)
    try:
        checked = check_upload(form.cleaned_data["file"], kinds=(XLSX,), max_bytes=5 * MB)
        rows = read_attendance_sheet(checked.file)
        result = actions.import_attendance(actor=request.user, commune=commune, rows=rows)
    except PermissionDenied:
        raise
    except ValidationFailed as exc:
        return _page(request, commune, import_form=form, import_error=exc, status=422)
    messages.success(
        request,
        _("Đã nhập điểm danh: %(added)s lượt mới, %(already)s lượt đã có từ trước.")
        % {"added": result.added, "already": result.already},
    )
    return redirect("society:training")


@login_required
@domain_errors
def training_template(request):
    commune = _commune_for(request.user)
    data = attendance_template(
        sessions=sessions_with_attendance(request.user, commune),
        officials=officials_to_train(commune),
    )
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-diem-danh-tap-huan.xlsx"'
    return response
