"""Training sessions and attendance: the page officials use, the Excel sheet, and criterion
7.4's figure (the share of the commune's officials trained)."""

import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from langso.core.models import AuditEvent
from langso.people.models import Role
from langso.society.actions.training import create_training_session
from langso.society.models import Attendance, TrainingAudience, TrainingSession
from langso.society.queries.figures import monitoring_figures


def _rate(commune):
    """Criterion 7.4's figure and the residents' count over the year up to today."""
    today = timezone.localdate()
    figures = monitoring_figures(
        unit_ids=[commune.pk], period_start=today - timedelta(days=365), period_end=today
    )[commune.pk]
    return figures["society.officials_trained_rate"], figures["society.residents_trained"]


@pytest.fixture
def named_official(commune):
    return make_user(
        "ketoan.votranh", Role.COMMUNE_OFFICIAL, commune, first_name="Hoa", last_name="Lê Thị"
    )


@pytest.fixture
def session(commune, leader):
    return create_training_session(
        actor=leader,
        commune=commune,
        title="Kỹ năng số cho cán bộ xã",
        held_on=timezone.localdate(),
        place="Hội trường UBND xã",
    )


def _sheet(rows, header=("Tên đăng nhập", "Họ và tên", "Buổi tập huấn", "Mã hộ")):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(
        "diem-danh.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def test_an_official_creates_a_session_and_ticks_attendees_and_the_figure_follows(
    client, commune, leader, official, named_official
):
    client.force_login(official)
    page = client.get(reverse("society:training")).content.decode()
    assert "Thêm buổi tập huấn" in page and "0/3" in page

    response = client.post(
        reverse("society:training"),
        {
            "title": "Kỹ năng số cho cán bộ xã",
            "held_on": timezone.localdate().isoformat(),
            "audience": "officials",
            "place": "Hội trường UBND xã",
        },
    )
    session = TrainingSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("society:training_session", args=[session.pk])
    assert session.course.unit == commune and session.audience == TrainingAudience.OFFICIALS

    form = client.get(response["Location"]).content.decode()
    # Attendees are picked by name from the commune's officials, never typed as an id.
    assert 'type="checkbox"' in form and "Lê Thị Hoa (ketoan.votranh)" in form
    response = client.post(
        reverse("society:training_session", args=[session.pk]),
        {"attendees": [official.pk, named_official.pk]},
    )
    assert response.status_code == 302
    assert set(Attendance.objects.values_list("user_id", flat=True)) == {
        official.pk,
        named_official.pk,
    }
    trained, _residents = _rate(commune)
    assert (trained.numerator, trained.denominator) == (2, 3)
    assert "2/3" in client.get(reverse("society:training")).content.decode()

    # Unticking removes the attendance and the figure goes back.
    client.post(
        reverse("society:training_session", args=[session.pk]), {"attendees": [official.pk]}
    )
    assert _rate(commune)[0].numerator == 1
    assert AuditEvent.objects.filter(object_type="society.TrainingSession").count() == 3


def test_a_valid_sheet_marks_officials_present_by_login_name_or_full_name(
    client, commune, leader, official, named_official, session
):
    client.force_login(leader)
    upload = _sheet(
        [
            ("CANBO.VOTRANH", "", session.label, ""),  # login names ignore case
            ("", "Le Thi Hoa", session.held_on, ""),  # a name without accents, a date cell
            ("canbo.votranh", "", session.label, ""),  # a repeated row is harmless
        ]
    )
    response = client.post(reverse("society:training_import"), {"file": upload})
    assert response.status_code == 302
    assert set(Attendance.objects.values_list("user_id", flat=True)) == {
        official.pk,
        named_official.pk,
    }
    assert _rate(commune)[0].numerator == 2
    follow = client.get(response["Location"]).content.decode()
    assert "2 lượt mới" in follow


def test_a_sheet_with_one_bad_row_changes_nothing_and_names_the_row(
    client, commune, leader, official, named_official, session, other_official
):
    client.force_login(leader)
    upload = _sheet(
        [
            ("canbo.votranh", "", session.label, ""),
            ("canbo.badinh", "", session.label, ""),  # an official of another commune
            ("", "Lê Thị Hoa", "01/01/2020", ""),  # no session that day
        ]
    )
    response = client.post(reverse("society:training_import"), {"file": upload})
    assert response.status_code == 422
    text = response.content.decode()
    assert "Dòng 3: không có cán bộ nào của xã có tên đăng nhập “canbo.badinh”." in text
    assert "Dòng 4: xã không có buổi tập huấn nào ngày 01/01/2020." in text
    assert "chưa ghi nhận dòng nào" in text
    assert not Attendance.objects.exists()


def test_a_file_without_the_needed_columns_or_not_excel_is_refused(client, leader, session):
    client.force_login(leader)
    response = client.post(
        reverse("society:training_import"), {"file": _sheet([("x",)], header=("Ghi chú",))}
    )
    assert response.status_code == 422
    assert "thiếu cột" in response.content.decode()
    junk = SimpleUploadedFile("diem-danh.xlsx", b"not a workbook at all")
    assert client.post(reverse("society:training_import"), {"file": junk}).status_code == 422
    assert not Attendance.objects.exists()


def test_the_template_lists_the_officials_and_the_sessions(client, leader, official, session):
    client.force_login(leader)
    response = client.get(reverse("society:training_template"))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(wb["Điểm danh"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Tên đăng nhập", "Họ và tên", "Buổi tập huấn")
    assert ("canbo.votranh", None, session.label, None) in rows
    assert wb["Buổi tập huấn"]["A2"].value == session.label
    # The template it gives back imports as is.
    upload = SimpleUploadedFile("mau.xlsx", response.content)
    assert client.post(reverse("society:training_import"), {"file": upload}).status_code == 302
    assert Attendance.objects.filter(session=session).count() == 2  # leader and official


def test_another_communes_official_can_neither_see_nor_write(
    client, commune, official, other_official, session
):
    client.force_login(other_official)
    url = reverse("society:training_session", args=[session.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"attendees": [official.pk]}).status_code == 404
    # Their own commune's import cannot reach Vô Tranh's session either.
    upload = _sheet([("canbo.votranh", "", session.label, "")])
    response = client.post(reverse("society:training_import"), {"file": upload})
    assert response.status_code == 422
    assert not Attendance.objects.exists()


def test_only_the_communes_leaders_and_civil_servants_write(
    client, commune, health_worker, official, session, province_officer
):
    client.force_login(health_worker)
    url = reverse("society:training_session", args=[session.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"attendees": [official.pk]}).status_code == 403
    assert client.post(reverse("society:training"), {"title": "X"}).status_code == 403
    client.force_login(province_officer)
    assert client.get(url).status_code == 404
    assert not Attendance.objects.exists()


def test_a_session_of_another_commune_refuses_an_official_not_of_that_commune(
    commune, session, official, other_official
):
    from langso.society.actions.training import set_official_attendance
    from langso.society.exceptions import NotAllowed

    with pytest.raises(NotAllowed):
        set_official_attendance(actor=other_official, session=session, users=[official])
    assert not Attendance.objects.exists()


def test_residents_sessions_count_apart_and_leave_the_officials_rate_alone(
    client, commune, leader, official, household, second_household
):
    client.force_login(leader)
    client.post(
        reverse("society:training"),
        {
            "title": "Kỹ năng số cho người dân",
            "held_on": timezone.localdate().isoformat(),
            "audience": "residents",
        },
    )
    session = TrainingSession.objects.get()
    assert session.audience == TrainingAudience.RESIDENTS
    url = reverse("society:training_session", args=[session.pk])
    found = client.get(url, {"q": "Cúc"}).content.decode()
    cuc = second_household.head
    assert f'value="{cuc.pk}"' in found and "Đỗ Thị Cúc" in found
    response = client.post(url, {"headcount": 12, "add": [cuc.pk]})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.headcount == 12
    assert list(Attendance.objects.values_list("resident_id", flat=True)) == [cuc.pk]

    # An official in a residents' class is not "trained" for criterion 7.4.
    Attendance.objects.create(session=session, user=official)
    trained, residents = _rate(commune)
    assert (trained.numerator, trained.denominator) == (0, 2)
    assert residents.numerator == 13
    page = client.get(reverse("society:training")).content.decode()
    assert "0/2" in page and "<strong>13</strong>" in page

    # A residents' session takes residents by name from the sheet too.
    upload = _sheet([("", "Nguyễn Văn An", session.label, household.code)])
    assert client.post(reverse("society:training_import"), {"file": upload}).status_code == 302
    assert _rate(commune)[1].numerator == 14


def test_a_resident_of_another_commune_cannot_be_named(client, leader, commune, other_household):
    client.force_login(leader)
    session = create_training_session(
        actor=leader,
        commune=commune,
        title="Kỹ năng số cho người dân",
        held_on=date(2026, 2, 1),
        audience=TrainingAudience.RESIDENTS,
    )
    url = reverse("society:training_session", args=[session.pk])
    response = client.post(url, {"headcount": 3, "add": [other_household.head.pk]})
    assert response.status_code == 422
    session.refresh_from_db()
    assert session.headcount == 0 and not Attendance.objects.exists()


def test_the_demo_has_an_officials_and_a_residents_session(commune, leader, official, household):
    import random

    from langso.society.demo import _training

    _training(commune, random.Random(1))
    audiences = sorted(TrainingSession.objects.values_list("audience", flat=True))
    assert audiences == ["officials", "officials", "residents"]
    trained, residents = _rate(commune)
    assert (trained.numerator, trained.denominator) == (2, 2)
    assert residents.numerator == 18 + 1  # the head count and the one named head of household


def test_a_session_entered_by_mistake_is_deleted_with_its_attendance(
    client, commune, leader, official, other_official, session
):
    from langso.society.actions.training import set_official_attendance

    set_official_attendance(actor=leader, session=session, users=[official])
    url = reverse("society:training_session_delete", args=[session.pk])
    client.force_login(other_official)
    assert client.post(url, {"confirm": "1"}).status_code == 404
    client.force_login(leader)
    client.post(url)  # without ticking the confirmation box nothing happens
    assert TrainingSession.objects.filter(pk=session.pk).exists()
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert not TrainingSession.objects.exists() and not Attendance.objects.exists()
    assert _rate(commune)[0].numerator == 0
    assert AuditEvent.objects.filter(action="delete", object_id=str(session.pk)).exists()


def test_sessions_recorded_before_audiences_with_only_residents_become_residents_sessions(
    commune, official, household
):
    import importlib
    from pathlib import Path

    from django.apps import apps

    from langso.society import migrations
    from langso.society.models import Course

    # Found by its name's end: migrations are renumbered when branches merge.
    (path,) = Path(migrations.__file__).parent.glob("*_training_audience.py")
    migration = importlib.import_module(f"langso.society.migrations.{path.stem}")
    course = Course.objects.create(unit=commune, title="Kỹ năng số")
    mixed = TrainingSession.objects.create(course=course, held_on=date(2026, 1, 5))
    residents_only = TrainingSession.objects.create(course=course, held_on=date(2026, 1, 6))
    Attendance.objects.create(session=mixed, user=official)
    Attendance.objects.create(session=mixed, resident=household.head)
    Attendance.objects.create(session=residents_only, resident=household.head)
    migration.mark_residents_sessions(apps, None)
    mixed.refresh_from_db()
    residents_only.refresh_from_db()
    assert mixed.audience == TrainingAudience.OFFICIALS
    assert residents_only.audience == TrainingAudience.RESIDENTS
