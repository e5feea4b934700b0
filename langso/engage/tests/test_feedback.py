from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from langso.core.exceptions import ValidationFailed
from langso.core.models import AuditEvent
from langso.core.uploads import UploadWrongType
from langso.engage import actions, queries
from langso.engage.exceptions import (
    FeedbackNotFound,
    FeedbackStateError,
    NotAllowed,
)
from langso.engage.models import Feedback, FeedbackStatus
from langso.engage.privacy import scrub
from langso.engage.workdays import add_working_days

from .conftest import image_bytes

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _send(commune, category, actor=None, **kw):
    from django.contrib.auth.models import AnonymousUser

    kw.setdefault("text", "Đường bê tông xóm Khe Cốc bị sụt lún sau mưa, xe máy đi rất nguy hiểm.")
    return actions.submit_feedback(
        actor=actor or AnonymousUser(), commune=commune, category=category, **kw
    )


def test_deadline_counts_working_days_without_weekends_and_holidays(db):
    # Friday 24 Apr 2026 + 5 working days: [27 Apr Hùng Kings observed], 28, 29,
    # [30/4 and 1/5 holidays], 4, 5, 6 May
    assert add_working_days(date(2026, 4, 24), 5) == date(2026, 5, 6)
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Friday -> Monday


def test_sending_feedback_sets_the_deadline_from_the_category(commune, category):
    feedback, secret = _send(
        commune, category, received_on=date(2026, 3, 6), latitude=21.71234, longitude=105.77321
    )
    assert feedback.deadline == date(2026, 3, 13)  # 5 working days
    assert feedback.status == FeedbackStatus.RECEIVED
    assert feedback.assigned_department == "Địa chính - Môi trường"
    assert len(secret) == 10 and secret not in feedback.secret_hash
    assert feedback.tracking_code.startswith("PA")


def test_officials_route_answer_and_close_within_the_deadline(commune, category, official, leader):
    feedback, _secret = _send(commune, category, received_on=date(2026, 3, 6))
    actions.assign_feedback(actor=leader, feedback=feedback, assignee=official)
    assert feedback.status == FeedbackStatus.ASSIGNED and feedback.assigned_to == official
    actions.answer_feedback(
        actor=official,
        feedback=feedback,
        answer="Xã đã cử tổ công trình khắc phục trong tuần.",
        answered_at=datetime(2026, 3, 12, 15, 0, tzinfo=VN),
    )
    assert feedback.answered_on_time is True
    actions.close_feedback(actor=official, feedback=feedback)
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.CLOSED and feedback.closed_at is not None
    with pytest.raises(FeedbackStateError):
        actions.answer_feedback(actor=official, feedback=feedback, answer="Lần nữa.")


def test_an_unanswered_feedback_past_its_deadline_is_overdue(commune, category, client, official):
    late, _s = _send(commune, category, received_on=date(2026, 1, 5))
    fresh, _s = _send(commune, category)
    today = date.today()
    assert late.is_overdue(today) and not fresh.is_overdue(today)
    assert list(queries.overdue_feedback(commune, today)) == [late]
    client.force_login(official)
    page = client.get(reverse("engage:feedback_manage"), {"status": "overdue"})
    text = page.content.decode()
    assert late.tracking_code in text and fresh.tracking_code not in text
    assert "Quá hạn" in text


def test_an_answer_after_the_deadline_is_late(commune, category, official):
    feedback, _s = _send(commune, category, received_on=date(2026, 3, 6))
    actions.answer_feedback(
        actor=official,
        feedback=feedback,
        answer="Đã xử lý xong.",
        answered_at=datetime(2026, 3, 16, 9, 0, tzinfo=VN),
    )
    assert feedback.answered_on_time is False


def test_an_official_of_another_commune_cannot_handle_the_feedback(
    commune, category, other_official, client
):
    feedback, _s = _send(commune, category)
    with pytest.raises(NotAllowed):
        actions.answer_feedback(actor=other_official, feedback=feedback, answer="Không phải xã.")
    client.force_login(other_official)
    assert (
        client.get(reverse("engage:feedback_handle", args=[feedback.tracking_code])).status_code
        == 404
    )


def test_the_resident_follows_with_code_and_secret_and_rates_the_answer(
    commune, category, official, client
):
    feedback, secret = _send(commune, category)
    with pytest.raises(FeedbackNotFound):
        queries.feedback_for_follow(code=feedback.tracking_code, secret="WRONGWRONG")
    follow = client.post(
        reverse("engage:feedback_follow"), {"code": feedback.tracking_code, "secret": secret}
    )
    assert follow.status_code == 200 and "Đã tiếp nhận" in follow.content.decode()
    with pytest.raises(FeedbackStateError):
        actions.rate_feedback(actor=None, feedback=feedback, rating=5, secret=secret)
    actions.answer_feedback(actor=official, feedback=feedback, answer="Đã sửa xong đường.")
    response = client.post(
        reverse("engage:feedback_follow"),
        {
            "code": feedback.tracking_code.lower(),
            "secret": secret,
            "rating": "4",
            "comment": "Nhanh",
        },
    )
    # post/redirect/get: F5 on what follows reloads the page, it does not rate again
    assert response.status_code == 302
    assert "secret" not in response["Location"]
    audit_lines = AuditEvent.objects.count()
    page = client.get(response["Location"])
    assert "Cảm ơn bạn đã đánh giá." in page.content.decode()
    assert "Đã sửa xong đường." in page.content.decode()
    assert client.get(response["Location"]).status_code == 200  # F5
    assert AuditEvent.objects.count() == audit_lines
    assert Client().get(response["Location"]).status_code == 200  # another browser
    assert "Đã sửa xong đường." not in Client().get(response["Location"]).content.decode()
    feedback.refresh_from_db()
    assert feedback.rating == 4 and feedback.rating_comment == "Nhanh"
    with pytest.raises(NotAllowed):
        actions.rate_feedback(actor=None, feedback=feedback, rating=1, secret="GUESSGUESS")


def test_a_logged_in_sender_follows_without_the_secret(commune, category, resident_user):
    feedback, _secret = _send(commune, category, actor=resident_user)
    assert queries.feedback_for_follow(code=feedback.tracking_code, user=resident_user) == feedback


def test_scrubber_removes_phone_numbers_ids_emails_and_names():
    text = (
        "Tôi là Nguyễn Văn An, CCCD 019080012345, gọi 0912 345 678 hoặc +84987654321, "
        "thư an@example.vn. Đèn đường hỏng 3 ngày."
    )
    out = scrub(text, names=["Nguyễn Văn An"])
    assert "0912" not in out and "987654321" not in out and "019080012345" not in out
    assert "an@example.vn" not in out and "Nguyễn Văn An" not in out
    assert out.endswith("Đèn đường hỏng 3 ngày.")
    assert "[số điện thoại]" in out and "[số giấy tờ]" in out and "[người gửi]" in out


def test_feedback_is_not_public_unless_the_sender_agrees(commune, category):
    feedback, _s = _send(commune, category)
    assert feedback.publish_consent is False
    assert not queries.public_feedback(commune).exists()


def test_public_feedback_shows_no_personal_data(client, commune, category, resident_user):
    _send(
        commune,
        category,
        actor=resident_user,
        contact_name="Nguyễn Văn An",
        publish_consent=True,
        contact_phone="0912345678",
        latitude=21.712345,
        longitude=105.773219,
        text="Nguyễn Văn An báo: ống nước vỡ trước nhà, gọi 0912345678. CCCD 019080012345.",
    )
    _send(commune, category, text="Nội dung riêng tư không muốn công khai.", publish_consent=False)
    page = client.get(reverse("engage:feedback_public"), {"xa": commune.code})
    text = page.content.decode()
    assert "ống nước vỡ trước nhà" in text
    for secret in (
        "Nguyễn Văn An",
        "0912345678",
        "019080012345",
        "21.712345",
        "105.773219",
        "không muốn công khai",
    ):
        assert secret not in text
    assert "21.71" in text and "105.77" in text
    api = client.get("/api/engage/feedback/public", {"commune": commune.code}).json()
    assert len(api) == 1
    assert "0912345678" not in str(api) and api[0]["latitude"] == 21.71


def test_photos_are_checked_by_content_and_lose_their_gps_exif(commune, category):
    with pytest.raises(UploadWrongType):
        _send(commune, category, photos=[SimpleUploadedFile("anh.jpg", b"not an image")])
    assert not Feedback.objects.exists()
    photo = SimpleUploadedFile("anh.jpg", image_bytes("JPEG", exif_gps=True))
    feedback, _s = _send(commune, category, photos=[photo])
    stored = feedback.photos.get()
    with Image.open(stored.image.path) as img:
        assert img.format == "JPEG"
        assert 0x8825 not in img.getexif()


def test_feedback_must_belong_to_the_communes_categories(commune, other_category):
    with pytest.raises(ValidationFailed):
        _send(commune, other_category)


def test_residents_send_feedback_from_the_web_page(client, commune, category):
    response = client.post(
        reverse("engage:feedback_new") + "?xa=05641",
        {
            "category": category.pk,
            "text": "Rác thải đổ bừa bãi ở đầu cầu tràn.",
            "latitude": "21.7",
            "longitude": "105.77",
            "publish_consent": "on",
            "photos": [SimpleUploadedFile("a.png", image_bytes("PNG"))],
        },
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    feedback = Feedback.objects.get()
    assert feedback.tracking_code in text and "Mã bí mật" in text
    assert feedback.photos.count() == 1


def test_officials_answer_from_the_handling_page(client, commune, category, official):
    feedback, _s = _send(commune, category)
    client.force_login(official)
    url = reverse("engage:feedback_handle", args=[feedback.tracking_code])
    assert client.get(url).status_code == 200
    client.post(url, {"op": "answer", "answer": "Đã cho thu gom rác."})
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.ANSWERED
    client.post(url, {"op": "close"})
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.CLOSED


def test_the_feedback_api_creates_and_follows(client, commune, category):
    created = client.post(
        "/api/engage/feedback",
        {
            "commune_code": "05641",
            "category": "moi-truong",
            "text": "Cống thoát nước bị tắc gây ngập.",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    followed = client.get(
        f"/api/engage/feedback/{body['tracking_code']}", {"secret": body["secret"]}
    )
    assert followed.status_code == 200 and followed.json()["status"] == "received"
    refused = client.get(f"/api/engage/feedback/{body['tracking_code']}", {"secret": "x"})
    assert refused.status_code == 404 and refused.json()["code"] == "engage.feedback_not_found"
    assert (date.fromisoformat(body["deadline"]) - date.today()) >= timedelta(days=5)


def test_feedback_handling_pages_are_for_the_communes_officials(
    client, commune, category, resident_user, other_official, other_category, other_commune
):
    mine, _s = _send(commune, category)
    theirs, _s = _send(other_commune, other_category)
    client.force_login(resident_user)
    assert client.get(reverse("engage:feedback_manage")).status_code == 403
    client.force_login(other_official)
    page = client.get(reverse("engage:feedback_manage")).content.decode()
    assert theirs.tracking_code in page and mine.tracking_code not in page


def test_the_follow_link_without_secret_only_prefills_the_code(client, commune, category):
    feedback, _secret = _send(commune, category)
    page = client.get(reverse("engage:feedback_follow"), {"code": feedback.tracking_code})
    assert page.status_code == 200
    text = page.content.decode()
    assert f'value="{feedback.tracking_code}"' in text
    assert feedback.text not in text


def test_the_public_list_shows_each_answer_deadline_and_whether_it_was_kept(
    client, commune, category, official
):
    from django.utils import timezone

    today = timezone.localdate()
    fresh, _s = _send(commune, category, publish_consent=True, text="Cống thoát nước bị tắc.")
    late, _s = _send(
        commune,
        category,
        publish_consent=True,
        received_on=date(2026, 3, 6),
        text="Đèn đường hỏng ba ngày.",
    )
    answered, _s = _send(
        commune,
        category,
        publish_consent=True,
        received_on=date(2026, 3, 6),
        text="Cầu tràn bị gãy lan can.",
    )
    actions.answer_feedback(
        actor=official,
        feedback=answered,
        answer="Xã đã sửa cầu.",
        answered_at=timezone.make_aware(timezone.datetime(2026, 3, 10, 9)),
    )
    assert fresh.deadline > today and late.deadline == date(2026, 3, 13)
    text = client.get(reverse("engage:feedback_public"), {"xa": commune.code}).content.decode()
    assert f"Hạn trả lời: {fresh.deadline:%d/%m/%Y}" in text
    cards = {c.split("</article>")[0] for c in text.split('<article class="card">')[1:]}
    [fresh_card] = [c for c in cards if "Cống thoát nước" in c]
    [late_card] = [c for c in cards if "Đèn đường hỏng" in c]
    [answered_card] = [c for c in cards if "Cầu tràn bị gãy" in c]
    assert "Quá hạn" not in fresh_card
    assert "Hạn trả lời: 13/03/2026" in late_card and "Quá hạn" in late_card
    assert "Hạn trả lời: 13/03/2026 · đã trả lời ngày 10/03/2026" in answered_card
    assert "Đúng hạn" in answered_card
    api = {
        r["public_text"]: r
        for r in client.get("/api/engage/feedback/public", {"commune": commune.code}).json()
    }
    assert api["Cầu tràn bị gãy lan can."]["deadline"] == "2026-03-13"
    assert api["Cầu tràn bị gãy lan can."]["answered_on"] == "2026-03-10"
    assert api["Cống thoát nước bị tắc."]["answered_on"] is None


def test_a_day_off_recorded_by_an_official_moves_feedback_deadlines_too(db):
    """One calendar: the Holiday rows that move dossier deadlines move feedback deadlines."""
    from langso.procedures.models import Holiday, HolidayKind

    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)
    Holiday.objects.create(date=date(2026, 3, 9), name="Nghỉ bù", kind=HolidayKind.DAY_OFF)
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 10)
