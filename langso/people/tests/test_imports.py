from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from langso.core.exceptions import PermissionDenied, ValidationFailed
from langso.core.models import AuditAction, AuditEvent
from langso.core.tests.upload_files import xlsx_bomb
from langso.core.uploads import ArchiveTooLarge, UploadWrongType
from langso.people.actions import import_population
from langso.people.exceptions import ImportRejected
from langso.people.imports import ImportMode
from langso.people.models import Household, Relation, Resident
from langso.people.sheets import template_workbook

from .factories import CHILD_ROW, HEAD_ROW, HEADERS, OTHER_HEAD, WIFE_ROW, csv_file, xlsx_file

pytestmark = pytest.mark.django_db


def errors_of(exc_info):
    return [(e.row, e.column, e.reason) for e in exc_info.value.report.errors]


@pytest.mark.parametrize("bom", [True, False])
def test_csv_import_creates_households_residents_and_heads(official, commune, hamlet, bom):
    report = import_population(
        actor=official,
        commune=commune,
        file=csv_file([HEAD_ROW, WIFE_ROW, CHILD_ROW, OTHER_HEAD], bom=bom),
    )
    assert (report.households, report.residents, report.written) == (2, 4, True)
    hh = Household.objects.get(commune=commune, code="05641-10001")
    assert hh.hamlet == hamlet
    assert hh.head.full_name == "Hoàng Văn Bình"
    assert (hh.latitude, hh.longitude) == (21.71, 105.77)
    assert "hoang van binh" in hh.search_key
    assert [m.relation_to_head for m in hh.members.order_by("id")] == [
        Relation.HEAD,
        Relation.SPOUSE,
        Relation.CHILD,
    ]
    wife = Resident.objects.get(full_name="Đặng Thị Hà")
    assert (wife.sex, wife.date_of_birth, wife.citizen_id) == (
        "F",
        date(1972, 8, 15),
        "019172222222",
    )
    other = Household.objects.get(code="05641-10002")
    assert other.hamlet == hamlet  # found by hamlet code
    assert other.head.phone == "0912000111"


def test_xlsx_import_accepts_excel_dates_and_numeric_ids(official, commune, hamlet):
    head = [*HEAD_ROW]
    head[7] = datetime(1970, 4, 3)
    wife = [*WIFE_ROW]
    wife[8] = 19172222222  # a number cell: Excel dropped the leading zero
    report = import_population(actor=official, commune=commune, file=xlsx_file([head, wife]))
    assert report.residents == 2
    assert Resident.objects.get(full_name="Hoàng Văn Bình").date_of_birth == date(1970, 4, 3)
    assert Resident.objects.filter(citizen_id="019172222222").exists()


def test_import_writes_one_audit_event_with_the_counts(official, commune, hamlet):
    import_population(actor=official, commune=commune, file=csv_file([HEAD_ROW, WIFE_ROW]))
    [event] = AuditEvent.objects.filter(action=AuditAction.IMPORT)
    assert event.actor == official and event.unit == commune
    assert (event.fields["households"], event.fields["residents"]) == (1, 2)
    assert AuditEvent.objects.filter(action=AuditAction.CREATE).count() == 0


def test_a_file_with_one_bad_row_writes_nothing_and_lists_every_error(official, commune, hamlet):
    bad_cccd = [*WIFE_ROW]
    bad_cccd[8] = "019072222222"  # says male 1972 but the row is a woman
    bad_date = [*CHILD_ROW]
    bad_date[7] = "31/02/2015"
    unknown_hamlet = [*OTHER_HEAD]
    unknown_hamlet[1] = "Xóm Không Có"
    with pytest.raises(ImportRejected) as exc_info:
        import_population(
            actor=official,
            commune=commune,
            file=csv_file([HEAD_ROW, bad_cccd, bad_date, unknown_hamlet]),
        )
    assert exc_info.value.code == "people.import_rejected"
    assert "chưa nhập dòng nào" in exc_info.value.message
    errors = errors_of(exc_info)
    assert (
        3,
        "Số CCCD",
        "Số CCCD không khớp giới tính và năm sinh (chữ số 4-6 phải là 172).",
    ) in errors
    assert (4, "Ngày sinh", "Ngày sinh không hợp lệ: “31/02/2015” (ghi dd/mm/yyyy).") in errors
    assert (5, "Thôn/xóm", "Không có thôn/xóm “Xóm Không Có” trong xã.") in errors
    assert Household.objects.count() == 0 and Resident.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


def test_valid_only_mode_imports_complete_households_and_reports_the_rest(
    official, commune, hamlet
):
    bad = [*OTHER_HEAD]
    bad[6] = "Không rõ"
    report = import_population(
        actor=official,
        commune=commune,
        mode=ImportMode.VALID_ONLY,
        file=csv_file([HEAD_ROW, WIFE_ROW, bad]),
    )
    assert (report.households, report.residents, report.skipped_rows) == (1, 2, 1)
    assert [e.as_dict() for e in report.errors] == [
        {
            "row": 4,
            "column": "Giới tính",
            "reason": "Giới tính phải là Nam hoặc Nữ (đang ghi: “Không rõ”).",
        }
    ]
    assert list(Household.objects.values_list("code", flat=True)) == ["05641-10001"]
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.fields["skipped_rows"] == 1 and event.fields["mode"] == "valid_only"


def test_household_without_head_or_with_two_heads_is_refused(official, commune, hamlet):
    two_heads = [*WIFE_ROW]
    two_heads[10] = "Chủ hộ"
    no_head = [*OTHER_HEAD]
    no_head[10] = "Con"
    with pytest.raises(ImportRejected) as exc_info:
        import_population(
            actor=official, commune=commune, file=csv_file([HEAD_ROW, two_heads, no_head])
        )
    assert errors_of(exc_info) == [
        (3, "Quan hệ với chủ hộ", "Hộ 05641-10001 có hơn một Chủ hộ (chủ hộ đã ghi ở dòng 2)."),
        (4, "Quan hệ với chủ hộ", "Hộ 05641-10002 không có dòng nào là Chủ hộ."),
    ]


def test_duplicates_inside_the_file_and_against_the_database_are_refused(
    official, commune, hamlet, household
):
    copy = [*WIFE_ROW]
    copy[0], copy[10], copy[5] = "05641-10003", "Chủ hộ", "Đặng Thị Hà Hai"
    existing_code = [*OTHER_HEAD]
    existing_code[0] = household.code
    existing_cccd = [*HEAD_ROW]
    existing_cccd[0], existing_cccd[7], existing_cccd[8] = (
        "05641-10004",
        "17/05/1980",
        household.head.citizen_id,
    )
    with pytest.raises(ImportRejected) as exc_info:
        import_population(
            actor=official,
            commune=commune,
            file=csv_file([HEAD_ROW, WIFE_ROW, copy, existing_code, existing_cccd]),
        )
    errors = errors_of(exc_info)
    assert (4, "Số CCCD", "Số CCCD trùng với dòng 3.") in errors
    assert (6, "Số CCCD", "Số CCCD đã có trong cơ sở dữ liệu.") in errors
    assert (5, "Mã hộ", "Mã hộ 05641-00001 đã có trong xã.") in errors


def test_missing_columns_and_foreign_files_are_refused_with_a_reason(official, commune):
    with pytest.raises(ValidationFailed) as exc_info:
        import_population(
            actor=official, commune=commune, file=csv_file([HEAD_ROW[:5]], headers=HEADERS[:5])
        )
    assert exc_info.value.code == "people.import_unreadable"
    assert exc_info.value.message.startswith("Thiếu cột: Họ và tên, Giới tính, Ngày sinh")
    with pytest.raises(UploadWrongType, match=r"chỉ nhận Excel \(\.xlsx\), CSV \(UTF-8\)"):
        import_population(
            actor=official, commune=commune, file=SimpleUploadedFile("dan-cu.xlsx", b"%PDF-1.4\n")
        )
    with pytest.raises(ArchiveTooLarge):
        import_population(
            actor=official, commune=commune, file=SimpleUploadedFile("dan-cu.xlsx", xlsx_bomb())
        )
    assert not Household.objects.exists()


def test_headers_without_diacritics_and_semicolons_are_understood(official, commune, hamlet):
    headers = [
        "ma ho",
        "thon/xom",
        "dia chi",
        "vi do",
        "kinh do",
        "HO VA TEN",
        "gioi tinh",
        "ngay sinh",
        "so cccd",
        "so dien thoai",
        "quan he voi chu ho",
    ]
    report = import_population(
        actor=official, commune=commune, file=csv_file([HEAD_ROW], headers=headers, delimiter=";")
    )
    assert report.residents == 1


@pytest.mark.parametrize(
    "user_fixture", ["other_official", "province_officer", "health_worker", "resident_user"]
)
def test_only_officials_of_the_commune_may_import(request, commune, hamlet, user_fixture):
    user = request.getfixturevalue(user_fixture)
    with pytest.raises(PermissionDenied):
        import_population(actor=user, commune=commune, file=csv_file([HEAD_ROW]))
    assert not Household.objects.filter(code="05641-10001").exists()


def test_template_has_the_headers_and_a_help_sheet():
    import io

    wb = load_workbook(io.BytesIO(template_workbook()))
    assert [c.value for c in wb.worksheets[0][1]] == HEADERS
    assert wb.worksheets[1].title == "Hướng dẫn"


def test_the_template_example_imports_cleanly(official, commune, hamlet):
    import io

    f = io.BytesIO(template_workbook())
    f.name = "mau.xlsx"
    report = import_population(actor=official, commune=commune, file=f)
    assert (report.households, report.residents) == (1, 2)


def test_import_command_imports_a_file(tmp_path, commune, hamlet):
    from django.core.management import call_command

    path = tmp_path / "dan-cu.csv"
    path.write_bytes(csv_file([HEAD_ROW, WIFE_ROW]).getvalue())
    call_command("import_households", str(path), "--commune", "05641")
    assert Resident.objects.filter(commune=commune).count() == 2


def test_import_command_fails_and_lists_errors_for_a_bad_file(tmp_path, commune, hamlet, capsys):
    from django.core.management import CommandError, call_command

    bad = [*WIFE_ROW]
    bad[6] = "X"
    path = tmp_path / "dan-cu.csv"
    path.write_bytes(csv_file([HEAD_ROW, bad, OTHER_HEAD]).getvalue())
    with pytest.raises(CommandError, match="chưa nhập dòng nào"):
        call_command("import_households", str(path), "--commune", "05641")
    assert "Dòng 3 [Giới tính]" in capsys.readouterr().err
    assert not Resident.objects.exists()
    call_command("import_households", str(path), "--commune", "05641", "--valid-only")
    assert list(Resident.objects.values_list("full_name", flat=True)) == ["Phạm Thị Dung"]


def test_a_corrupt_xlsx_is_refused_with_a_reason(official, commune):
    import io

    f = io.BytesIO(b"PK\x03\x04 a broken zip file")
    f.name = "dan-cu.xlsx"
    with pytest.raises(UploadWrongType, match=r"chỉ nhận Excel \(\.xlsx\), CSV"):
        import_population(actor=official, commune=commune, file=f)


def test_a_concurrent_import_of_the_same_household_is_a_conflict_and_writes_nothing(
    official, commune, hamlet, monkeypatch
):
    from langso.core.exceptions import Conflict
    from langso.people.imports import checks

    monkeypatch.setattr(checks, "_existing_values", lambda qs, column, values: set())
    import_population(actor=official, commune=commune, file=csv_file([HEAD_ROW]))
    with pytest.raises(Conflict) as exc_info:
        import_population(actor=official, commune=commune, file=csv_file([HEAD_ROW, WIFE_ROW]))
    assert exc_info.value.code == "people.import_conflict"
    assert Resident.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT).count() == 1


def test_excel_cells_of_every_kind_come_out_as_a_clerk_typed_them(official, commune, hamlet):
    """Numbers stored as floats, leading zeros lost in number cells or kept in text cells,
    date cells with or without a time and dates typed as text."""
    head = [*HEAD_ROW]
    head[0] = 5641.0  # a household code typed as a number
    head[3], head[4] = 21.123456789, 105.987654321
    head[7] = datetime(1970, 4, 3, 0, 0)
    head[8] = 19070111111  # a number cell: Excel dropped the leading zero
    head[9] = 987654321  # the same for the phone
    wife = [*WIFE_ROW]
    wife[0] = 5641
    wife[7] = datetime(1972, 8, 15, 14, 30)  # a date cell that also holds a time
    wife[8] = "019172222222"  # a text cell keeps the zero
    wife[9] = "0912 345 678"
    child = [*CHILD_ROW]
    child[0] = "5641"
    child[7] = "2015-02-01"
    report = import_population(actor=official, commune=commune, file=xlsx_file([head, wife, child]))
    assert (report.households, report.residents) == (1, 3)
    household = Household.objects.get(commune=commune, code="5641")
    assert (household.latitude, household.longitude) == (21.123456789, 105.987654321)
    assert household.head.full_name == "Hoàng Văn Bình"
    people = {
        r.full_name: (r.date_of_birth, r.citizen_id, r.phone)
        for r in Resident.objects.filter(household=household)
    }
    assert people == {
        "Hoàng Văn Bình": (date(1970, 4, 3), "019070111111", "0987654321"),
        "Đặng Thị Hà": (date(1972, 8, 15), "019172222222", "0912345678"),
        "Hoàng Minh Châu": (date(2015, 2, 1), None, ""),
    }


def test_imported_rows_carry_the_time_of_the_import_and_their_search_keys(
    official, commune, hamlet
):
    from django.utils import timezone

    before = timezone.now()
    import_population(actor=official, commune=commune, file=csv_file([HEAD_ROW, WIFE_ROW]))
    after = timezone.now()
    household = Household.objects.get(code="05641-10001")
    wife = Resident.objects.get(full_name="Đặng Thị Hà")
    for obj in (household, wife):
        assert before <= obj.created_at <= after and before <= obj.updated_at <= after
    assert wife.search_key == "dang thi ha"
    assert wife.commune_id == commune.pk and wife.province_code == commune.province_code
    assert household.search_key == "05641-10001 xom khe coc, xa vo tranh hoang van binh"


def test_an_import_makes_as_many_queries_for_fifty_households_as_for_two(official, commune, hamlet):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def rows(first: int, count: int) -> list:
        out = []
        for i in range(first, first + count):
            row = [*HEAD_ROW]
            row[0] = f"05641-{i:05d}"
            row[8] = f"0190701{i:05d}"
            out.append(row)
        return out

    import_population(actor=official, commune=commune, file=csv_file(rows(0, 1)))  # warm-up
    counts = []
    for first, count in ((10, 2), (100, 50)):
        with CaptureQueriesContext(connection) as queries:
            import_population(actor=official, commune=commune, file=csv_file(rows(first, count)))
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[1] <= 12, counts
    assert Resident.objects.count() == 53


def test_the_collector_is_paused_during_an_import_and_resumed_after_it(
    official, commune, hamlet, monkeypatch
):
    import gc

    from langso.people import actions

    seen = []
    real_check_rows = actions.check_rows

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real_check_rows(*args, **kwargs)

    monkeypatch.setattr(actions, "check_rows", spy)
    assert gc.isenabled()
    import_population(actor=official, commune=commune, file=csv_file([HEAD_ROW]))
    bad = [*OTHER_HEAD]
    bad[6] = "?"
    with pytest.raises(ImportRejected):
        import_population(actor=official, commune=commune, file=csv_file([bad]))
    assert seen == [False, False]
    assert gc.isenabled()
