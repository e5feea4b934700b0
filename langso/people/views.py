"""Officials' pages for households and residents. Each view parses, checks, calls one action
or query, and renders; DomainErrors become 403/404 or a form error."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import exceptions as django_exceptions
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langso.core.exceptions import DomainError, NotFound, PermissionDenied
from langso.core.uploads import accepts_files

from . import actions, queries
from .exceptions import ImportRejected
from .exports import XLSX, export_filename, export_population
from .forms import HouseholdForm, ImportForm, ResidentEditForm, ResidentForm, RevealForm
from .sheets import template_workbook

PAGE_SIZE = 50


def population_page(view):
    """Login required; refused to users without any population scope; DomainErrors mapped."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not queries.can_browse_population(request.user):
            raise django_exceptions.PermissionDenied
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except PermissionDenied as exc:
            raise django_exceptions.PermissionDenied(exc.message) from exc

    return wrapper


def _commune_choice(request, code: str | None):
    """The commune chosen by code among those the user may see, or None."""
    if not code:
        return None
    commune = queries.communes_visible_to(request.user).filter(code=code).first()
    if commune is None:
        raise NotFound(_("Không tìm thấy xã."))
    return commune


def _single(qs):
    units = list(qs[:2])
    return units[0] if len(units) == 1 else None


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@population_page
def household_list(request):
    text = request.GET.get("q", "").strip()[:100]
    communes = list(queries.communes_visible_to(request.user))
    commune = _commune_choice(request, request.GET.get("xa")) or (
        communes[0] if len(communes) == 1 else None
    )
    hamlet_id = _int_or_none(request.GET.get("thon"))
    qs = queries.list_households(request.user, text=text, hamlet_id=hamlet_id, commune=commune)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("trang"))
    hamlets = list(queries.hamlets_visible_to(request.user, commune)) if commune else []
    editable = commune is not None and queries.can_edit_population(request.user, commune)
    params = request.GET.copy()
    params.pop("trang", None)
    return render(
        request,
        "people/household_list.html",
        {
            "page": page,
            "text": text,
            "communes": communes,
            "commune": commune,
            "hamlets": hamlets,
            "hamlet_id": hamlet_id,
            "can_edit": editable,
            "can_export": commune is not None and bool(communes),
            "query": params.urlencode(),
        },
    )


@population_page
def household_detail(request, pk: int):
    household = queries.get_household_for(request.user, pk)
    members = household.members.order_by("id")
    return render(
        request,
        "people/household_detail.html",
        {
            "household": household,
            "members": members,
            "can_edit": queries.can_edit_population(request.user, household.commune),
        },
    )


def _resident_for(request, pk: int):
    resident = queries.residents_visible_to(request.user).filter(pk=pk).first()
    if resident is None:
        raise NotFound(_("Không tìm thấy nhân khẩu."))
    return resident


def _resident_page(request, resident, *, revealed=False, form=None, status=200):
    return render(
        request,
        "people/resident_detail.html",
        {
            "resident": resident,
            "revealed": revealed,
            "can_reveal": queries.can_see_citizen_id(request.user, resident),
            "can_edit": queries.can_edit_population(request.user, resident.commune),
            "form": form or RevealForm(),
        },
        status=status,
    )


@population_page
def resident_detail(request, pk: int):
    return _resident_page(request, _resident_for(request, pk))


@require_POST
@population_page
def resident_reveal(request, pk: int):
    form = RevealForm(request.POST)
    if not form.is_valid():
        return _resident_page(request, _resident_for(request, pk), form=form, status=400)
    resident = queries.reveal_resident(
        user=request.user, resident_id=pk, purpose=form.cleaned_data["purpose"]
    )
    response = _resident_page(request, resident, revealed=True)
    response["Cache-Control"] = "no-store"
    return response


def _editable_commune(request, code: str | None):
    communes = queries.communes_editable_by(request.user)
    commune = communes.filter(code=code).first() if code else _single(communes)
    if commune is None:
        raise PermissionDenied(_("Bạn không có quyền sửa dữ liệu dân cư của đơn vị này."))
    return commune


@population_page
def household_create(request):
    commune = _editable_commune(request, request.GET.get("xa"))
    hamlets = queries.hamlets_visible_to(request.user, commune)
    form = HouseholdForm(request.POST or None, hamlets=hamlets)
    if request.method == "POST" and form.is_valid():
        try:
            household = actions.create_household(
                actor=request.user, commune=commune, **form.cleaned_data
            )
        except DomainError as exc:
            if isinstance(exc, PermissionDenied):
                raise
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã tạo hộ %(code)s.") % {"code": household.code})
            return redirect("people:household_detail", pk=household.pk)
    return render(
        request, "people/household_form.html", {"form": form, "commune": commune, "household": None}
    )


@population_page
def household_edit(request, pk: int):
    household = queries.get_household_for(request.user, pk)
    if not queries.can_edit_population(request.user, household.commune):
        raise PermissionDenied(_("Bạn không có quyền sửa hộ này."))
    hamlets = queries.hamlets_visible_to(request.user, household.commune)
    initial = {
        k: getattr(household, k)
        for k in ("code", "hamlet", "address_line", "latitude", "longitude")
    }
    form = HouseholdForm(request.POST or None, initial=initial, hamlets=hamlets)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_household(actor=request.user, household=household, **form.cleaned_data)
        except DomainError as exc:
            if isinstance(exc, PermissionDenied):
                raise
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lưu hộ %(code)s.") % {"code": household.code})
            return redirect("people:household_detail", pk=household.pk)
    return render(
        request,
        "people/household_form.html",
        {"form": form, "commune": household.commune, "household": household},
    )


@population_page
def resident_create(request, household_pk: int):
    household = queries.get_household_for(request.user, household_pk)
    if not queries.can_edit_population(request.user, household.commune):
        raise PermissionDenied(_("Bạn không có quyền sửa hộ này."))
    form = ResidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_resident(actor=request.user, household=household, **form.cleaned_data)
        except DomainError as exc:
            if isinstance(exc, PermissionDenied):
                raise
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã thêm nhân khẩu."))
            return redirect("people:household_detail", pk=household.pk)
    return render(
        request,
        "people/resident_form.html",
        {"form": form, "household": household, "resident": None},
    )


@population_page
def resident_edit(request, pk: int):
    resident = _resident_for(request, pk)
    if not queries.can_edit_population(request.user, resident.commune):
        raise PermissionDenied(_("Bạn không có quyền sửa nhân khẩu này."))
    initial = {
        k: getattr(resident, k)
        for k in ("full_name", "sex", "date_of_birth", "phone", "relation_to_head")
    }
    form = ResidentEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        if not changes["citizen_id"]:
            changes.pop("citizen_id")
        try:
            actions.update_resident(actor=request.user, resident=resident, **changes)
        except DomainError as exc:
            if isinstance(exc, PermissionDenied):
                raise
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lưu nhân khẩu."))
            return redirect("people:resident_detail", pk=resident.pk)
    return render(
        request,
        "people/resident_form.html",
        {"form": form, "household": resident.household, "resident": resident},
    )


@accepts_files
@population_page
def import_page(request):
    communes = list(queries.communes_editable_by(request.user))
    if not communes:
        raise PermissionDenied(_("Bạn không có quyền nhập dữ liệu dân cư."))
    form = ImportForm(request.POST or None, request.FILES or None, communes=communes)
    report, rejected = None, None
    if request.method == "POST" and form.is_valid():
        commune = next(c for c in communes if c.code == form.cleaned_data["commune"])
        upload = form.cleaned_data["file"]
        try:
            report = actions.import_population(
                actor=request.user,
                commune=commune,
                file=upload,
                mode=form.cleaned_data["mode"],
                filename=upload.name,
            )
        except ImportRejected as exc:
            rejected = exc
        except DomainError as exc:
            if isinstance(exc, PermissionDenied):
                raise
            form.add_error("file", exc.message)
    return render(
        request,
        "people/import.html",
        {
            "form": form,
            "report": report,
            "rejected": rejected,
            "status_errors": rejected.report if rejected else None,
        },
        status=422 if rejected else 200,
    )


@login_required
def import_template(request):
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-dan-cu.xlsx"'
    return response


@population_page
def export(request):
    communes = queries.communes_visible_to(request.user)
    code = request.GET.get("xa")
    commune = communes.filter(code=code).first() if code else _single(communes)
    if commune is None:
        if code:
            raise NotFound(_("Không tìm thấy xã."))
        messages.error(request, _("Chọn xã cần xuất dữ liệu."))
        return redirect("people:households")
    data, _count = export_population(user=request.user, commune=commune)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{export_filename(commune)}"'
    response["Cache-Control"] = "no-store"
    return response
