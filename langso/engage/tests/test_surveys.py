import csv
import io
import json
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from conftest import make_user
from langso.core.models import AuditEvent
from langso.engage import actions
from langso.engage.exceptions import AlreadyAnswered, InvalidAnswers, NotAllowed, SurveyClosed
from langso.engage.models import Participation, QuestionType, SurveyKind, SurveyResponse
from langso.people.models import Role

FARM_QUESTIONS = [
    {
        "name": "co_trong_che",
        "label": "Có trồng chè?",
        "qtype": QuestionType.SELECT_ONE,
        "required": True,
        "choices": [{"name": "yes", "label": "Có"}, {"name": "no", "label": "Không"}],
    },
    {
        "name": "dien_tich",
        "label": "Diện tích (ha)",
        "qtype": QuestionType.DECIMAL,
        "required": True,
        "relevant": "${co_trong_che} = 'yes'",
        "constraint": ". > 0 and . < 50",
        "constraint_message": "Diện tích từ 0 đến 50 ha.",
    },
    {
        "name": "giong",
        "label": "Giống chè",
        "qtype": QuestionType.SELECT_MULTIPLE,
        "choices": [
            {"name": "trung_du", "label": "Trung du"},
            {"name": "lai", "label": "LDP1"},
            {"name": "khac", "label": "Khác"},
        ],
        "relevant": "${co_trong_che} = 'yes'",
        "constraint": "count-selected(.) <= 2",
    },
    {"name": "so_nguoi", "label": "Số người trong hộ", "qtype": QuestionType.INTEGER},
    {"name": "ngay", "label": "Ngày thu hái", "qtype": QuestionType.DATE},
    {"name": "vi_tri", "label": "Vị trí", "qtype": QuestionType.GEOPOINT},
    {"name": "y_kien", "label": "Ý kiến", "qtype": QuestionType.TEXT},
]


@pytest.fixture
def survey(commune, official):
    s = actions.create_survey(
        actor=official, commune=commune, title="Điều tra chè", questions=FARM_QUESTIONS
    )
    return actions.open_survey(actor=official, survey=s)


@pytest.fixture
def anonymous_survey(commune, official, hamlet):
    return actions.install_satisfaction_survey(actor=official, commune=commune)


SATISFIED = {
    "thon": "05641_01",
    "do_tuoi": "tu_30_44",
    "hai_long_chung": "5",
    "ha_tang": "4",
    "thu_nhap": "4",
    "moi_truong": "5",
    "van_hoa": "3",
    "hanh_chinh": "4",
    "an_ninh": "5",
}


def test_valid_answers_are_stored_typed(survey, resident_user):
    r = actions.submit_response(
        actor=resident_user,
        survey=survey,
        raw={
            "co_trong_che": "yes",
            "dien_tich": "1,5",
            "giong": ["trung_du", "lai"],
            "so_nguoi": "4",
            "ngay": "2026-03-02",
            "vi_tri": "21.70 105.77",
            "y_kien": " tốt ",
        },
    )
    r.refresh_from_db()
    assert r.answers == {
        "co_trong_che": "yes",
        "dien_tich": 1.5,
        "giong": ["trung_du", "lai"],
        "so_nguoi": 4,
        "ngay": "2026-03-02",
        "vi_tri": "21.700000 105.770000",
        "y_kien": "tốt",
    }
    assert r.respondent == resident_user


def test_a_question_that_is_not_relevant_is_skipped_even_if_required(survey, resident_user):
    r = actions.submit_response(
        actor=resident_user, survey=survey, raw={"co_trong_che": "no", "dien_tich": "999"}
    )
    assert r.answers == {"co_trong_che": "no"}


def test_required_constraint_and_type_errors_are_reported_per_question(survey, resident_user):
    with pytest.raises(InvalidAnswers) as exc:
        actions.submit_response(
            actor=resident_user,
            survey=survey,
            raw={
                "co_trong_che": "yes",
                "dien_tich": "80",
                "giong": ["trung_du", "lai", "khac"],
                "so_nguoi": "bốn",
                "ngay": "02/03/2026",
                "vi_tri": "abc",
            },
        )
    errors = exc.value.details["errors"]
    assert errors["dien_tich"] == "Diện tích từ 0 đến 50 ha."
    assert errors["giong"] == "Câu trả lời không thỏa điều kiện của câu hỏi."
    assert errors["so_nguoi"] == "Hãy nhập một số nguyên."
    assert errors["ngay"] == "Hãy nhập ngày theo dạng năm-tháng-ngày."
    assert "vĩ độ" in errors["vi_tri"]
    assert exc.value.message == "Có 5 câu trả lời chưa hợp lệ."
    with pytest.raises(InvalidAnswers) as exc:
        actions.submit_response(actor=resident_user, survey=survey, raw={"co_trong_che": "yes"})
    assert exc.value.details["errors"] == {"dien_tich": "Câu này bắt buộc trả lời."}
    assert SurveyResponse.objects.count() == 0


def test_a_choice_not_in_the_list_is_refused(survey, resident_user):
    with pytest.raises(InvalidAnswers) as exc:
        actions.submit_response(actor=resident_user, survey=survey, raw={"co_trong_che": "maybe"})
    assert exc.value.details["errors"]["co_trong_che"] == "Lựa chọn không có trong danh sách."


def test_one_answer_per_resident_when_the_survey_says_so(survey, resident_user):
    actions.submit_response(actor=resident_user, survey=survey, raw={"co_trong_che": "no"})
    with pytest.raises(AlreadyAnswered) as exc:
        actions.submit_response(actor=resident_user, survey=survey, raw={"co_trong_che": "no"})
    assert exc.value.code == "engage.survey_already_answered"
    assert SurveyResponse.objects.filter(survey=survey).count() == 1


def test_many_answers_allowed_when_the_survey_allows_it(commune, official, resident_user):
    s = actions.create_survey(
        actor=official,
        commune=commune,
        title="Góp ý",
        one_response_per_resident=False,
        questions=FARM_QUESTIONS[:1],
    )
    actions.open_survey(actor=official, survey=s)
    for _ in range(2):
        actions.submit_response(actor=resident_user, survey=s, raw={"co_trong_che": "no"})
    assert s.responses.count() == 2


def test_a_closed_or_draft_survey_takes_no_answers(commune, official, resident_user):
    s = actions.create_survey(
        actor=official, commune=commune, title="Nháp", questions=FARM_QUESTIONS[:1]
    )
    with pytest.raises(SurveyClosed):
        actions.submit_response(actor=resident_user, survey=s, raw={"co_trong_che": "no"})
    actions.open_survey(actor=official, survey=s)
    actions.close_survey(actor=official, survey=s)
    with pytest.raises(SurveyClosed) as exc:
        actions.submit_response(actor=resident_user, survey=s, raw={"co_trong_che": "no"})
    assert exc.value.message == "Khảo sát này không nhận trả lời."


def test_an_anonymous_response_cannot_be_traced_to_the_user(anonymous_survey, resident_user):
    before = AuditEvent.objects.count()
    r = actions.submit_response(actor=resident_user, survey=anonymous_survey, raw=SATISFIED)
    row = SurveyResponse.objects.filter(pk=r.pk).values().get()
    assert row["respondent_id"] is None
    assert row["submitted_at"] is None  # only the day is kept
    assert isinstance(row["submitted_on"], date)
    # No field holds the user's id, username or name. The only relation to a user is the
    # respondent, which is empty; no other value (the answers included) names the person.
    relations = {
        f.attname: f.related_model for f in SurveyResponse._meta.concrete_fields if f.is_relation
    }
    assert relations == {"survey_id": type(anonymous_survey), "respondent_id": type(resident_user)}
    for field, value in row.items():
        stored = json.dumps(value, ensure_ascii=False, default=str)
        for name in filter(
            None, (resident_user.username, resident_user.get_full_name(), "Nguyễn Văn An")
        ):
            assert name not in stored, field
    # the key is random, not a sequence that lines up with the participation row
    participation = Participation.objects.get(survey=anonymous_survey, user=resident_user)
    assert not hasattr(participation, "response")
    assert str(r.pk) != str(participation.pk)
    assert len(str(r.pk)) == 36
    # and nothing in the audit log ties the person to the answer
    assert AuditEvent.objects.count() == before
    # still only one answer each
    with pytest.raises(AlreadyAnswered):
        actions.submit_response(actor=resident_user, survey=anonymous_survey, raw=SATISFIED)


def test_a_login_is_needed_to_answer_a_one_answer_survey(anonymous_survey):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed):
        actions.submit_response(actor=AnonymousUser(), survey=anonymous_survey, raw=SATISFIED)


def test_the_satisfaction_template_asks_why_only_when_dissatisfied(anonymous_survey, resident_user):
    unhappy = {**SATISFIED, "hai_long_chung": "2"}
    with pytest.raises(InvalidAnswers) as exc:
        actions.submit_response(actor=resident_user, survey=anonymous_survey, raw=unhappy)
    assert list(exc.value.details["errors"]) == ["ly_do_chua_hai_long"]
    r = actions.submit_response(
        actor=resident_user,
        survey=anonymous_survey,
        raw={**unhappy, "ly_do_chua_hai_long": "Đường xuống cấp"},
    )
    assert r.answers["ly_do_chua_hai_long"] == "Đường xuống cấp"


def test_an_official_builds_a_survey_question_by_question(commune, official):
    s = actions.create_survey(actor=official, commune=commune, title="Nước sạch")
    actions.add_question(
        actor=official,
        survey=s,
        name="co_nuoc",
        label="Có nước máy?",
        qtype=QuestionType.SELECT_ONE,
        required=True,
        choices=[{"name": "yes", "label": "Có"}, {"name": "no", "label": "Không"}],
    )
    q = actions.add_question(
        actor=official,
        survey=s,
        name="ly_do",
        label="Vì sao?",
        qtype=QuestionType.TEXT,
        relevant="${co_nuoc} = 'no'",
    )
    assert q.position == 2
    from langso.core.exceptions import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        actions.add_question(
            actor=official,
            survey=s,
            name="x",
            label="X",
            qtype=QuestionType.TEXT,
            relevant="${khong_co} = 1",
        )
    assert "khong_co" in exc.value.message
    with pytest.raises(ValidationFailed):
        actions.add_question(
            actor=official, survey=s, name="ly_do", label="Trùng", qtype=QuestionType.TEXT
        )


def test_results_count_choices_and_export_to_csv_and_excel(client, survey, official, commune):
    for n, answer in enumerate(["yes", "yes", "no"]):
        user = make_user(f"dan{n}", Role.RESIDENT, commune)
        raw = {"co_trong_che": answer, "so_nguoi": str(n + 2)}
        if answer == "yes":
            raw["dien_tich"] = "2"
        actions.submit_response(actor=user, survey=survey, raw=raw)
    client.force_login(official)
    page = client.get(reverse("engage:survey_results", args=[survey.public_id]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "3 phiếu trả lời" in text
    assert "<svg" in text and "66.7" in text
    csv_response = client.get(reverse("engage:survey_export", args=[survey.public_id, "csv"]))
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["_index", "_uuid", "_submission_time", "respondent"]
    assert "co_trong_che" in rows[0] and len(rows) == 4
    xlsx = client.get(reverse("engage:survey_export", args=[survey.public_id, "xlsx"]))
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert wb["data"].max_row == 4
    assert wb["questions"]["A2"].value == "co_trong_che"
    assert AuditEvent.objects.filter(action="export", object_id=str(survey.pk)).count() == 2


def test_anonymous_survey_export_has_no_respondent_column(
    client, anonymous_survey, resident_user, official
):
    actions.submit_response(actor=resident_user, survey=anonymous_survey, raw=SATISFIED)
    client.force_login(official)
    response = client.get(reverse("engage:survey_export", args=[anonymous_survey.public_id, "csv"]))
    content = response.content.decode("utf-8-sig")
    assert "respondent" not in content.splitlines()[0]
    assert resident_user.username not in content


@pytest.mark.parametrize("who", ["other_official", "resident_user", "anonymous"])
def test_results_and_exports_are_refused_outside_the_commune(client, survey, who, request):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    results = client.get(reverse("engage:survey_results", args=[survey.public_id]))
    export = client.get(reverse("engage:survey_export", args=[survey.public_id, "csv"]))
    assert results.status_code in (302, 404)
    assert export.status_code in (302, 404)


def test_province_officer_reads_results(client, survey, province_officer):
    client.force_login(province_officer)
    assert client.get(reverse("engage:survey_results", args=[survey.public_id])).status_code == 200


def test_resident_answers_on_the_web_and_sees_errors_in_vietnamese(client, survey, resident_user):
    client.force_login(resident_user)
    url = reverse("engage:survey_answer", args=[survey.public_id])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="co_trong_che"' in page.content.decode()
    bad = client.post(url, {"co_trong_che": "yes", "dien_tich": "80"})
    assert bad.status_code == 422
    assert "Diện tích từ 0 đến 50 ha." in bad.content.decode()
    good = client.post(url, {"co_trong_che": "yes", "dien_tich": "3"}, follow=True)
    assert "Cảm ơn bạn đã trả lời!" in good.content.decode()
    again = client.get(url)
    assert "Bạn đã trả lời khảo sát này" in again.content.decode()


def test_the_relevance_endpoint_uses_the_server_evaluator(client, survey):
    url = reverse("engage:survey_relevance", args=[survey.public_id])
    data = client.post(url, {"co_trong_che": "no"}).json()
    assert data["relevant"]["dien_tich"] is False and data["relevant"]["so_nguoi"] is True
    assert client.post(url, {"co_trong_che": "yes"}).json()["relevant"]["dien_tich"] is True


def test_officials_upload_an_xlsform_and_see_rows_of_errors(client, official):
    from .conftest import xlsform

    client.force_login(official)
    bad = xlsform([["type", "name", "label"], ["text", "a", "A"], ["geoshape", "p", "P"]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("engage:survey_new"),
        {"mode": "upload", "xlsform": SimpleUploadedFile("f.xlsx", bad)},
    )
    assert response.status_code == 422
    assert "dòng 3" in response.content.decode()
    good = xlsform(
        [["type", "name", "label"], ["text", "a", "A"]], settings_rows=[["form_title"], ["Góp ý"]]
    )
    response = client.post(
        reverse("engage:survey_new"),
        {"mode": "upload", "xlsform": SimpleUploadedFile("f.xlsx", good)},
    )
    assert response.status_code == 302


def test_residents_cannot_open_the_survey_builder(client, resident_user, other_official, survey):
    client.force_login(resident_user)
    assert client.get(reverse("engage:survey_new")).status_code == 403
    client.force_login(other_official)
    assert client.get(reverse("engage:survey_edit", args=[survey.public_id])).status_code == 404


def test_surveys_page_lists_open_surveys(client, survey):
    page = client.get(reverse("engage:surveys"), {"xa": "05641"})
    assert "Điều tra chè" in page.content.decode()


def test_kind_of_the_template_is_programme_satisfaction(anonymous_survey):
    assert anonymous_survey.kind == SurveyKind.PROGRAMME_SATISFACTION


def test_a_question_still_read_by_another_cannot_be_removed(client, commune, official):
    s = actions.create_survey(
        actor=official, commune=commune, title="Nháp", questions=FARM_QUESTIONS[:2]
    )
    from langso.core.exceptions import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        actions.remove_question(actor=official, survey=s, name="co_trong_che")
    assert exc.value.message == "Câu “dien_tich” còn dùng câu “co_trong_che”."
    client.force_login(official)
    client.post(
        reverse("engage:survey_edit", args=[s.public_id]), {"op": "remove", "name": "dien_tich"}
    )
    client.post(
        reverse("engage:survey_edit", args=[s.public_id]), {"op": "remove", "name": "co_trong_che"}
    )
    assert not s.questions.exists()
