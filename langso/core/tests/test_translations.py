"""Every interface string has an English translation (the switch in the page header), none is
fuzzy, and the catalogue covers every string the code marks for translation: a new `_()` or
`{% translate %}` without an English entry fails here, not in front of a user."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from langso.core.testing.node_tools import missing

ROOT = Path(__file__).resolve().parents[3]
CATALOGUE = ROOT / "langso" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries(text: str):
    """(flags, msgid, msgstrs) of each entry of a .po file (header included)."""
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [ln for ln in block.splitlines() if not ln.startswith("#~")]
        flags = " ".join(ln for ln in lines if ln.startswith("#,"))
        fields: dict[str, str] = {}
        key = None
        for ln in lines:
            m = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', ln)
            if m:
                key = m.group(1)
                fields[key] = m.group(2)
            elif ln.startswith('"') and key:
                fields[key] += ln[1:-1]
        if "msgid" not in fields:
            continue
        strs = [v for k, v in fields.items() if k.startswith("msgstr")]
        yield flags, fields["msgid"], strs


def _untranslated(path: Path) -> list[str]:
    bad = []
    for flags, msgid, strs in _entries(path.read_text(encoding="utf-8")):
        if msgid == "":
            continue  # the header
        if "fuzzy" in flags:
            bad.append(f"fuzzy: {msgid[:80]}")
        elif not strs or any(s == "" for s in strs):
            bad.append(f"untranslated: {msgid[:80]}")
    return bad


def test_every_string_in_the_catalogue_is_translated_and_none_is_fuzzy():
    bad = _untranslated(CATALOGUE)
    assert not bad, f"{len(bad)} entries:\n" + "\n".join(bad[:40])


def test_the_compiled_catalogue_is_up_to_date():
    mo = CATALOGUE.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_size > 0
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        missing("msgfmt (Debian package gettext) is not installed")
    out = ROOT / "var" / "test-django.mo"
    out.parent.mkdir(exist_ok=True)
    subprocess.run([msgfmt, "--check-format", "-o", str(out), str(CATALOGUE)], check=True)  # noqa: S603
    assert out.read_bytes() == mo.read_bytes(), "run compilemessages -l en and commit the .mo"


def test_the_catalogue_holds_every_string_the_code_marks(tmp_path):
    if shutil.which("xgettext") is None:
        missing("xgettext (Debian package gettext) is not installed")
    copy = tmp_path / "langso"
    shutil.copytree(
        ROOT / "langso",
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "node_modules", "data", "fonts"),
    )
    script = (
        "import django, os\n"
        "from django.conf import settings\n"
        "django.setup()\n"
        f"settings.LOCALE_PATHS = [{str(copy / 'locale')!r}]\n"
        "from django.core.management import call_command\n"
        "call_command('makemessages', locale=['en'], no_obsolete=True, verbosity=0)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "PYTHONPATH": str(ROOT)}
    subprocess.run(  # noqa: S603 - Django's own makemessages over a copy of the sources
        [sys.executable, "-c", script], cwd=copy, env=env, check=True, timeout=600
    )
    bad = _untranslated(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert not bad, (
        f"{len(bad)} strings in the code have no English translation; run makemessages -l en, "
        "translate them in langso/locale/en/LC_MESSAGES/django.po and compilemessages:\n"
        + "\n".join(bad[:40])
    )
