"""Survey exports as a KoboToolbox user expects them: empty cells empty, numbers as numbers,
a select_multiple also as one 1/0 column per choice, each repeat its own table linked to its
response, and nothing a spreadsheet would run as a formula."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from conftest import make_user
from langso.engage import exports
from langso.people.models import Role

from .conftest import xlsform
from .xlsform_cases import answer, open_form

CROPS = [["list_name", "name", "label"], ["cay", "che", "Chè"], ["cay", "lua", "Lúa"]]


@pytest.fixture
def household(commune, official):
    data = xlsform(
        [
            ["type", "name", "label", "calculation"],
            ["text", "chu_ho", "Chủ hộ", ""],
            ["integer", "so_nguoi", "Số người", ""],
            ["select_multiple cay", "cay", "Cây trồng", ""],
            ["begin repeat", "thanh_vien", "Thành viên", ""],
            ["text", "ten", "Tên", ""],
            ["decimal", "thu_nhap", "Thu nhập", ""],
            ["end repeat", "", "", ""],
            ["calculate", "tong_thu_nhap", "", "sum(${thu_nhap})"],
        ],
        CROPS,
        [["form_title"], ["Hộ gia đình"]],
    )
    survey = open_form(official, commune, data)
    for n, raw in enumerate(
        [
            {
                "chu_ho": '=HYPERLINK("http://x")',
                "so_nguoi": "2",
                "cay": ["che"],
                "thanh_vien": [{"ten": "An", "thu_nhap": "3.5"}, {"ten": "Bình"}],
            },
            {"chu_ho": "Chi"},
        ]
    ):
        assert "errors" not in answer(survey, make_user(f"dan{n}", Role.RESIDENT, commune), raw)
    return survey


def test_the_main_table_keeps_empty_cells_empty_and_numbers_as_numbers(household):
    main = exports.tables(household)["data"]
    head = main[0]
    assert head[:3] == ["_index", "_uuid", "_submission_time"]
    assert head[head.index("cay") : head.index("cay") + 3] == ["cay", "cay/che", "cay/lua"]
    first = dict(zip(head, main[1], strict=True))
    second = dict(zip(head, main[2], strict=True))
    assert first["so_nguoi"] == 2 and first["tong_thu_nhap"] == 3.5
    assert (first["cay"], first["cay/che"], first["cay/lua"]) == ("che", 1, 0)
    assert second["so_nguoi"] is None and second["cay/che"] is None
    assert "thanh_vien" not in head and "ten" not in head


def test_a_repeat_is_its_own_table_linked_to_the_response(household):
    table = exports.tables(household)["thanh_vien"]
    assert table[0] == [
        "ten",
        "thu_nhap",
        "_index",
        "_parent_table_name",
        "_parent_index",
        "_submission__uuid",
    ]
    assert [row[:5] for row in table[1:]] == [
        ["An", 3.5, 1, "data", 1],
        ["Bình", None, 2, "data", 1],
    ]


def test_xlsx_has_a_sheet_per_repeat_with_real_numbers_and_blank_cells(client, household, official):
    client.force_login(official)
    response = client.get(reverse("engage:survey_export", args=[household.public_id, "xlsx"]))
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["data", "thanh_vien", "questions"]
    data = wb["data"]
    head = [c.value for c in data[1]]
    row2 = {h: c.value for h, c in zip(head, data[2], strict=True)}
    row3 = {h: c.value for h, c in zip(head, data[3], strict=True)}
    assert row2["so_nguoi"] == 2 and isinstance(row2["so_nguoi"], int)
    assert row2["chu_ho"] == '\'=HYPERLINK("http://x")'  # shown, never run
    assert row3["so_nguoi"] is None and row3["cay"] is None
    assert wb["thanh_vien"]["B2"].value == 3.5 and wb["thanh_vien"]["E2"].value == 1


def test_csv_leaves_empty_cells_empty_and_gives_each_repeat_on_request(client, household, official):
    client.force_login(official)
    url = reverse("engage:survey_export", args=[household.public_id, "csv"])
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    head = rows[0]
    second = dict(zip(head, rows[2], strict=True))
    assert second["so_nguoi"] == "" and second["cay/che"] == ""
    assert "'" not in "".join(v for k, v in second.items() if k != "chu_ho")
    members = list(
        csv.reader(io.StringIO(client.get(url + "?sheet=thanh_vien").content.decode("utf-8-sig")))
    )
    assert members[1][:5] == ["An", "3.5", "1", "data", "1"]
    assert client.get(url + "?sheet=khong_co").status_code == 404


def test_the_results_page_links_each_repeat_table(client, household, official):
    client.force_login(official)
    page = client.get(reverse("engage:survey_results", args=[household.public_id]))
    assert "?sheet=thanh_vien" in page.content.decode()


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("", None),
        (None, None),
        (0, 0),
        (-3, -3),
        (2.5, 2.5),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+1", "'+1"),
        ("\tx", "'\tx"),
        ("Chè", "Chè"),
    ],
)
def test_every_cell_goes_through_one_function(value, cell):
    assert exports.safe_cell(value) == cell
