from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from langso.core.uploads import UploadWrongType
from langso.engage import actions, delivery
from langso.engage.channels import Message
from langso.engage.channels.sms import BrandnameSmsGateway
from langso.engage.channels.zalo import ZaloZnsGateway
from langso.engage.exceptions import NotAllowed
from langso.engage.models import (
    Announcement,
    Audience,
    Channel,
    Delivery,
    DeliveryState,
    Subscription,
)
from langso.people.models import Relation, Resident

from .conftest import image_bytes


@pytest.fixture
def subscriber(household, resident_user):
    resident = household.head
    resident_user.email = "an@example.vn"
    resident_user.save()
    resident.refresh_from_db()
    actions.save_subscription(
        actor=resident_user, resident=resident, by_email=True, by_sms=True, by_zalo=True
    )
    return resident


def _publish(official, commune, **kw):
    return actions.create_announcement(
        actor=official,
        commune=commune,
        title=kw.pop("title", "Lịch tiêm chủng tháng 3"),
        body="Trạm y tế xã tiêm chủng ngày 10/3.",
        **kw,
    )


def test_publishing_delivers_once_per_channel_to_each_subscriber(
    commune, official, subscriber, fake_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = _publish(official, commune)
    rows = Delivery.objects.filter(announcement=item)
    assert sorted(rows.values_list("channel", "state")) == [
        ("email", "sent"),
        ("sms", "sent"),
        ("zalo", "sent"),
    ]
    assert {r.attempts for r in rows} == {1}
    assert sorted(c for c, _a, _m in fake_outbox.outbox) == ["sms", "zalo"]
    assert mail.outbox[0].to == ["an@example.vn"]
    assert "Lịch tiêm chủng tháng 3" in mail.outbox[0].subject
    assert "/engage/unsubscribe/" in mail.outbox[0].extra_headers["List-Unsubscribe"]


def test_the_same_task_run_twice_sends_once(commune, official, subscriber, fake_outbox):
    item = actions.create_announcement(
        actor=official,
        commune=commune,
        title="Họp dân",
        body="Họp dân xóm Khe Cốc.",
        dispatch=False,
    )
    sms = Delivery.objects.get(announcement=item, channel=Channel.SMS)
    from langso.engage.tasks import send_delivery

    send_delivery.enqueue(sms.pk)
    send_delivery.enqueue(sms.pk)
    assert delivery.deliver(sms.pk) == "skipped"
    assert [c for c, _a, _m in fake_outbox.outbox] == ["sms"]
    sms.refresh_from_db()
    assert sms.state == DeliveryState.SENT and sms.attempts == 1


def test_publishing_twice_creates_no_second_delivery(commune, official, subscriber):
    item = actions.create_announcement(
        actor=official, commune=commune, title="A", body="Nội dung.", publish=False
    )
    assert actions.publish_announcement(actor=official, announcement=item, dispatch=False)
    assert actions.publish_announcement(actor=official, announcement=item, dispatch=False) == []
    assert Delivery.objects.filter(announcement=item).count() == 3


def test_a_failing_gateway_is_retried_with_backoff_then_succeeds(
    commune, official, subscriber, fake_outbox
):
    fake_outbox.failures["sms"] = 2
    item = actions.create_announcement(
        actor=official, commune=commune, title="B", body="Nội dung.", dispatch=False
    )
    sms = Delivery.objects.get(announcement=item, channel=Channel.SMS)
    assert delivery.deliver(sms.pk) == DeliveryState.RETRYING
    sms.refresh_from_db()
    assert sms.attempts == 1 and "temporary failure" in sms.last_error
    first_wait = sms.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < first_wait <= timedelta(seconds=60)
    # not yet due: nothing happens
    assert delivery.release_due_retries() == 0
    later = timezone.now() + timedelta(minutes=2)
    assert delivery.release_due_retries(now=later) == 1  # immediate backend runs it now
    sms.refresh_from_db()
    assert sms.state == DeliveryState.RETRYING and sms.attempts == 2
    assert sms.next_attempt_at - timezone.now() > timedelta(seconds=250)  # longer back-off
    assert delivery.release_due_retries(now=later + timedelta(minutes=10)) == 1
    sms.refresh_from_db()
    assert sms.state == DeliveryState.SENT and sms.attempts == 3 and sms.last_error == ""
    assert [c for c, _a, _m in fake_outbox.outbox] == ["sms"]


def test_a_delivery_fails_for_good_after_the_last_attempt(
    commune, official, subscriber, fake_outbox
):
    fake_outbox.failures["zalo"] = 99
    item = actions.create_announcement(
        actor=official, commune=commune, title="C", body="Nội dung.", dispatch=False
    )
    zalo = Delivery.objects.get(announcement=item, channel=Channel.ZALO)
    delivery.deliver(zalo.pk)
    now = timezone.now()
    for _ in range(delivery.MAX_ATTEMPTS):
        now += timedelta(hours=3)
        delivery.release_due_retries(now=now)
    zalo.refresh_from_db()
    assert zalo.state == DeliveryState.FAILED
    assert zalo.attempts == delivery.MAX_ATTEMPTS
    assert fake_outbox.outbox == []


def test_concurrent_workers_claim_a_delivery_exactly_once(commune, official, subscriber):
    item = actions.create_announcement(
        actor=official, commune=commune, title="D", body="Nội dung.", dispatch=False
    )
    sms = Delivery.objects.get(announcement=item, channel=Channel.SMS)
    # two workers read the row while it is queued, then both try to claim it
    seen = [Delivery.objects.get(pk=sms.pk).state for _ in range(2)]
    assert seen == [DeliveryState.QUEUED, DeliveryState.QUEUED]
    assert [delivery.claim(sms.pk), delivery.claim(sms.pk)] == [True, False]


def test_a_second_worker_starting_while_the_first_is_sending_skips(
    commune, official, subscriber, fake_outbox, monkeypatch
):
    """Worker B runs the same task while worker A is waiting for the gateway's answer."""
    item = actions.create_announcement(
        actor=official, commune=commune, title="E", body="Nội dung.", dispatch=False
    )
    sms = Delivery.objects.get(announcement=item, channel=Channel.SMS)
    from langso.engage.channels import fake

    second = []
    original = fake.FakeSmsGateway.send

    def slow_send(self, *, address, message):
        second.append(delivery.deliver(sms.pk))  # the other worker, mid-send
        return original(self, address=address, message=message)

    monkeypatch.setattr(fake.FakeSmsGateway, "send", slow_send)
    assert delivery.deliver(sms.pk) == DeliveryState.SENT
    assert second == ["skipped"]
    assert [c for c, _a, _m in fake_outbox.outbox] == ["sms"]


def test_unsubscribing_by_the_signed_link_needs_no_login_and_stops_deliveries(
    client, commune, official, subscriber
):
    item = actions.create_announcement(
        actor=official, commune=commune, title="F", body="Nội dung.", dispatch=False
    )
    sub = Subscription.objects.get(resident=subscriber)
    url = reverse("engage:unsubscribe", args=[delivery.unsubscribe_token(sub.pk)])
    page = client.get(url)
    assert page.status_code == 200 and "Ngừng nhận" in page.content.decode()
    sub.refresh_from_db()
    assert sub.active  # a GET (mail scanner) does not unsubscribe
    client.post(url)
    sub.refresh_from_db()
    assert not sub.active and sub.unsubscribed_at is not None
    assert set(Delivery.objects.filter(announcement=item).values_list("state", flat=True)) == {
        DeliveryState.CANCELLED
    }
    later = actions.create_announcement(
        actor=official, commune=commune, title="G", body="Nội dung.", dispatch=False
    )
    assert not Delivery.objects.filter(announcement=later).exists()


def test_a_forged_unsubscribe_link_is_refused(client, subscriber):
    sub = Subscription.objects.get(resident=subscriber)
    response = client.post(reverse("engage:unsubscribe", args=[f"{sub.pk}:forged"]))
    assert response.status_code == 404
    sub.refresh_from_db()
    assert sub.active


def test_residents_choose_their_channels(client, resident_user, household):
    client.force_login(resident_user)
    response = client.post(reverse("engage:subscription"), {"by_sms": "on", "phone": "0912345678"})
    assert response.status_code == 302
    sub = Subscription.objects.get(resident=household.head)
    assert (sub.by_sms, sub.by_email, sub.by_zalo, sub.active) == (True, False, False, True)
    assert sub.channels() == ["sms"]
    bad = client.post(reverse("engage:subscription"), {"by_email": "on"})
    assert bad.status_code == 422
    assert "Cần địa chỉ thư điện tử" in bad.content.decode()
    page = client.get(reverse("engage:subscription")).content.decode()
    assert "chưa nối với nhà cung cấp Thư điện tử, Tin nhắn SMS, Zalo" in page


def test_audience_of_a_hamlet_reaches_only_that_hamlet(
    commune, official, subscriber, hamlet, other_hamlet_subscriber
):
    item = actions.create_announcement(
        actor=official,
        commune=commune,
        title="H",
        body="Cắt điện xóm Khe Cốc.",
        audience=Audience.HAMLET,
        hamlet=hamlet,
        dispatch=False,
    )
    assert set(
        Delivery.objects.filter(announcement=item).values_list("resident_id", flat=True)
    ) == {subscriber.pk}
    everyone = actions.create_announcement(
        actor=official, commune=commune, title="I", body="Toàn xã.", dispatch=False
    )
    assert Delivery.objects.filter(announcement=everyone).values("resident").distinct().count() == 2


@pytest.fixture
def other_hamlet_subscriber(commune, official):
    from datetime import date

    from langso.people.models import Household
    from langso.places.models import Hamlet

    other = Hamlet.objects.create(commune=commune, code="05641-02", name="Xóm Gốc Lim")
    hh = Household.objects.create(
        commune=commune, province_code="19", hamlet=other, code="05641-00002"
    )
    resident = Resident.objects.create(
        household=hh,
        commune=commune,
        province_code="19",
        full_name="Lò Thị Cúc",
        sex="F",
        date_of_birth=date(1990, 1, 1),
        phone="0987000111",
        relation_to_head=Relation.HEAD,
    )
    actions.save_subscription(
        actor=official, resident=resident, by_email=False, by_sms=True, by_zalo=False
    )
    return resident


def test_an_official_of_another_commune_cannot_publish(commune, other_official):
    with pytest.raises(NotAllowed):
        _publish(other_official, commune)


def test_attachments_are_checked_by_content(commune, official):
    fake_pdf = SimpleUploadedFile("thong-bao.pdf", b"MZ\x90\x00 this is an exe")
    with pytest.raises(UploadWrongType) as exc:
        _publish(official, commune, attachments=[fake_pdf])
    assert exc.value.code == "core.upload_wrong_type"
    assert not Announcement.objects.exists()
    pdf = SimpleUploadedFile("ke-hoach.bin", b"%PDF-1.4\n%...")
    photo = SimpleUploadedFile("anh.dat", image_bytes("PNG"))
    item = _publish(official, commune, attachments=[pdf, photo])
    assert sorted(item.attachments.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/png",
    ]
    assert sorted(item.attachments.values_list("original_name", flat=True)) == [
        "anh.png",
        "ke-hoach.pdf",
    ]


def test_announcements_page_and_feeds_show_published_items(client, commune, official):
    _publish(official, commune)
    draft = actions.create_announcement(
        actor=official, commune=commune, title="Bản nháp", body="Chưa đăng.", publish=False
    )
    page = client.get(reverse("engage:announcements"), {"xa": commune.code})
    text = page.content.decode()
    assert "Lịch tiêm chủng tháng 3" in text and "Bản nháp" not in text
    rss = client.get(reverse("engage:announcements_rss"), {"xa": commune.code})
    assert rss["Content-Type"].startswith("application/rss+xml")
    root = ElementTree.fromstring(rss.content)  # noqa: S314  our own output
    assert [i.findtext("title") for i in root.iter("item")] == ["Lịch tiêm chủng tháng 3"]
    atom = client.get(reverse("engage:announcements_atom"), {"xa": commune.code})
    assert atom["Content-Type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entry = ElementTree.fromstring(atom.content)  # noqa: S314  our own output
    assert entry.find("a:entry/a:title", ns).text == "Lịch tiêm chủng tháng 3"
    assert (
        client.get(reverse("engage:announcement_detail", args=[draft.public_id])).status_code == 404
    )


def test_each_recipients_delivery_state_is_visible_to_officials_only(
    client, commune, official, other_official, resident_user, subscriber
):
    item = actions.create_announcement(
        actor=official, commune=commune, title="J", body="Nội dung.", dispatch=False
    )
    url = reverse("engage:announcement_deliveries", args=[item.public_id])
    client.force_login(official)
    page = client.get(url)
    assert page.status_code == 200
    assert "Nguyễn Văn An" in page.content.decode() and "Đang chờ gửi" in page.content.decode()
    for user in (other_official, resident_user):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_officials_publish_from_the_web_page(client, official, commune, resident_user):
    client.force_login(official)
    response = client.post(
        reverse("engage:announcement_new"),
        {"title": "Ra quân vệ sinh môi trường", "body": "Sáng chủ nhật.", "audience": "commune"},
    )
    assert response.status_code == 302
    assert Announcement.objects.get().title == "Ra quân vệ sinh môi trường"
    client.force_login(resident_user)
    assert client.get(reverse("engage:announcement_new")).status_code == 403


MESSAGE = Message(
    subject="[Xã Vô Tranh] Lịch tiêm chủng",
    text="Tiêm ngày 10/3 tại trạm.",
    url="https://langso.example/engage/announcements/x/",
    unsubscribe_url="https://langso.example/u/",
    reference="langso-42",
)


def test_the_sms_adapter_sends_the_brandname_api_request_shape():
    calls = []

    def transport(url, headers, body):
        calls.append((url, headers, body))
        return 200, {"CodeResult": "100", "SMSID": "abc-1"}

    gateway = BrandnameSmsGateway(
        {
            "url": "https://sms.example/send",
            "api_key": "K",
            "secret_key": "S",
            "brandname": "UBND_VOTRANH",
        },
        transport,
    )
    result = gateway.send(address="+84 912 345 678", message=MESSAGE)
    assert result.provider_message_id == "abc-1"
    url, _headers, body = calls[0]
    assert url == "https://sms.example/send"
    assert body["Phone"] == "0912345678"
    assert body["Brandname"] == "UBND_VOTRANH" and body["ApiKey"] == "K"
    assert body["IsUnicode"] == "0" and body["RequestId"] == "langso-42"
    assert body["Content"].startswith("[Xa Vo Tranh] Lich tiem chung: Tiem ngay 10/3")


def test_the_sms_adapter_reports_provider_errors():
    from langso.engage.channels import GatewayError

    gateway = BrandnameSmsGateway(
        {"url": "https://sms.example/send"},
        lambda u, h, b: (200, {"CodeResult": "103", "ErrorMessage": "Balance"}),
    )
    with pytest.raises(GatewayError) as exc:
        gateway.send(address="0912345678", message=MESSAGE)
    assert "103" in str(exc.value) and not exc.value.permanent


def test_the_zalo_adapter_sends_the_zns_request_shape():
    calls = []

    def transport(url, headers, body):
        calls.append((url, headers, body))
        return 200, {"error": 0, "message": "Success", "data": {"msg_id": "z-9"}}

    gateway = ZaloZnsGateway({"access_token": "TOKEN", "template_id": "231456"}, transport)
    assert gateway.send(address="0912345678", message=MESSAGE).provider_message_id == "z-9"
    url, headers, body = calls[0]
    assert url == "https://business.openapi.zalo.me/message/template"
    assert headers == {"access_token": "TOKEN"}
    assert body["phone"] == "84912345678" and body["template_id"] == "231456"
    assert body["tracking_id"] == "langso-42"
    assert body["template_data"]["url"] == MESSAGE.url


def test_the_zalo_adapter_refuses_to_run_unconfigured():
    from langso.engage.channels import GatewayError

    with pytest.raises(GatewayError) as exc:
        ZaloZnsGateway({}, lambda u, h, b: (200, {})).send(address="0912345678", message=MESSAGE)
    assert exc.value.permanent


def test_withdrawing_an_announcement_cancels_what_is_not_sent_yet(
    client, commune, official, other_official, subscriber
):
    item = actions.create_announcement(
        actor=official, commune=commune, title="Nhầm", body="Đăng nhầm.", dispatch=False
    )
    url = reverse("engage:announcement_withdraw", args=[item.public_id])
    client.force_login(other_official)
    assert client.post(url).status_code == 404
    client.force_login(official)
    assert client.post(url).status_code == 302
    item.refresh_from_db()
    assert item.status == "withdrawn"
    assert set(Delivery.objects.filter(announcement=item).values_list("state", flat=True)) == {
        DeliveryState.CANCELLED
    }
    client.logout()
    assert (
        client.get(reverse("engage:announcement_detail", args=[item.public_id])).status_code == 404
    )


def test_an_official_of_another_commune_cannot_record_consent_for_a_resident(
    household, other_official
):
    with pytest.raises(NotAllowed):
        actions.save_subscription(
            actor=other_official,
            resident=household.head,
            by_email=False,
            by_sms=True,
            by_zalo=False,
        )
    assert not Subscription.objects.exists()


def test_feeds_carry_attachments_as_enclosures(client, commune, official):
    pdf = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4\n%...")
    _publish(official, commune, attachments=[pdf])
    rss = client.get(reverse("engage:announcements_rss"), {"xa": commune.code})
    root = ElementTree.fromstring(rss.content)  # noqa: S314  our own output
    enclosure = root.find("channel/item/enclosure")
    assert enclosure.get("type") == "application/pdf"
    assert enclosure.get("url").endswith(".pdf")


def _later():
    return timezone.now() + delivery.stale_after() + timedelta(seconds=1)


def test_a_worker_killed_after_the_provider_sent_causes_no_duplicate(
    commune, official, subscriber, fake_outbox
):
    """Killed between the provider's answer and `sent`: the row stays `sending`; recovery
    sends again with the same reference and the provider does not send it twice."""
    item = actions.create_announcement(
        actor=official, commune=commune, title="F", body="Nội dung.", dispatch=False
    )
    sms = Delivery.objects.get(announcement=item, channel=Channel.SMS)
    assert delivery.claim(sms.pk)
    fake_outbox.FakeSmsGateway().send(
        address=sms.address, message=delivery.build_message(sms)
    )  # then killed
    assert delivery.recover_stalled_deliveries() == 0  # not stale yet: maybe still sending
    assert delivery.recover_stalled_deliveries(now=_later()) == 3  # with email and zalo
    sms.refresh_from_db()
    assert sms.state == DeliveryState.SENT and sms.attempts == 2
    assert [(c, m.reference) for c, _a, m in fake_outbox.outbox if c == "sms"] == [
        ("sms", f"langso-{sms.pk}")
    ]


def test_a_worker_killed_before_calling_the_provider_sends_after_recovery(
    commune, official, subscriber, fake_outbox
):
    item = actions.create_announcement(
        actor=official, commune=commune, title="G", body="Nội dung.", dispatch=False
    )
    sms = Delivery.objects.get(announcement=item, channel=Channel.SMS)
    assert delivery.claim(sms.pk)  # then killed
    assert fake_outbox.outbox == []
    delivery.recover_stalled_deliveries(now=_later())
    sms.refresh_from_db()
    assert sms.state == DeliveryState.SENT
    assert sorted(c for c, _a, _m in fake_outbox.outbox) == ["sms", "zalo"]


def test_a_queued_delivery_whose_task_was_lost_is_sent_after_recovery(
    commune, official, subscriber, fake_outbox
):
    item = actions.create_announcement(
        actor=official, commune=commune, title="H", body="Nội dung.", dispatch=False
    )  # no task enqueued
    assert delivery.recover_stalled_deliveries() == 0
    assert delivery.recover_stalled_deliveries(now=_later()) == 3
    assert set(Delivery.objects.filter(announcement=item).values_list("state", flat=True)) == {
        DeliveryState.SENT
    }
    assert sorted(c for c, _a, _m in fake_outbox.outbox) == ["sms", "zalo"]
    assert delivery.recover_stalled_deliveries(now=_later()) == 0  # sent rows stay sent


def test_the_fake_provider_refuses_a_request_id_it_has_already_sent(fake_outbox):
    message = Message(
        subject="S",
        text="T",
        url="https://x/",
        unsubscribe_url="https://x/u/",
        reference="langso-7",
    )
    first = fake_outbox.FakeZaloGateway().send(address="0912345678", message=message)
    again = fake_outbox.FakeZaloGateway().send(address="0912345678", message=message)
    assert first.provider_message_id == again.provider_message_id
    assert len(fake_outbox.outbox) == 1


def test_a_queued_delivery_whose_task_still_waits_is_not_enqueued_again(
    commune, official, subscriber, fake_outbox, settings
):
    """A long queue is not a dead worker: only rows without a live task are recovered."""
    from django_tasks_db.models import DBTaskResult

    from langso.engage.tasks import send_delivery

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    item = actions.create_announcement(
        actor=official, commune=commune, title="K", body="Nội dung.", dispatch=False
    )
    sms = Delivery.objects.get(announcement=item, channel=Channel.SMS)
    send_delivery.enqueue(sms.pk)  # waits in the database queue
    assert delivery.recover_stalled_deliveries(now=_later()) == 2  # e-mail and Zalo
    waiting = [
        r.args_kwargs["args"]
        for r in DBTaskResult.objects.filter(task_path=send_delivery.module_path)
    ]
    assert sorted(waiting) == sorted(
        [
            [sms.pk],
            *[
                [d.pk]
                for d in Delivery.objects.filter(announcement=item).exclude(channel=Channel.SMS)
            ],
        ]
    )
    assert fake_outbox.outbox == []  # nothing sent by the recovery itself


class RealLookingGateway:
    """Stands for a configured provider (it says it sends for real)."""

    channel = "sms"
    is_fake = False

    def send(self, *, address, message):
        from langso.engage.channels import SendResult

        return SendResult(provider_message_id="provider-1")


def test_messages_taken_by_a_fake_gateway_are_labelled_as_not_really_sent(
    client, commune, official, subscriber, settings, django_capture_on_commit_callbacks
):
    settings.LANGSO_ENGAGE_GATEWAYS = {"sms": f"{__name__}.RealLookingGateway"}
    with django_capture_on_commit_callbacks(execute=True):
        item = _publish(official, commune)
    simulated = dict(Delivery.objects.filter(announcement=item).values_list("channel", "simulated"))
    assert simulated == {"email": True, "sms": False, "zalo": True}  # locmem e-mail sends nothing

    client.force_login(official)
    for name in ("engage:announcement_deliveries", "engage:announcement_detail"):
        body = client.get(reverse(name, args=[item.public_id])).content.decode()
        assert body.count("Đã gửi (cổng giả lập, không gửi thật)") >= 2, name
        assert "Cổng giả lập: tin gửi qua Thư điện tử, Zalo không đến người nhận" in body
        assert "Tin nhắn SMS</strong>: <" in body and "Đã gửi: 1" in body
        assert "<strong>sms</strong>" not in body and "sent 1" not in body

    rows = client.get(f"/api/engage/announcements/{item.public_id}/deliveries").json()
    assert {r["channel"]: r["simulated"] for r in rows} == simulated


def test_a_sandboxed_sms_gateway_counts_as_fake():
    assert BrandnameSmsGateway(config={"url": "https://x", "sandbox": True}).is_fake
    assert not BrandnameSmsGateway(config={"url": "https://x"}).is_fake


def test_a_draft_announcements_attachment_is_hidden_until_it_is_published(
    client, commune, official, other_official
):
    from django.test import Client

    draft = actions.create_announcement(
        actor=official,
        commune=commune,
        title="Kế hoạch chưa đăng",
        body="Chưa công bố.",
        attachments=[SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4\n%...")],
        publish=False,
    )
    url = draft.attachments.get().file.url
    assert client.get(url).status_code == 404
    outsider = Client()
    outsider.force_login(other_official)
    assert outsider.get(url).status_code == 404
    author = Client()
    author.force_login(official)
    response = author.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"

    actions.publish_announcement(actor=official, announcement=draft)
    response = client.get(url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]

    actions.withdraw_announcement(actor=official, announcement=draft)
    assert client.get(url).status_code == 404
