"""Refused uploads on the engagement pages: the Vietnamese message shows, the rest of the
form is kept, nothing is stored."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from langso.core.tests.upload_files import png_bomb, xlsx_bomb
from langso.engage.models import Announcement, Feedback, Survey


def test_a_feedback_with_an_image_bomb_keeps_the_text_and_stores_nothing(client, commune, category):
    response = client.post(
        reverse("engage:feedback_new") + f"?xa={commune.code}",
        {
            "category": category.pk,
            "text": "Cống thoát nước bị tắc ở đầu xóm",
            "contact_phone": "0912345678",
            "photos": [SimpleUploadedFile("anh.png", png_bomb(), content_type="image/png")],
        },
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "Ảnh anh.png có kích thước quá lớn; tối đa 40 triệu điểm ảnh." in body
    assert "Cống thoát nước bị tắc ở đầu xóm" in body and 'value="0912345678"' in body
    assert not Feedback.objects.exists()


def test_an_announcement_with_a_renamed_attachment_is_refused(client, commune, official):
    client.force_login(official)
    response = client.post(
        reverse("engage:announcement_new"),
        {
            "title": "Lịch tiêm chủng tháng 10",
            "body": "Tại trạm y tế xã.",
            "audience": "commune",
            "attachments": [SimpleUploadedFile("lich.pdf", b"MZ\x90\x00 an executable")],
        },
    )
    body = response.content.decode()
    assert "Tệp lich.pdf không đúng định dạng" in body
    assert 'value="Lịch tiêm chủng tháng 10"' in body and "Tại trạm y tế xã." in body
    assert not Announcement.objects.exists()


def test_an_xlsform_zip_bomb_is_refused_before_it_is_parsed(client, commune, official):
    client.force_login(official)
    response = client.post(
        reverse("engage:survey_new"),
        {"mode": "upload", "xlsform": SimpleUploadedFile("khao-sat.xlsx", xlsx_bomb())},
    )
    assert "Tệp khao-sat.xlsx bị từ chối: khi giải nén quá lớn" in response.content.decode()
    assert not Survey.objects.exists()
