"""Dashboards: a commune's criteria, a province's communes and targets, "how computed"."""

import json
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from langso.core.exceptions import DomainError
from langso.places.models import Level

from .. import queries
from ..forms import OverrideForm
from ..models import AssessmentStatus, Status
from ..permissions import (
    assessment_steps_for,
    can_enter_values,
    can_manage_programme_scope,
    can_start_assessment,
    may_override_recognition,
)

YEARS = range(2021, 2031)


def domain_errors(view):
    """Render a DomainError (403/404/409/422) as a page with its status and message."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return render(request, "monitor/error.html", {"error": exc}, status=exc.http_status)

    return login_required(wrapper)


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return year if year in YEARS else timezone.localdate().year


def _chosen_set(request, year: int):
    """The set the page shows: `?bo=<code>` among those in force in the year, else the
    standard New Rural set."""
    sets = queries.sets_for_year(year)
    wanted = request.GET.get("bo") or request.POST.get("bo") or ""
    chosen = next((s for s in sets if s.code == wanted), sets[0] if sets else None)
    return sets, chosen


def _assessment_panel(user, unit, overview) -> dict:
    """What the assessment section shows to `user`: only the steps the permission functions
    of `permissions.py` allow (the actions check the same functions)."""
    a = overview.assessment if overview else None
    panel = {
        "can_start": a is None and overview is not None and can_start_assessment(user, unit),
        "steps": [],
        "unmet": [],
        "can_override": False,
    }
    if a is None:
        return panel
    steps = assessment_steps_for(user, a)
    if a.status in (AssessmentStatus.SUBMITTED, AssessmentStatus.APPRAISED):
        panel["unmet"] = queries.unmet_in(overview)
    if panel["unmet"] and "recognise" in steps:
        steps.remove("recognise")  # it would be refused: the override form stands instead
        panel["can_override"] = may_override_recognition(user, a)
    panel["steps"] = steps
    return panel


@domain_errors
def commune_dashboard(request, code: str | None = None):
    if code is None:
        unit = queries.default_commune_for(request.user)
    else:
        unit = queries.get_unit_for(request.user, code=code, level=Level.COMMUNE)
    year = _year(request)
    sets, cset = _chosen_set(request, year)
    overview = queries.commune_overview(unit, year=year, criteria_set=cset) if cset else None
    changed = []
    if overview and overview.assessment and overview.assessment.is_frozen:
        changed = queries.data_changed_since(overview.assessment)
    trend_max = max([m for _, m in overview.trend] + [1]) if overview else 1
    return render(
        request,
        "monitor/commune_dashboard.html",
        {
            "unit": unit,
            "year": year,
            "years": YEARS,
            "sets": sets,
            "criteria_set": cset,
            "overview": overview,
            "changed": changed,
            "trend_max": trend_max,
            "Status": Status,
            "panel": _assessment_panel(request.user, unit, overview),
            "in_programme": bool(queries.in_programme([unit], year)),
            "can_enter": can_enter_values(request.user, unit),
            "override_form": OverrideForm(),
        },
    )


@domain_errors
def province_dashboard(request, code: str | None = None):
    if code is None:
        unit = queries.default_province_for(request.user)
    else:
        unit = queries.get_unit_for(request.user, code=code, level=Level.PROVINCE)
    year = _year(request)
    cset = queries.set_for_year(year)
    ranking = queries.province_ranking(unit, year=year, criteria_set=cset)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [r.unit.longitude, r.unit.latitude]},
            "properties": {
                "name": r.unit.name,
                "met": r.met,
                "total": r.total,
                "url": reverse("monitor:commune_detail", args=[r.unit.code]) + f"?year={year}",
            },
        }
        for r in ranking
        if r.unit.latitude is not None and r.unit.longitude is not None
    ]
    return render(
        request,
        "monitor/province_dashboard.html",
        {
            "unit": unit,
            "year": year,
            "years": YEARS,
            "criteria_set": cset,
            "ranking": ranking,
            "geojson": {"type": "FeatureCollection", "features": features},
            "total": ranking[0].total if ranking else 0,
            "targets": queries.progress_for(unit),
            "today": timezone.localdate(),
            "pending": queries.pending_assessments(request.user, unit),
            "can_manage_scope": can_manage_programme_scope(request.user, unit),
            "unit_values": queries.values_visible_to(request.user)
            .filter(unit=unit, year=year)
            .exclude(value__isnull=True)
            .order_by("indicator__criterion__criteria_set__code", "indicator__code"),
        },
    )


@domain_errors
def how_computed(request, value_id: int):
    info = queries.how_computed(request.user, value_id)
    return render(request, "monitor/how_computed.html", {"info": info, "v": info.value})


@domain_errors
def evidence_file(request, evidence_id: int):
    evidence = queries.evidence_visible_to(request.user).filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    return FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        filename=evidence.original_name,
    )


def geojson_text(data) -> str:
    return json.dumps(data, ensure_ascii=False)
