"""The XLSForms that others wrote (../shared/conformance/xlsform/: the XLSForm site's cascading
select, pyxform's test forms, the XLSForm documentation's pizza form): each imports, then
behaves as its XLSForm says when a resident answers it."""

import pytest
from pyxform import xls2xform

from langso.engage.models import QuestionType

from .xlsform_cases import SHARED_FORMS, answer, open_form, shared_form

pytestmark = pytest.mark.skipif(
    not SHARED_FORMS, reason="the shared conformance forms are absent (../shared/conformance)"
)


@pytest.mark.parametrize("name", SHARED_FORMS)
def test_every_shared_form_converts_with_pyxform_and_imports(name, commune, official):
    data = shared_form(name)
    xls2xform.convert(xlsform=data, file_type=".xlsx", warnings=[])
    survey = open_form(official, commune, data, name)
    assert survey.questions.exists()


def test_the_cascading_select_offers_only_the_counties_of_the_chosen_state(
    commune, official, resident_user
):
    survey = open_form(official, commune, shared_form("cascading_select.xlsx"))
    assert survey.title == "Cascading select example"
    ok = answer(
        survey,
        resident_user,
        {"selected_state": "texas", "selected_county": "cameron", "selected_city": "harlingen"},
    )
    assert ok == {
        "selected_state": "texas",
        "selected_county": "cameron",
        "selected_city": "harlingen",
    }
    impossible = answer(
        survey,
        resident_user,
        {"selected_state": "texas", "selected_county": "king", "selected_city": "seattle"},
    )
    assert set(impossible["errors"]) == {"selected_county", "selected_city"}


def test_a_form_without_settings_sheet_is_titled_by_its_file_and_asks_a_phone_number(
    commune, official, resident_user
):
    survey = open_form(official, commune, shared_form("group.xlsx"), "group.xlsx")
    assert survey.title == "group"
    phone = survey.questions.get(name="phone_number")
    assert phone.qtype == QuestionType.PHONE
    assert phone.group_label == "Father"
    assert phone.label == "What's your father's phone number?"
    assert answer(survey, resident_user, {"phone_number": "0912 345 678", "age": "61"}) == {
        "phone_number": "0912345678",
        "age": 61,
    }
    refused = answer(survey, resident_user, {"phone_number": "gọi sau"})
    assert refused["errors"] == {"phone_number": "Số điện thoại chỉ gồm chữ số."}


def test_begin_loop_asks_its_question_once_per_choice_and_or_other_asks_what_other(
    commune, official, resident_user
):
    survey = open_form(official, commune, shared_form("loop.xlsx"))
    loop = list(survey.questions.filter(name__startswith="loop_toilet_types_"))
    assert [q.label for q in loop] == [
        "How many Pit latrine with slab are on the premises?",
        "How many Pit latrine without slab/open pit are on the premises?",
        "How many Bucket system are on the premises?",
        "How many Other are on the premises?",
    ]
    stored = answer(
        survey,
        resident_user,
        {
            "available_toilet_types": ["bucket_system", "other"],
            "available_toilet_types_other": "Nhà vệ sinh tự hoại",
            "loop_toilet_types_bucket_system_number": "2",
        },
    )
    assert stored["available_toilet_types_other"] == "Nhà vệ sinh tự hoại"
    assert stored["loop_toilet_types_bucket_system_number"] == 2
    without_other = answer(
        survey,
        resident_user,
        {"available_toilet_types": ["bucket_system"], "available_toilet_types_other": "x"},
    )
    assert "available_toilet_types_other" not in without_other


def test_text_and_integer_refuses_a_word_as_an_age(commune, official, resident_user):
    survey = open_form(official, commune, shared_form("text_and_integer.xlsx"))
    assert answer(survey, resident_user, {"your_name": "An", "your_age": "30"}) == {
        "your_name": "An",
        "your_age": 30,
    }
    assert "your_age" in answer(survey, resident_user, {"your_age": "ba mươi"})["errors"]


def test_the_pizza_form_calculates_the_tip_and_checks_age_and_relevance(
    commune, official, resident_user
):
    survey = open_form(official, commune, shared_form("xlsform_org_examples.xlsx"))
    stored = answer(
        survey,
        resident_user,
        {
            "likes_pizza": "yes",
            "favorite_toppings": ["cheese", "other"],
            "favorite_toppings_other": "Nấm",
            "favorite_cheese": "Mozzarella",
            "respondent_age": "30",
            "amount": "100",
        },
    )
    assert stored["tip"] == 18
    assert stored["favorite_toppings_other"] == "Nấm"
    skipped = answer(
        survey,
        resident_user,
        {
            "likes_pizza": "no",
            "favorite_toppings": ["cheese"],
            "favorite_cheese": "x",
            "respondent_age": "20",
        },
    )
    assert "favorite_toppings" not in skipped and "favorite_cheese" not in skipped
    young = answer(survey, resident_user, {"likes_pizza": "yes", "respondent_age": "17"})
    assert young["errors"] == {
        "respondent_age": "Respondent must be 18 or older to complete the survey."
    }
    assert answer(survey, resident_user, {})["errors"].keys() == {
        "likes_pizza",
        "respondent_age",
    }


def test_the_legacy_select_one_from_spelling_is_a_select_one(commune, official, resident_user):
    survey = open_form(official, commune, shared_form("yes_or_no_question.xlsx"))
    question = survey.questions.get(name="good_day")
    assert question.qtype == QuestionType.SELECT_ONE
    assert answer(survey, resident_user, {"good_day": "yes"}) == {"good_day": "yes"}
    assert "good_day" in answer(survey, resident_user, {"good_day": "maybe"})["errors"]
