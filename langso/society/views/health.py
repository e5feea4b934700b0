from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from langso.core.exceptions import NotFound

from ..actions.health import (
    add_condition,
    add_vaccination,
    grant_consent,
    open_health_record,
    record_visit,
    withdraw_consent,
)
from ..forms import ConditionForm, ConsentForm, VaccinationForm, VisitForm
from ..permissions import is_health_staff
from ..queries.health import (
    consent_grantee,
    consents_of,
    get_health_record,
    own_health_record,
    resident_by_id,
    residents_for_health_staff,
    who_read_my_record,
)
from .common import domain_errors

ENTRY_FORMS = {
    "vaccination": (VaccinationForm, add_vaccination),
    "visit": (VisitForm, record_visit),
    "condition": (ConditionForm, add_condition),
}


@login_required
def health_home(request):
    """Health staff find a resident; a resident finds their own record and consents."""
    q = request.GET.get("q", "").strip()
    staff = residents_for_health_staff(request.user, q) if q else []
    own = own_health_record(request.user)
    return render(request, "society/health_home.html", {"q": q, "residents": staff, "own": own})


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def health_record(request, resident_id):
    purpose = request.GET.get("purpose", "")
    if request.method == "POST" and request.POST.get("action") == "open":
        resident = resident_by_id(resident_id)
        if resident is None:
            raise NotFound(_("Không tìm thấy nhân khẩu."))
        open_health_record(
            actor=request.user, resident=resident, blood_group=request.POST.get("blood_group", "")
        )
        messages.success(request, _("Đã lập hồ sơ sức khoẻ."))
        return redirect("society:health_record", resident_id=resident_id)
    try:
        record = get_health_record(user=request.user, resident_id=resident_id, purpose=purpose)
    except NotFound:
        resident = resident_by_id(resident_id)
        return render(request, "society/health_open.html", {"resident": resident}, status=404)
    forms = {}
    staff = is_health_staff(request.user, record.commune)
    if staff:
        action = request.POST.get("action") if request.method == "POST" else None
        for name, (form_class, _act) in ENTRY_FORMS.items():
            forms[name] = form_class(request.POST if action == name else None, prefix=name)
        if action in ENTRY_FORMS and forms[action].is_valid():
            ENTRY_FORMS[action][1](actor=request.user, record=record, **forms[action].cleaned_data)
            messages.success(request, _("Đã cập nhật hồ sơ."))
            return redirect("society:health_record", resident_id=resident_id)
    elif request.method == "POST":
        return render(
            request,
            "society/error.html",
            {"message": _("Chỉ nhân viên y tế của xã được cập nhật hồ sơ sức khoẻ.")},
            status=403,
        )
    return render(
        request,
        "society/health_record.html",
        {
            "record": record,
            "resident": record.resident,
            "purpose": record.read_purpose,
            "other_purposes": [p for p in record.read_purposes if p != record.read_purpose],
            # the export is a transfer for health staff; anyone else exports for the purpose
            # they read under
            "export_purpose": "transfer" if staff else record.read_purpose.code,
            "forms": forms,
            "staff": staff,
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def health_consents(request):
    """The resident's own page: who may read my health record, grant and withdraw."""
    record = own_health_record(request.user)
    if record is None:
        raise NotFound(_("Bạn chưa có hồ sơ sức khoẻ tại trạm y tế xã."))
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and request.POST.get("withdraw"):
        consent = consents_of(request.user).filter(pk=request.POST["withdraw"]).first()
        if consent is None:
            raise NotFound(_("Không tìm thấy sự đồng ý này."))
        withdraw_consent(actor=request.user, consent=consent)
        messages.success(request, _("Đã rút lại sự đồng ý."))
        return redirect("society:health_consents")
    if request.method == "POST" and form.is_valid():
        grantee = None
        if form.cleaned_data["username"]:
            grantee = consent_grantee(form.cleaned_data["username"])
            if grantee is None:
                form.add_error("username", _("Không tìm thấy tài khoản này."))
        if not form.errors:
            grant_consent(
                actor=request.user,
                record=record,
                grantee_user=grantee,
                grantee_role=form.cleaned_data["role"],
                purpose=form.cleaned_data["purpose"],
                valid_from=form.cleaned_data["valid_from"],
                valid_to=form.cleaned_data["valid_to"],
            )
            messages.success(request, _("Đã cho phép xem hồ sơ."))
            return redirect("society:health_consents")
    return render(
        request,
        "society/health_consents.html",
        {
            "record": record,
            "consents": consents_of(request.user),
            "form": form,
            "reads": who_read_my_record(request.user),
        },
        status=422 if request.method == "POST" else 200,
    )
