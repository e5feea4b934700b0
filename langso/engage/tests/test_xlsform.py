from pathlib import Path

import pytest

from langso.engage import actions
from langso.engage.exceptions import InvalidXLSForm, NotAllowed
from langso.engage.models import QuestionType, SurveyKind, SurveyStatus
from langso.engage.xlsform import parse_xlsform

from .conftest import xlsform

TEMPLATE = Path(__file__).resolve().parent.parent / "data" / "khao_sat_hai_long_ntm.xlsx"

HEADER = ["type", "name", "label", "required", "constraint", "constraint_message", "relevant"]
CHOICES = [
    ["list_name", "name", "label"],
    ["yn", "yes", "Có"],
    ["yn", "no", "Không"],
    ["crops", "tea", "Chè"],
    ["crops", "rice", "Lúa"],
    ["crops", "fruit", "Cây ăn quả"],
]


def household_form() -> bytes:
    return xlsform(
        [
            HEADER,
            ["text", "ho_ten", "Họ tên chủ hộ", "yes", "", "", ""],
            ["integer", "so_nguoi", "Số nhân khẩu", "yes", ". > 0 and . < 30", "Từ 1 đến 29", ""],
            ["decimal", "dien_tich", "Diện tích chè (ha)", "", ". >= 0", "", ""],
            ["select_one yn", "trong_che", "Gia đình có trồng chè?", "yes", "", "", ""],
            ["begin_group", "che", "Về cây chè", "", "", "", "${trong_che} = 'yes'"],
            [
                "select_multiple crops",
                "cay_trong",
                "Cây trồng chính",
                "",
                "count-selected(.) <= 2",
                "Tối đa 2",
                "",
            ],
            ["end_group", "", "", "", "", "", ""],
            ["date", "ngay_thu_hoach", "Ngày thu hoạch gần nhất", "", ". <= today()", "", ""],
            ["geopoint", "vi_tri", "Vị trí vườn", "", "", "", "selected(${cay_trong}, 'tea')"],
            ["start", "start", "", "", "", "", ""],
        ],
        CHOICES,
        [["form_title", "form_id", "version"], ["Điều tra hộ trồng chè", "ho_che", "3"]],
    )


def test_a_real_xlsform_with_groups_constraints_and_relevance_is_read_question_by_question():
    form = parse_xlsform(household_form())
    assert form.title == "Điều tra hộ trồng chè"
    assert form.form_id == "ho_che" and form.version == "3"
    by_name = {q["name"]: q for q in form.questions}
    assert list(by_name) == [
        "ho_ten",
        "so_nguoi",
        "dien_tich",
        "trong_che",
        "cay_trong",
        "ngay_thu_hoach",
        "vi_tri",
    ]
    assert by_name["so_nguoi"]["qtype"] == QuestionType.INTEGER
    assert by_name["so_nguoi"]["constraint"] == ". > 0 and . < 30"
    assert by_name["so_nguoi"]["constraint_message"] == "Từ 1 đến 29"
    assert by_name["cay_trong"]["qtype"] == QuestionType.SELECT_MULTIPLE
    assert by_name["cay_trong"]["group_label"] == "Về cây chè"
    assert [c["name"] for c in by_name["cay_trong"]["choices"]] == ["tea", "rice", "fruit"]
    assert by_name["vi_tri"]["qtype"] == QuestionType.GEOPOINT
    assert by_name["vi_tri"]["relevant"] == "selected(${cay_trong}, 'tea')"
    assert by_name["ho_ten"]["required"] is True
    assert by_name["vi_tri"]["row"] == 10
    # the group's relevance applies to the questions inside it
    assert by_name["cay_trong"]["relevant"] == "${trong_che} = 'yes'"


def _refusal(data) -> list[dict]:
    with pytest.raises(InvalidXLSForm) as exc:
        parse_xlsform(data)
    assert exc.value.code == "engage.invalid_xlsform"
    assert exc.value.message.startswith("Biểu mẫu XLSForm không hợp lệ.")
    return exc.value.details["errors"]


def test_an_unsupported_question_type_is_refused_with_its_row():
    errors = _refusal(
        xlsform(
            [
                HEADER,
                ["text", "a", "A", "", "", "", ""],
                ["geotrace", "duong", "Đường", "", "", "", ""],
            ]
        )
    )
    assert errors[0] == {
        "sheet": "survey",
        "row": 3,
        "reason": "loại câu hỏi “geotrace” chưa được hỗ trợ trên web.",
    }


def test_a_repeat_inside_a_repeat_is_refused_with_its_row():
    errors = _refusal(
        xlsform(
            [
                HEADER,
                ["begin_repeat", "r", "R", "", "", "", ""],
                ["begin repeat", "r2", "R2", "", "", "", ""],
                ["text", "a", "A", "", "", "", ""],
                ["end repeat", "", "", "", "", "", ""],
                ["end_repeat", "", "", "", "", "", ""],
            ]
        )
    )
    assert errors[0] == {
        "sheet": "survey",
        "row": 3,
        "reason": "nhóm lặp “r2” nằm trong nhóm lặp “r”: nhóm lặp lồng nhau chưa được hỗ trợ.",
    }


def test_a_missing_choice_list_is_refused_with_pyxforms_row():
    errors = _refusal(xlsform([HEADER, ["select_one nolist", "a", "A", "", "", "", ""]], CHOICES))
    assert errors[0]["row"] == 2
    assert "nolist" in errors[0]["reason"]


def test_a_duplicate_name_is_refused_with_its_row():
    errors = _refusal(
        xlsform(
            [HEADER, ["integer", "a", "A", "", "", "", ""], ["integer", "a", "B", "", "", "", ""]]
        )
    )
    assert errors[0]["row"] == 3


def test_a_reference_to_an_unknown_field_is_refused_with_its_row():
    errors = _refusal(
        xlsform(
            [
                HEADER,
                ["text", "a", "A", "", "", "", ""],
                ["text", "b", "B", "", "", "", "${zz} = 1"],
            ]
        )
    )
    assert errors[0]["row"] == 3
    assert "${zz}" in errors[0]["reason"]


def test_an_unsupported_function_in_a_constraint_is_refused_with_its_row():
    errors = _refusal(xlsform([HEADER, ["text", "a", "A", "", "pulldata('x', 'y') = 1", "", ""]]))
    assert errors[0]["row"] == 2
    assert "pulldata" in errors[0]["reason"]


def test_every_problem_is_reported_not_only_the_first():
    errors = _refusal(
        xlsform([HEADER, ["range", "a", "A", "", "", "", ""], ["audio", "b", "B", "", "", "", ""]])
    )
    assert [e["row"] for e in errors] == [2, 3]


def test_a_file_that_is_not_excel_is_refused():
    errors = _refusal(b"%PDF-1.4 not a workbook")
    assert errors[0]["row"] is None


def test_a_workbook_without_survey_sheet_is_refused():
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "data"
    out = io.BytesIO()
    wb.save(out)
    errors = _refusal(out.getvalue())
    assert "survey" in errors[0]["reason"]


def test_importing_creates_a_draft_survey_with_the_questions(commune, official):
    survey = actions.import_xlsform(
        actor=official, commune=commune, data=household_form(), file_name="ho_che.xlsx"
    )
    assert survey.status == SurveyStatus.DRAFT
    assert survey.questions.count() == 7
    assert survey.source_file.name.endswith(".xlsx")


def test_an_official_of_another_commune_cannot_import_into_this_commune(commune, other_official):
    with pytest.raises(NotAllowed):
        actions.import_xlsform(actor=other_official, commune=commune, data=household_form())


def test_the_shipped_satisfaction_template_installs_with_the_communes_hamlets(
    commune, hamlet, official
):
    survey = actions.install_satisfaction_survey(actor=official, commune=commune)
    assert survey.title.startswith("Khảo sát mức độ hài lòng của người dân")
    assert survey.kind == SurveyKind.PROGRAMME_SATISFACTION
    assert survey.anonymous is True and survey.one_response_per_resident is True
    assert survey.status == SurveyStatus.OPEN
    assert survey.satisfaction_question == "hai_long_chung"
    assert survey.satisfied_values == ["4", "5"]
    names = list(survey.questions.values_list("name", flat=True))
    for field in (
        "thon",
        "do_tuoi",
        "hai_long_chung",
        "ha_tang",
        "thu_nhap",
        "moi_truong",
        "van_hoa",
        "hanh_chinh",
        "an_ninh",
        "y_kien",
    ):
        assert field in names
    thon = survey.questions.get(name="thon")
    assert thon.choices[0] == {"name": "05641_01", "label": "Xóm Khe Cốc"}
    assert [c["name"] for c in survey.questions.get(name="hai_long_chung").choices] == [
        "1",
        "2",
        "3",
        "4",
        "5",
    ]


def test_the_shipped_template_is_a_valid_xlsform():
    form = parse_xlsform(TEMPLATE.read_bytes())
    assert form.form_id == "ntm_hai_long"
