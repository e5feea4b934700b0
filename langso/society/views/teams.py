from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from langso.people.models import OFFICIAL_ROLES

from ..models import HelpTopic, TeamHousehold
from ..permissions import is_commune_official
from ..queries.figures import monitoring_figures
from ..queries.maps import default_commune
from ..queries.teams import courses_visible_to, sessions_visible_to, teams_for_logging
from .common import domain_errors


@login_required
def help_log(request):
    """A small page that works offline: sessions go to a localStorage queue and are sent to
    the API when the phone is online (static/society/helplog.js)."""
    teams = list(teams_for_logging(request.user))
    codes = (
        TeamHousehold.objects.filter(team__in=teams)
        .order_by("household__code")
        .values_list("household__code", flat=True)[:500]
    )
    return render(
        request,
        "society/help_log.html",
        {
            "teams": teams,
            "topics": HelpTopic.choices,
            "household_codes": list(codes),
            "sync_url": reverse("api:society_help_sessions"),
            "recent": sessions_visible_to(request.user).filter(helper=request.user)[:10],
        },
    )


@login_required
@domain_errors
def training(request):
    commune = default_commune(request.user)
    if commune is None or not is_commune_official(request.user, commune):
        from ..exceptions import NotAllowed

        raise NotAllowed("Chỉ cán bộ xã được xem số liệu tập huấn.")
    today = timezone.localdate()
    figures = monitoring_figures(
        unit_ids=[commune.pk], period_start=today.replace(month=1, day=1), period_end=today
    )[commune.pk]
    return render(
        request,
        "society/training.html",
        {
            "commune": commune,
            "courses": courses_visible_to(request.user),
            "trained": figures["society.officials_trained_rate"],
            "coverage": figures,
            "official_roles": OFFICIAL_ROLES,
        },
    )


SERVICE_WORKER = """/* The help-session page offline: network first, cache as fallback. */
var CACHE = "langso-helplog-v1";
self.addEventListener("fetch", function (e) {
  if (e.request.method !== "GET") return;
  e.respondWith(fetch(e.request).then(function (r) {
    var copy = r.clone();
    caches.open(CACHE).then(function (c) { c.put(e.request, copy); });
    return r;
  }).catch(function () { return caches.match(e.request); }));
});
"""


def help_log_sw(request):
    """The service worker, served under the page's path so its scope covers the page."""
    from django.http import HttpResponse

    return HttpResponse(SERVICE_WORKER, content_type="application/javascript")
