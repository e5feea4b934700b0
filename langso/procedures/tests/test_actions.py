from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from langso.core.exceptions import PermissionDenied
from langso.core.uploads import UploadTooLarge, UploadWrongType
from langso.procedures import attachments, results
from langso.procedures.actions import (
    complete_dossier,
    flag_dossiers,
    issue_apology,
    rate_dossier,
    submit_dossier,
    transition_dossier,
)
from langso.procedures.exceptions import (
    AlreadyRated,
    AttachmentRequired,
    DossierChanged,
    DossierNotFound,
    NotRateable,
    ProcedureNotOnline,
    ResultRequired,
)
from langso.procedures.models import (
    AlertKind,
    Channel,
    Dossier,
    DossierEvent,
    DossierFile,
    Notification,
    Rating,
    RatingChannel,
    State,
    Timeliness,
)
from langso.procedures.queries import track_dossier

from .conftest import JPEG, PNG, local, pdf_file


def test_an_online_submission_gets_a_receipt_code_a_secret_and_an_appointment(
    make_dossier, resident_user
):
    dossier = make_dossier(
        files=[pdf_file(), SimpleUploadedFile("anh.jpg", JPEG), SimpleUploadedFile("anh.png", PNG)]
    )
    assert dossier.receipt_code == "05641-260302-0001"
    assert len(dossier.tracking_secret) == 8
    assert (dossier.state, dossier.channel, dossier.portal_status) == (
        State.SUBMITTED,
        Channel.ONLINE,
        1,
    )
    # Monday 2 March 9:00 + 3 working days; receipt due 8 working hours later
    assert dossier.due_at == local(2026, 3, 5, 9, 0)
    assert dossier.receipt_due_at == local(2026, 3, 3, 9, 0)
    assert sorted(f.content_type for f in dossier.files.all()) == [
        "application/pdf",
        "image/jpeg",
        "image/png",
    ]
    assert make_dossier().receipt_code == "05641-260302-0002"


def test_an_official_records_a_counter_dossier_as_received_at_once(official, certified_copy):
    dossier = submit_dossier(
        actor=official,
        procedure_id=certified_copy.pk,
        applicant_name="Lê Thị Hoa",
        now=local(2026, 3, 2, 16, 0),
    )
    assert (dossier.state, dossier.channel, dossier.received_by) == (
        State.RECEIVED,
        Channel.IN_PERSON,
        official,
    )
    # 4 working hours from Monday 16:00 -> Tuesday 10:30
    assert dossier.due_at == local(2026, 3, 3, 10, 30)


def test_a_counter_only_procedure_is_refused_online(resident_user, certified_copy):
    with pytest.raises(ProcedureNotOnline) as err:
        submit_dossier(
            actor=resident_user,
            procedure_id=certified_copy.pk,
            applicant_name="An",
            files=[pdf_file()],
        )
    assert err.value.message == "Thủ tục này chỉ tiếp nhận tại bộ phận một cửa của xã."
    assert not Dossier.objects.exists()


def test_an_online_submission_needs_at_least_one_file(make_dossier):
    with pytest.raises(AttachmentRequired):
        make_dossier(files=[])
    assert not Dossier.objects.exists()


def test_a_file_named_pdf_that_is_not_a_pdf_is_refused_and_nothing_is_saved(make_dossier):
    fake = SimpleUploadedFile("giay-to.pdf", b"MZ\x90\x00 executable", "application/pdf")
    with pytest.raises(UploadWrongType) as err:
        make_dossier(files=[pdf_file(), fake])
    assert err.value.code == "core.upload_wrong_type"
    assert err.value.message == (
        "Tệp giay-to.pdf không đúng định dạng: chỉ nhận PDF, ảnh JPEG, ảnh PNG. Nội dung tệp "
        "được kiểm tra, đổi tên tệp không có tác dụng."
    )
    assert not Dossier.objects.exists() and not DossierFile.objects.exists()


def test_an_oversized_file_is_refused(make_dossier, monkeypatch):
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 1024 * 1024)
    big = SimpleUploadedFile("scan.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 10))
    with pytest.raises(UploadTooLarge) as err:
        make_dossier(files=[big])
    assert err.value.code == "core.upload_too_large"
    assert err.value.message == "Tệp scan.pdf quá lớn (1.0 MB); tối đa 1.0 MB."
    assert not Dossier.objects.exists()


def test_the_second_of_two_officials_acting_on_the_same_version_is_refused(
    make_dossier, official, leader
):
    dossier = make_dossier()
    transition_dossier(
        actor=official, dossier_id=dossier.public_id, to_state=State.RECEIVED, version=1
    )
    with pytest.raises(DossierChanged) as err:
        transition_dossier(
            actor=leader,
            dossier_id=dossier.public_id,
            to_state=State.NOT_RECEIVED,
            version=1,
            comment="Thiếu giấy tờ",
        )
    assert err.value.code == "procedures.dossier_changed" and err.value.http_status == 409
    assert "vừa được người khác cập nhật" in err.value.message
    dossier.refresh_from_db()
    assert (dossier.state, dossier.version) == (State.RECEIVED, 2)
    assert DossierEvent.objects.filter(dossier=dossier).count() == 2  # submit + receive


def test_the_version_check_is_in_the_update_itself(make_dossier, official):
    """Even if the row changes between the read and the write, the UPDATE matches nothing."""
    from langso.procedures.actions import dossiers as module

    dossier = make_dossier()
    with pytest.raises(DossierChanged):
        module._save_versioned(dossier, 7, {"state": State.RECEIVED}, local(2026, 3, 2, 10, 0))
    dossier.refresh_from_db()
    assert dossier.state == State.SUBMITTED


def _advance(dossier, actor, *states, now=None, **kw):
    for state in states:
        dossier = transition_dossier(
            actor=actor,
            dossier_id=dossier.public_id,
            to_state=state,
            version=dossier.version,
            comment="ghi chú",
            now=now or local(2026, 3, 2, 10, 0),
            **kw,
        )
    return dossier


def test_waiting_for_a_supplement_pauses_the_clock(make_dossier, official, resident_user):
    dossier = _advance(make_dossier(), official, State.RECEIVED, State.PROCESSING)
    dossier = _advance(dossier, official, State.SUPPLEMENT_REQUESTED, now=local(2026, 3, 3, 9, 0))
    # two working days later the resident supplements: the deadline moves by 2 days
    dossier = _advance(
        dossier,
        resident_user,
        State.SUPPLEMENTED,
        now=local(2026, 3, 5, 9, 0),
        files=[pdf_file("bo-sung.pdf")],
    )
    assert dossier.due_at == local(2026, 3, 9, 9, 0)
    assert dossier.paused_minutes == 960
    assert dossier.files.filter(kind="supplement").count() == 1
    dossier = complete_dossier(
        actor=official,
        dossier_id=dossier.public_id,
        version=dossier.version,
        result_file=pdf_file("kq.pdf"),
        now=local(2026, 3, 9, 8, 0),
    )
    assert (dossier.timeliness, dossier.processing_minutes) == (Timeliness.ON_TIME, 1380)


def test_a_dossier_settled_after_its_deadline_is_late_even_with_an_apology_slip(
    make_dossier, official
):
    dossier = _advance(make_dossier(), official, State.RECEIVED, State.PROCESSING)
    slip = issue_apology(
        actor=official,
        dossier_id=dossier.public_id,
        version=dossier.version,
        new_date=date(2026, 3, 10),
        reason="Chờ xác minh",
        now=local(2026, 3, 4, 9, 0),
    )
    assert slip.new_due_at == local(2026, 3, 10, 17, 0)
    dossier.refresh_from_db()
    assert dossier.appointment_at == local(2026, 3, 10, 17, 0)
    dossier = complete_dossier(
        actor=official,
        dossier_id=dossier.public_id,
        version=dossier.version,
        result_file=pdf_file(),
        now=local(2026, 3, 9, 10, 0),
    )
    assert dossier.timeliness == Timeliness.LATE


def test_a_dossier_settled_a_day_before_the_deadline_is_early(make_dossier, official):
    dossier = _advance(make_dossier(), official, State.RECEIVED, State.PROCESSING)
    dossier = complete_dossier(
        actor=official,
        dossier_id=dossier.public_id,
        version=dossier.version,
        result_file=pdf_file(),
        now=local(2026, 3, 4, 10, 0),
    )
    assert dossier.timeliness == Timeliness.EARLY


def test_completion_without_a_result_is_refused(make_dossier, official, monkeypatch):
    monkeypatch.setattr(results, "_issue_document", lambda: None)
    dossier = _advance(make_dossier(), official, State.RECEIVED, State.PROCESSING)
    with pytest.raises(ResultRequired):
        complete_dossier(actor=official, dossier_id=dossier.public_id, version=dossier.version)
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING


def test_completion_issues_the_signed_result_through_the_documents_app(
    make_dossier, official, monkeypatch
):
    calls = []

    class FakeDocument:
        public_id = "6f1c3f52-8c1e-4a39-9f3e-1a2b3c4d5e6f"

    def issue_document(**kwargs):
        calls.append(kwargs)
        return FakeDocument()

    monkeypatch.setattr(results, "_issue_document", lambda: issue_document)
    dossier = _advance(make_dossier(), official, State.RECEIVED, State.PROCESSING)
    dossier = complete_dossier(
        actor=official,
        dossier_id=dossier.public_id,
        version=dossier.version,
        comment="Đã cấp giấy xác nhận",
    )
    dossier.refresh_from_db()
    assert str(dossier.result_document_id) == FakeDocument.public_id
    assert calls[0]["kind"] == "result" and dossier.receipt_code in calls[0]["title"]
    assert calls[0]["recipient"] == "Nguyễn Văn An" and calls[0]["commune"] == dossier.commune
    assert "Đã cấp giấy xác nhận" in calls[0]["paragraphs"]


def test_an_apology_date_must_be_later_than_the_current_appointment(make_dossier, official):
    from langso.procedures.exceptions import InvalidApologyDate

    dossier = make_dossier()
    with pytest.raises(InvalidApologyDate):
        issue_apology(
            actor=official,
            dossier_id=dossier.public_id,
            version=1,
            new_date=date(2026, 3, 3),
            reason="Chậm",
        )


def _settled(make_dossier, official):
    dossier = _advance(make_dossier(), official, State.RECEIVED, State.PROCESSING)
    return complete_dossier(
        actor=official,
        dossier_id=dossier.public_id,
        version=dossier.version,
        result_file=pdf_file(),
        now=local(2026, 3, 4, 10, 0),
    )


def test_the_applicant_rates_once_and_a_second_rating_is_refused(
    make_dossier, official, resident_user
):
    dossier = _settled(make_dossier, official)
    rate_dossier(
        actor=resident_user, dossier_id=dossier.public_id, level="very_satisfied", comment="Nhanh"
    )
    with pytest.raises(AlreadyRated) as err:
        rate_dossier(actor=resident_user, dossier_id=dossier.public_id, level="not_satisfied")
    assert err.value.message == "Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ đánh giá một lần."
    assert Rating.objects.get().level == "very_satisfied"


def test_a_counter_device_rating_is_opened_by_an_official_of_the_commune(
    make_dossier, official, other_official
):
    dossier = _settled(make_dossier, official)
    with pytest.raises(PermissionDenied):
        rate_dossier(
            actor=other_official,
            dossier_id=dossier.public_id,
            level="satisfied",
            channel=RatingChannel.KIOSK,
        )
    rating = rate_dossier(
        actor=official, dossier_id=dossier.public_id, level="satisfied", channel=RatingChannel.KIOSK
    )
    assert rating.channel == "kiosk"


def test_an_open_dossier_cannot_be_rated_and_a_stranger_cannot_rate(
    make_dossier, official, other_official
):
    dossier = make_dossier()
    with pytest.raises(NotRateable):
        rate_dossier(actor=dossier.applicant_user, dossier_id=dossier.public_id, level="satisfied")
    with pytest.raises(PermissionDenied):
        rate_dossier(actor=other_official, dossier_id=dossier.public_id, level="satisfied")


def test_anyone_with_the_secret_can_rate_from_the_tracking_page(make_dossier, official):
    from django.contrib.auth.models import AnonymousUser

    dossier = _settled(make_dossier, official)
    for wrong in ("WRONG123", "mã sai"):
        with pytest.raises(PermissionDenied):
            rate_dossier(
                actor=AnonymousUser(),
                dossier_id=dossier.public_id,
                level="satisfied",
                tracking_secret=wrong,
            )
    rate_dossier(
        actor=AnonymousUser(),
        dossier_id=dossier.public_id,
        level="satisfied",
        tracking_secret=dossier.tracking_secret.lower(),
    )
    assert Rating.objects.filter(dossier=dossier, rated_by=None).exists()


def test_tracking_needs_the_code_and_the_secret_with_one_answer_for_both_mistakes(make_dossier):
    dossier = make_dossier()
    assert track_dossier(dossier.receipt_code.lower(), dossier.tracking_secret) == dossier
    with pytest.raises(DossierNotFound) as wrong_secret:
        track_dossier(dossier.receipt_code, "AAAAAAAA")
    with pytest.raises(DossierNotFound) as wrong_code:
        track_dossier("05641-260302-9999", dossier.tracking_secret)
    with pytest.raises(DossierNotFound):
        track_dossier(dossier.receipt_code, "")
    with pytest.raises(DossierNotFound):
        track_dossier(dossier.receipt_code, "mã sai")
    assert wrong_secret.value.message == wrong_code.value.message


def test_overdue_and_unacknowledged_dossiers_notify_the_officials_once(
    make_dossier, official, leader, django_capture_on_commit_callbacks
):
    official.email = "lan@votranh.example"
    official.save()
    late = make_dossier()  # due Thursday 5 March 9:00, receipt due Tuesday 9:00
    with django_capture_on_commit_callbacks(execute=True):
        written = flag_dossiers(now=local(2026, 3, 5, 10, 0))
    kinds = sorted(
        Notification.objects.filter(dossier=late, recipient=official).values_list("kind", flat=True)
    )
    assert kinds == [AlertKind.OVERDUE, AlertKind.RECEIPT_LATE]
    assert written == 4  # two kinds for two desk officials
    assert len(mail.outbox) == 2 and "quá hạn" in " ".join(m.body for m in mail.outbox)
    assert flag_dossiers(now=local(2026, 3, 5, 11, 0)) == 0


def test_a_dossier_due_within_one_working_day_is_flagged_due_soon(make_dossier, official):
    dossier = _advance(make_dossier(), official, State.RECEIVED, State.PROCESSING)
    flag_dossiers(now=local(2026, 3, 4, 10, 0))
    assert set(Notification.objects.filter(dossier=dossier).values_list("kind", "recipient")) == {
        (AlertKind.DUE_SOON, official.pk)
    }  # the handler only


def test_a_due_soon_alert_reads_overdue_once_the_deadline_passes(make_dossier, official):
    from langso.procedures.queries import desk_alerts

    _advance(make_dossier(), official, State.RECEIVED, State.PROCESSING)
    flag_dossiers(now=local(2026, 3, 4, 10, 0))
    (before,) = desk_alerts(official, now=local(2026, 3, 4, 10, 0))
    assert "sắp đến hạn" in before.message
    (after,) = desk_alerts(official, now=local(2026, 3, 5, 10, 0))
    assert "quá hạn" in after.message and "sắp đến hạn" not in after.message


def test_alerts_about_a_dossier_since_settled_leave_the_desk(make_dossier, official):
    from langso.procedures.queries import desk_alerts

    late = make_dossier()
    flag_dossiers(now=local(2026, 3, 5, 10, 0))
    assert {a.kind for a in desk_alerts(official, now=local(2026, 3, 5, 10, 0))} == {
        AlertKind.OVERDUE,
        AlertKind.RECEIPT_LATE,
    }
    _advance(late, official, State.RECEIVED)
    assert {a.kind for a in desk_alerts(official, now=local(2026, 3, 5, 11, 0))} == {
        AlertKind.OVERDUE
    }


def test_the_commands_load_the_catalogue_and_holidays(commune):
    from io import StringIO

    from django.core.management import call_command

    from langso.procedures.models import Holiday, Procedure

    out = StringIO()
    call_command("load_procedures", "05641", stdout=out)
    assert "25 thủ tục mới" in out.getvalue()
    assert Procedure.objects.filter(commune=commune).count() >= 20
    Holiday.objects.filter(date__year=2031).delete()
    call_command("seed_holidays", "2031", stdout=out)
    assert Holiday.objects.filter(date=date(2031, 9, 2)).exists()
    call_command("flag_dossiers", stdout=out)
    assert "0 thông báo mới" in out.getvalue()


def test_the_demo_builds_a_year_of_dossiers_with_the_articles_shape(commune, official, leader):
    from io import StringIO

    from langso.procedures import demo
    from langso.procedures.queries import monitoring_figures

    demo.load_demo(commune=commune, province=commune.parent, seed=7, stdout=StringIO())
    f = monitoring_figures(
        unit_ids=[commune.pk], period_start=date(2025, 12, 1), period_end=date(2026, 11, 30)
    )[commune.pk]
    assert f["procedures.received"].numerator > 1500
    assert f["procedures.online_rate"].value > 0.98
    assert 0 < f["procedures.late_rate"].numerator < 40
    assert f["procedures.satisfaction_rate"].denominator > 1000


def test_completion_signs_a_real_result_pdf_that_the_applicant_downloads(
    make_dossier, official, settings, tmp_path, client
):
    from django.urls import reverse

    from langso.documents.models import Document

    settings.LANGSO_SIGNING_MODE = "demo"
    settings.LANGSO_SIGNING_DIR = str(tmp_path)
    settings.LANGSO_TRUST_ROOTS = []
    dossier = _advance(make_dossier(), official, State.RECEIVED, State.PROCESSING)
    dossier = complete_dossier(
        actor=official, dossier_id=dossier.public_id, version=dossier.version, comment="Đã xác nhận"
    )
    document = Document.objects.get(public_id=dossier.result_document_id)
    assert document.signed_at is not None and document.kind == "result"
    client.post(
        reverse("procedures:track"),
        {"receipt_code": dossier.receipt_code, "secret": dossier.tracking_secret},
    )
    response = client.get(reverse("procedures:result", args=[dossier.public_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
