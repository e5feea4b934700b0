"""One shape for a model an action refuses: message in words, `<app>.<reason>`, fields."""

import pytest

from langso.core.exceptions import ValidationFailed
from langso.core.validation import validate
from langso.places.models import Hamlet

pytestmark = pytest.mark.django_db


def test_a_refusal_names_each_field_in_words_and_keeps_them_for_the_form(commune):
    hamlet = Hamlet(commune=commune, code="", name="", search_key="")
    with pytest.raises(ValidationFailed) as refused:
        validate(hamlet)
    error = refused.value
    assert error.code == "places.invalid"
    assert {"code", "name"} <= set(error.details["fields"])
    assert "Tên" in error.message or "Mã" in error.message
    assert "; " in error.message


def test_a_text_over_its_limit_has_its_own_code(commune):
    hamlet = Hamlet(commune=commune, code="05641-09", name="x" * 1000, search_key="x")
    with pytest.raises(ValidationFailed) as refused:
        validate(hamlet)
    assert refused.value.code == "places.text_too_long"


def test_a_caller_may_name_the_refusal(commune):
    with pytest.raises(ValidationFailed) as refused:
        validate(Hamlet(commune=commune), code="places.invalid_hamlet")
    assert refused.value.code == "places.invalid_hamlet"
