"""Generated XLSForms, each converted by pyxform, one per feature a form writer uses: the form
imports and then behaves as XLSForm says; or it is refused naming the sheet, the row and the
feature in Vietnamese."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from pyxform import xls2xform

from langso.engage import actions, survey_page
from langso.engage.answering import walk_form
from langso.engage.exceptions import InvalidXLSForm
from langso.engage.models import QuestionType, SurveyAttachment

from .conftest import image_bytes, xlsform
from .xlsform_cases import answer, open_form

YN = [["list_name", "name", "label"], ["yn", "yes", "Có"], ["yn", "no", "Không"]]


def converts(data: bytes) -> bytes:
    """Every generated case is a form pyxform itself accepts."""
    xls2xform.convert(xlsform=data, file_type=".xlsx", warnings=[])
    return data


def refusal(data: bytes) -> list[dict]:
    converts(data)
    from langso.engage.xlsform import parse_xlsform

    with pytest.raises(InvalidXLSForm) as exc:
        parse_xlsform(data)
    return exc.value.details["errors"]


@pytest.fixture
def form(commune, official):
    def make(survey_rows, choices=None, settings=None, **kwargs):
        return open_form(
            official, commune, converts(xlsform(survey_rows, choices, settings)), **kwargs
        )

    return make


# --- features that import and behave ----------------------------------------------------------


def test_a_calculate_is_stored_and_printed_in_a_note(form, resident_user):
    survey = form(
        [
            ["type", "name", "label", "calculation"],
            ["calculate", "tong", "", "${nam} + ${nu}"],
            ["integer", "nam", "Số nam", ""],
            ["integer", "nu", "Số nữ", ""],
            ["note", "ket_qua", "Hộ có ${tong} người", ""],
        ]
    )
    assert answer(survey, resident_user, {"nam": "2", "nu": "3"}) == {"nam": 2, "nu": 3, "tong": 5}
    state = walk_form(list(survey.questions.all()), {"nam": ["2"], "nu": ["3"]})
    assert state.labels["ket_qua"] == "Hộ có 5 người"


def test_a_repeat_keeps_one_answer_set_per_member_and_sums_across_them(form, resident_user):
    survey = form(
        [
            ["type", "name", "label", "required", "calculation", "constraint"],
            ["begin repeat", "thanh_vien", "Thành viên", "", "", ""],
            ["text", "ten", "Họ tên", "yes", "", ""],
            ["integer", "tuoi", "Tuổi", "", "", ". < 130"],
            ["calculate", "tuoi_gap_doi", "", "", "${tuoi} * 2", ""],
            ["end repeat", "", "", "", "", ""],
            ["calculate", "so_nguoi", "", "", "count(${thanh_vien})", ""],
            ["calculate", "tong_tuoi", "", "", "sum(${tuoi})", ""],
        ]
    )
    web = {
        "thanh_vien[n]": ["2"],
        "thanh_vien[0].ten": ["An"],
        "thanh_vien[0].tuoi": ["40"],
        "thanh_vien[1].ten": ["Bình"],
        "thanh_vien[1].tuoi": ["12"],
    }
    assert answer(survey, resident_user, web) == {
        "thanh_vien": [
            {"ten": "An", "tuoi": 40, "tuoi_gap_doi": 80},
            {"ten": "Bình", "tuoi": 12, "tuoi_gap_doi": 24},
        ],
        "so_nguoi": 2,
        "tong_tuoi": 52,
    }
    api = {"thanh_vien": [{"ten": "An", "tuoi": "40"}, {"tuoi": "200"}]}
    assert answer(survey, resident_user, api)["errors"].keys() == {
        "thanh_vien[1].ten",
        "thanh_vien[1].tuoi",
    }


def test_begin_repeat_with_repeat_count_asks_as_many_times_as_the_answer_says(form):
    survey = form(
        [
            ["type", "name", "label", "repeat_count"],
            ["integer", "so_con", "Số con", ""],
            ["begin_repeat", "con", "Con", "${so_con}"],
            ["text", "ten_con", "Tên", ""],
            ["end_repeat", "", "", ""],
        ]
    )
    questions = list(survey.questions.all())
    state = walk_form(questions, {"so_con": ["3"]})
    assert state.counts == {"con": 3}
    keys = [e.get("key") for e in survey_page.entries(questions, {}, state)]
    assert "con[2].ten_con" in keys and "con[3].ten_con" not in keys


def test_a_constraint_that_names_its_own_question_accepts_what_it_allows(form, resident_user):
    survey = form(
        [
            ["type", "name", "label", "constraint", "constraint_message"],
            ["integer", "so_nguoi", "Số người", "${so_nguoi} > 0 and ${so_nguoi} < 30", "1-29"],
            ["decimal", "dien_tich", "Diện tích", ". >= 0.5", ""],
        ]
    )
    assert answer(survey, resident_user, {"so_nguoi": "5", "dien_tich": "0,5"}) == {
        "so_nguoi": 5,
        "dien_tich": 0.5,
    }
    refused = answer(survey, resident_user, {"so_nguoi": "40", "dien_tich": "0.1"})
    assert refused["errors"]["so_nguoi"] == "1-29"
    assert "dien_tich" in refused["errors"]


def test_required_uses_its_message_and_may_depend_on_an_answer(form, resident_user):
    survey = form(
        [
            ["type", "name", "label", "required", "required_message"],
            ["select_one yn", "co_vuon", "Có vườn?", "yes", "Hãy chọn có hoặc không"],
            ["decimal", "dien_tich", "Diện tích", "${co_vuon} = 'yes'", ""],
        ],
        YN,
    )
    assert answer(survey, resident_user, {})["errors"] == {"co_vuon": "Hãy chọn có hoặc không"}
    assert answer(survey, resident_user, {"co_vuon": "no"}) == {"co_vuon": "no"}
    assert "dien_tich" in answer(survey, resident_user, {"co_vuon": "yes"})["errors"]


def test_a_group_relevance_skips_every_question_inside_it(form, resident_user):
    survey = form(
        [
            ["type", "name", "label", "relevant", "required"],
            ["select_one yn", "co_vuon", "Có vườn?", "", "yes"],
            ["begin group", "vuon", "Về vườn", "${co_vuon} = 'yes'", ""],
            ["decimal", "dien_tich", "Diện tích", "", "yes"],
            ["end group", "", "", "", ""],
        ],
        YN,
    )
    assert survey.questions.get(name="dien_tich").group_label == "Về vườn"
    assert answer(survey, resident_user, {"co_vuon": "no", "dien_tich": "3"}) == {"co_vuon": "no"}
    assert "dien_tich" in answer(survey, resident_user, {"co_vuon": "yes"})["errors"]


def test_defaults_fill_a_blank_form_and_read_only_keeps_its_value(form, resident_user):
    survey = form(
        [
            ["type", "name", "label", "default", "read_only"],
            ["integer", "so_lan", "Số lần", "1", ""],
            ["text", "xa", "Xã", "Vô Tranh", "yes"],
            ["date", "ngay", "Ngày", "today()", ""],
        ]
    )
    questions = list(survey.questions.all())
    blank = walk_form(questions, {}, blank=True, today=date(2026, 3, 2))
    assert blank.values == {"so_lan": "1", "xa": "Vô Tranh", "ngay": "2026-03-02"}
    stored = answer(survey, resident_user, {"so_lan": "2", "xa": "Xã khác"})
    assert stored == {"so_lan": 2, "xa": "Vô Tranh"}


def test_time_and_datetime_answers_are_stored_in_iso_form(form, resident_user):
    survey = form(
        [
            ["type", "name", "label"],
            ["time", "gio", "Giờ"],
            ["datetime", "luc", "Lúc"],
            ["date", "ngay", "Ngày"],
        ]
    )
    stored = answer(
        survey, resident_user, {"gio": "07:30", "luc": "2026-03-02T07:30", "ngay": "2026-03-02"}
    )
    assert stored == {"gio": "07:30:00", "luc": "2026-03-02T07:30:00+07:00", "ngay": "2026-03-02"}
    assert "gio" in answer(survey, resident_user, {"gio": "25:99"})["errors"]


def test_labels_in_two_languages_follow_the_readers_language(form):
    survey = form(
        [
            ["type", "name", "label::English (en)", "label::Tiếng Việt (vi)"],
            ["select_one yn", "hai_long", "Satisfied?", "Hài lòng không?"],
        ],
        [
            ["list_name", "name", "label::English (en)", "label::Tiếng Việt (vi)"],
            ["yn", "yes", "Yes", "Có"],
            ["yn", "no", "No", "Không"],
        ],
        [["form_title", "default_language"], ["Hài lòng", "Tiếng Việt (vi)"]],
    )
    assert survey.default_language == "Tiếng Việt (vi)"
    question = survey.questions.get()
    assert question.label == "Hài lòng không?"
    state = walk_form([question], {})
    with translation.override("en"):
        entry = survey_page.entries([question], {}, state)[0]
        assert entry["label"] == "Satisfied?"
        assert [c["label"] for c in entry["choices"]] == ["Yes", "No"]
    with translation.override("vi"):
        entry = survey_page.entries([question], {}, state)[0]
        assert entry["label"] == "Hài lòng không?"
        assert [c["label"] for c in entry["choices"]] == ["Có", "Không"]


def test_allow_choice_duplicates_imports_a_list_that_repeats_a_value(form, resident_user):
    choices = [["list_name", "name", "label"], ["muc", "1", "Tốt"], ["muc", "1", "Rất tốt"]]
    survey = form(
        [["type", "name", "label"], ["select_one muc", "muc", "Mức"]],
        choices,
        [["form_title", "allow_choice_duplicates"], ["Mức", "yes"]],
    )
    assert survey.allow_choice_duplicates
    assert [c["label"] for c in survey.questions.get().choices] == ["Tốt", "Rất tốt"]
    assert answer(survey, resident_user, {"muc": "1"}) == {"muc": "1"}


def test_or_other_on_select_one_asks_what_the_other_is(form, resident_user):
    survey = form([["type", "name", "label"], ["select_one yn or_other", "nguon", "Nguồn"]], YN)
    assert [c["name"] for c in survey.questions.get(name="nguon").choices] == [
        "yes",
        "no",
        "other",
    ]
    stored = answer(survey, resident_user, {"nguon": "other", "nguon_other": "Giếng khoan"})
    assert stored == {"nguon": "other", "nguon_other": "Giếng khoan"}


def test_a_choice_filter_with_selected_narrows_the_next_list(form, resident_user):
    survey = form(
        [
            ["type", "name", "label", "choice_filter"],
            ["select_multiple cay", "trong", "Cây đang trồng", ""],
            ["select_one cay", "chinh", "Cây chính", "selected(${trong}, name)"],
        ],
        [
            ["list_name", "name", "label"],
            ["cay", "che", "Chè"],
            ["cay", "lua", "Lúa"],
            ["cay", "cam", "Cam"],
        ],
    )
    questions = list(survey.questions.all())
    assert walk_form(questions, {"trong": ["che", "cam"]}).choices == {"chinh": ["che", "cam"]}
    assert answer(survey, resident_user, {"trong": ["che"], "chinh": "che"})["chinh"] == "che"
    assert "chinh" in answer(survey, resident_user, {"trong": ["che"], "chinh": "lua"})["errors"]


def test_image_and_file_answers_are_checked_and_stored(form, resident_user):
    survey = form(
        [
            ["type", "name", "label", "required"],
            ["image", "anh", "Ảnh vườn", "yes"],
            ["file", "giay_to", "Giấy tờ", ""],
        ]
    )
    photo = SimpleUploadedFile("vuon.jpg", image_bytes(exif_gps=True), "image/jpeg")
    pdf = SimpleUploadedFile("giay.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    stored = answer(survey, resident_user, {"anh": [photo], "giay_to": [pdf]})
    files = SurveyAttachment.objects.filter(response__survey=survey)
    assert {a.question for a in files} == {"anh", "giay_to"}
    assert stored["anh"] == files.get(question="anh").file.name.rsplit("/", 1)[-1]
    assert b"GPS" not in files.get(question="anh").file.read()  # re-encoded, no EXIF
    fake = SimpleUploadedFile("anh.jpg", b"not an image at all", "image/jpeg")
    refused = answer(survey, resident_user, {"anh": [fake]})
    assert "anh" in refused["errors"]
    assert answer(survey, resident_user, {})["errors"].keys() == {"anh"}


def test_an_image_inside_a_repeat_is_stored_in_its_instance(form, resident_user):
    survey = form(
        [
            ["type", "name", "label"],
            ["begin repeat", "cay", "Cây"],
            ["text", "ten", "Tên"],
            ["image", "anh", "Ảnh"],
            ["end repeat", "", ""],
        ]
    )
    photo = SimpleUploadedFile("a.png", image_bytes("PNG"), "image/png")
    stored = answer(
        survey,
        resident_user,
        {"cay[n]": ["2"], "cay[0].ten": ["Chè"], "cay[1].ten": ["Cam"], "cay[1].anh": [photo]},
    )
    assert stored["cay"][0] == {"ten": "Chè"}
    assert stored["cay"][1]["anh"].endswith(".jpg")


def test_adding_and_removing_repeat_instances_keeps_the_other_answers(form):
    from langso.engage.answering import change_repeats

    survey = form(
        [
            ["type", "name", "label"],
            ["begin repeat", "r", "R"],
            ["text", "t", "T"],
            ["end repeat", "", ""],
        ]
    )
    questions = list(survey.questions.all())
    raw = {"r[n]": ["2"], "r[0].t": ["a"], "r[1].t": ["b"]}
    added = change_repeats(raw, "add:r", questions)
    assert added["r[n]"] == ["3"] and added["r[1].t"] == ["b"]
    removed = change_repeats(raw, "remove:r:0", questions)
    assert removed == {"r[n]": ["1"], "r[0].t": ["b"]}


# --- refusals: sheet, row and feature named ----------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "choices", "row", "words"),
    [
        ([["range", "diem", "Điểm"]], None, 2, ["range"]),
        ([["geotrace", "duong", "Đường"]], None, 2, ["geotrace"]),
        ([["audio", "ghi_am", "Ghi âm"]], None, 2, ["audio"]),
        ([["select_one_from_file xa.csv", "xa", "Xã"]], None, 2, ["tệp ngoài", "xa.csv"]),
        (
            [
                ["begin repeat", "ho", "Hộ"],
                ["begin repeat", "nguoi", "Người"],
                ["text", "ten", "Tên"],
                ["end repeat", "", ""],
                ["end repeat", "", ""],
            ],
            None,
            3,
            ["lồng nhau"],
        ),
        (
            [
                ["begin group", "a", "A"],
                ["text", "ten", "Tên"],
                ["end group", "", ""],
                ["begin group", "b", "B"],
                ["text", "ten", "Tên"],
                ["end group", "", ""],
            ],
            None,
            6,
            ["ten", "tên riêng"],
        ),
    ],
)
def test_a_feature_the_web_cannot_run_is_refused_naming_sheet_row_and_feature(
    rows, choices, row, words
):
    errors = refusal(xlsform([["type", "name", "label"], *rows], choices))
    assert errors[0]["sheet"] == "survey" and errors[0]["row"] == row
    assert all(w in errors[0]["reason"] for w in words), errors[0]["reason"]


@pytest.mark.parametrize(
    ("column", "text", "words"),
    [
        ("constraint", "pulldata('x', 'y', 'z', 'w') = 1", ["constraint", "pulldata"]),
        ("constraint", "regex(., '(a)\\1')", ["constraint", "chính quy"]),
        ("calculation", "1" + " + 1" * 400, ["calculation", "quá dài"]),
        ("relevant", "(" * 40 + "1" + ")" * 40, ["relevant", "lồng quá sâu"]),
    ],
)
def test_an_expression_outside_what_the_evaluator_runs_is_refused_with_its_row(column, text, words):
    errors = refusal(
        xlsform(
            [["type", "name", "label", column], ["text", "a", "A", ""], ["text", "b", "B", text]]
        )
    )
    assert errors[0]["sheet"] == "survey" and errors[0]["row"] == 3
    assert all(w in errors[0]["reason"] for w in words), errors[0]["reason"]


def test_a_choice_filter_on_a_column_the_choices_lack_is_refused():
    errors = refusal(
        xlsform(
            [
                ["type", "name", "label", "choice_filter"],
                ["select_one yn", "a", "A", ""],
                ["select_one yn", "b", "B", "tinh = ${a}"],
            ],
            YN,
        )
    )
    assert errors[0]["row"] == 3 and "tinh" in errors[0]["reason"]


def test_the_trigger_column_is_refused_not_ignored():
    errors = refusal(
        xlsform(
            [
                ["type", "name", "label", "trigger", "calculation"],
                ["text", "a", "A", "", ""],
                ["calculate", "b", "", "${a}", "string-length(${a})"],
            ]
        )
    )
    assert errors[0]["row"] == 3 and "trigger" in errors[0]["reason"]


def test_a_pyxform_error_keeps_its_sheet_and_row_under_a_vietnamese_heading():
    errors = _pyxform_refusal()
    assert errors[0]["sheet"] == "choices" and errors[0]["row"] == 3
    assert errors[0]["reason"].startswith("không đúng chuẩn XLSForm")


def _pyxform_refusal():
    from langso.engage.xlsform import parse_xlsform

    data = xlsform(
        [["type", "name", "label"], ["select_one muc", "muc", "Mức"]],
        [["list_name", "name", "label"], ["muc", "1", "Tốt"], ["muc", "1", "Rất tốt"]],
    )
    with pytest.raises(InvalidXLSForm) as exc:
        parse_xlsform(data)
    return exc.value.details["errors"]


def test_question_types_cover_what_the_issue_names():
    needed = {"text", "integer", "decimal", "date", "time", "datetime", "select_one"}
    needed |= {"select_multiple", "note", "calculate", "phone", "image", "file", "repeat"}
    assert needed <= set(QuestionType.values)


def test_an_official_sees_every_refusal_on_the_upload_page(client, official):
    from django.urls import reverse

    client.force_login(official)
    bad = xlsform([["type", "name", "label"], ["range", "a", "A"], ["audio", "b", "B"]])
    response = client.post(
        reverse("engage:survey_new"),
        {"mode": "upload", "xlsform": SimpleUploadedFile("f.xlsx", bad)},
    )
    text = response.content.decode()
    assert response.status_code == 422
    assert "dòng 2" in text and "dòng 3" in text and "range" in text and "audio" in text
    assert actions  # the action module the page called
