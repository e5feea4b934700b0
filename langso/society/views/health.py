from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from langso.core.exceptions import NotFound
from langso.people.models import User

from ..actions.health import grant_consent, withdraw_consent
from ..forms import ConsentForm
from ..models import HealthRecord
from ..queries.health import consents_of, get_health_record
from .common import domain_errors

PURPOSES = {
    "care": _("Khám, chữa bệnh"),
    "self": _("Người dân tự xem"),
    "consented": _("Theo sự đồng ý của người dân"),
}


@login_required
@domain_errors
def health_record(request, resident_id):
    purpose = request.GET.get("purpose", "care")
    if purpose not in PURPOSES:
        purpose = "care"
    record = get_health_record(user=request.user, resident_id=resident_id, purpose=purpose)
    return render(request, "society/health_record.html", {
        "record": record, "resident": record.resident, "purpose": PURPOSES[purpose]})


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def health_consents(request):
    """The resident's own page: who may read my health record, grant and withdraw."""
    record = HealthRecord.objects.filter(resident__user=request.user).select_related(
        "resident").first()
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
            grantee = User.objects.filter(username=form.cleaned_data["username"]).first()
            if grantee is None:
                form.add_error("username", _("Không tìm thấy tài khoản này."))
        if not form.errors:
            grant_consent(actor=request.user, record=record, grantee_user=grantee,
                          grantee_role=form.cleaned_data["role"],
                          purpose=form.cleaned_data["purpose"],
                          valid_from=form.cleaned_data["valid_from"],
                          valid_to=form.cleaned_data["valid_to"])
            messages.success(request, _("Đã cho phép xem hồ sơ."))
            return redirect("society:health_consents")
    return render(request, "society/health_consents.html", {
        "record": record, "consents": consents_of(request.user), "form": form},
        status=422 if request.method == "POST" else 200)
