"""Helpers shared by the XLSForm conformance tests: where the shared forms are, and how a
test imports a form and answers it as a resident would."""

import os
from pathlib import Path

import pytest

from langso.engage import actions
from langso.engage.exceptions import InvalidAnswers

ROOT = Path(__file__).resolve().parents[3]
#: ../shared beside the checkout (as CI lays it out); LANGSO_SHARED_DIR points elsewhere
SHARED = Path(os.environ.get("LANGSO_SHARED_DIR") or ROOT.parent / "shared")
FORMS = SHARED / "conformance" / "xlsform"
SHARED_FORMS = sorted(p.name for p in FORMS.glob("*.xlsx")) if FORMS.is_dir() else []


def shared_form(name: str) -> bytes:
    path = FORMS / name
    if not path.exists():
        pytest.skip(f"the shared conformance forms are not at {FORMS} (set LANGSO_SHARED_DIR)")
    return path.read_bytes()


def open_form(official, commune, data: bytes, file_name: str = "form.xlsx", **kwargs):
    survey = actions.import_xlsform(
        actor=official,
        commune=commune,
        data=data,
        file_name=file_name,
        one_response_per_resident=False,
        **kwargs,
    )
    return actions.open_survey(actor=official, survey=survey)


def answer(survey, user, raw: dict) -> dict:
    """The stored answers, or the errors {key: message} when the form refuses them."""
    try:
        return actions.submit_response(actor=user, survey=survey, raw=raw).answers
    except InvalidAnswers as exc:
        return {"errors": exc.details["errors"]}
