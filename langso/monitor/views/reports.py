"""Report downloads (Excel, PDF); every export is audit-logged."""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from langso.core import audit
from langso.core.exceptions import ValidationFailed
from langso.core.models import AuditAction
from langso.places.models import Level

from .. import queries, reports
from .dashboards import _chosen_set, _year, domain_errors

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _download(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@domain_errors
def commune_report(request, code: str, fmt: str):
    if fmt not in CONTENT_TYPES:
        raise Http404
    unit = queries.get_unit_for(request.user, code=code, level=Level.COMMUNE)
    year = _year(request)
    _sets, cset = _chosen_set(request, year)
    overview = queries.commune_overview(unit, year=year, criteria_set=cset) if cset else None
    if overview is None:
        raise ValidationFailed(_("Chưa có bộ tiêu chí áp dụng cho năm này."), code="monitor.no_set")
    build = reports.commune_xlsx if fmt == "xlsx" else reports.commune_pdf
    audit.record(
        actor=request.user,
        action=AuditAction.EXPORT,
        target=unit,
        purpose=f"monitor commune report {year} {fmt}",
    )
    return _download(build(overview), fmt, f"ntm-{unit.code}-{year}")


@domain_errors
def province_report(request, code: str, fmt: str):
    if fmt not in CONTENT_TYPES:
        raise Http404
    unit = queries.get_unit_for(request.user, code=code, level=Level.PROVINCE)
    year = _year(request)
    cset = queries.set_for_year(year)
    ranking = queries.province_ranking(unit, year=year, criteria_set=cset)
    build = reports.province_xlsx if fmt == "xlsx" else reports.province_pdf
    audit.record(
        actor=request.user,
        action=AuditAction.EXPORT,
        target=unit,
        purpose=f"monitor province report {year} {fmt}",
    )
    return _download(build(unit, year, cset, ranking), fmt, f"ntm-tinh-{unit.code}-{year}")
