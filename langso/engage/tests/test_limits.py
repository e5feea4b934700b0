"""Free text is bounded: the page, the API and the action refuse feedback over its limit,
in Vietnamese, and save nothing."""

import pytest
from django.urls import reverse

from langso.core import limits
from langso.core.limits import TextTooLong
from langso.engage.actions.feedback import answer_feedback, submit_feedback
from langso.engage.models import Feedback

TOO_LONG = "Đường ngập nước. " * (limits.FEEDBACK // 10)  # about 8,500 characters


def test_the_feedback_page_refuses_text_over_its_limit_and_saves_nothing(client, commune, category):
    response = client.post(
        reverse("engage:feedback_new") + "?xa=05641",
        {"category": category.pk, "text": TOO_LONG},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "tối đa 5000 kí tự" in page  # Django's Vietnamese max_length message
    assert 'maxlength="5000"' in page
    assert not Feedback.objects.exists()


def test_the_feedback_api_refuses_text_over_its_limit_with_a_stable_code(client, commune, category):
    response = client.post(
        "/api/engage/feedback",
        {"commune_code": "05641", "category": "moi-truong", "text": TOO_LONG},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "engage.text_too_long"
    assert body["detail"] == "Trường “text” quá dài: tối đa 5.000 ký tự."
    assert not Feedback.objects.exists()


def test_text_at_the_limit_is_accepted(client, commune, category):
    response = client.post(
        "/api/engage/feedback",
        {"commune_code": "05641", "category": "moi-truong", "text": "a" * limits.FEEDBACK},
        content_type="application/json",
    )
    assert response.status_code == 201


def test_the_action_refuses_long_feedback_before_masking_it(commune, category):
    with pytest.raises(TextTooLong) as refused:
        submit_feedback(actor=None, commune=commune, category=category, text="0" * 1_000_000)
    assert refused.value.code == "engage.text_too_long"
    assert refused.value.message == "Nội dung phản ánh quá dài: tối đa 5.000 ký tự."
    assert not Feedback.objects.exists()


def test_an_answer_over_its_limit_is_refused(commune, category, official):
    feedback, _secret = submit_feedback(
        actor=None, commune=commune, category=category, text="Cống thoát nước bị tắc."
    )
    with pytest.raises(TextTooLong):
        answer_feedback(actor=official, feedback=feedback, answer="x" * (limits.FEEDBACK + 1))
    feedback.refresh_from_db()
    assert feedback.answer == ""


def test_the_model_refuses_long_text_in_full_clean(commune, category):
    from django.core.exceptions import ValidationError

    feedback, _secret = submit_feedback(
        actor=None, commune=commune, category=category, text="Cống thoát nước bị tắc."
    )
    feedback.text = "x" * (limits.FEEDBACK + 1)
    with pytest.raises(ValidationError) as refused:
        feedback.full_clean()
    assert "text" in refused.value.message_dict
