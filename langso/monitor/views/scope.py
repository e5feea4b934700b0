"""The province's page for the New Rural programme's scope: which units are in it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from langso.core.exceptions import PermissionDenied, ValidationFailed
from langso.places.models import Level

from .. import actions, queries
from ..forms import ProgrammeMembershipForm
from ..permissions import can_manage_programme_scope
from .dashboards import YEARS, _year, domain_errors


@domain_errors
def programme_scope(request, code: str):
    province = queries.get_unit_for(request.user, code=code, level=Level.PROVINCE)
    can_manage = can_manage_programme_scope(request.user, province)
    year = _year(request)
    form = ProgrammeMembershipForm(request.POST or None, initial={"year_from": year})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("Chỉ cán bộ cấp tỉnh được quyết định phạm vi chương trình."))
        if form.is_valid():
            data = form.cleaned_data
            unit = queries.commune_in_province(province, data["unit"])
            try:
                if unit is None:
                    raise ValidationFailed(_("Không tìm thấy đơn vị trong tỉnh."))
                actions.set_programme_membership(
                    actor=request.user,
                    unit=unit,
                    included=data["included"],
                    year_from=data["year_from"],
                    year_to=data["year_to"],
                    reason=data["reason"],
                )
            except ValidationFailed as exc:
                form.add_error(None, exc.message)
            else:
                state = _("vào") if data["included"] else _("ra khỏi")
                messages.success(
                    request,
                    _("Đã đưa %(name)s %(state)s chương trình nông thôn mới từ năm %(year)s.")
                    % {"name": unit.name, "state": state, "year": data["year_from"]},
                )
                url = reverse("monitor:programme_scope", args=[province.code])
                return redirect(f"{url}?year={year}")
    rows = queries.programme_scope(province, year=year)
    return render(
        request,
        "monitor/programme_scope.html",
        {
            "unit": province,
            "year": year,
            "years": YEARS,
            "rows": rows,
            "included": sum(1 for r in rows if r.included),
            "can_manage": can_manage,
            "form": form,
        },
        status=422 if request.method == "POST" else 200,
    )
