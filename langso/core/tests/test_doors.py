"""Views and API modules reach every object through a read function in their app's `queries`
module (`*_visible_to(user)`, `*_managed_by(user)` or another named read), never through
`Model.objects` directly. ALLOWED lists the remaining exceptions, each with its reason.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
# `Model.objects...` and `get_object_or_404(Model, ...)` both bypass the doors.
PATTERN = re.compile(
    r"\b([A-Z][A-Za-z]+)\.objects\b|\bget_object_or_404\(\s*([A-Z][A-Za-z]+)\s*[,)]"
)
GLOBS = ("langso/*/views.py", "langso/*/views/*.py", "langso/*/api.py", "langso/site/views.py")

# "path:Model": why this module may not read through queries.
ALLOWED: dict[str, str] = {
    "langso/engage/api.py:Announcement": (
        "an announcement that exists but is not the caller's answers the coded "
        "engage.announcement_not_found; announcements_visible_to would turn drafts of other "
        "communes into a bare 404"
    ),
}


def _occurrences() -> list[tuple[str, int, str]]:
    files = sorted({p for g in GLOBS for p in ROOT.glob(g)})
    found = []
    for path in files:
        rel = path.relative_to(ROOT).as_posix()
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("#"):
                continue
            for match in PATTERN.finditer(line):
                found.append((rel, lineno, match.group(1) or match.group(2)))
    return found


def test_views_and_api_read_through_queries():
    offenders = [
        f"{rel}:{lineno} {model}.objects"
        for rel, lineno, model in _occurrences()
        if f"{rel}:{model}" not in ALLOWED
    ]
    assert not offenders, "Read through the app's queries module instead:\n" + "\n".join(offenders)


def test_allowed_entries_are_still_needed():
    used = {f"{rel}:{model}" for rel, _, model in _occurrences()}
    stale = sorted(set(ALLOWED) - used)
    assert not stale, "Remove these ALLOWED entries, they no longer occur:\n" + "\n".join(stale)


def test_the_scan_finds_model_objects():
    assert PATTERN.search("x = Survey.objects.filter(pk=1)")
    assert PATTERN.search("get_object_or_404(Survey, pk=1)")
    assert not PATTERN.search("x = surveys_visible_to(user)")
    assert not PATTERN.search("get_object_or_404(queries.surveys_visible_to(user), pk=1)")
