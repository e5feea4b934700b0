from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from ..models import HelpTopic
from ..queries.teams import household_codes_of_teams, sessions_visible_to, teams_for_logging


@login_required
def help_log(request):
    """A small page that works offline: sessions go to a localStorage queue and are sent to
    the API when the phone is online (static/society/helplog.js)."""
    teams = list(teams_for_logging(request.user))
    codes = household_codes_of_teams(teams)
    return render(
        request,
        "society/help_log.html",
        {
            "teams": teams,
            "topics": HelpTopic.choices,
            "household_codes": codes,
            "sync_url": reverse("api:society_help_sessions"),
            "recent": sessions_visible_to(request.user).filter(helper=request.user)[:10],
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
