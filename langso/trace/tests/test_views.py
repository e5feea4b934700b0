import gzip
import io
import re
from decimal import Decimal

import pytest

from langso.trace.actions import flush_scan_counts, record_event
from langso.trace.identifiers import batch_path
from langso.trace.models import ScanCount

from .conftest import vn


@pytest.fixture(autouse=True)
def _fresh_cache(fresh_trace_caches):
    pass


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_scan_page_tells_the_story_in_vietnamese(client, story, area):
    response = client.get(batch_path(story))
    assert response.status_code == 200
    page = _text(response)
    for expected in [
        "Chè búp Vô Tranh",
        "Lô <strong>VT2026-01</strong>",
        "HTX Chè Vô Tranh",
        "Xóm Khe Cốc, Xã Vô Tranh, Thái Nguyên",
        "Đồi chè Khe Cốc",
        "VN-19-168-05641-01-25",
        "<svg",
        "openstreetmap.org/?mlat=21.71200",
        "VietGAP",
        "VG-19-0042",
        "Nhật ký của lô",
        "Gieo trồng",
        "Giống: Trung du lá nhỏ",
        "Abamectin 3.6EC",
        "phun bằng thiết bị bay không người lái (drone)",
        "Thời gian cách ly: 7 ngày (đến 08/03/2026)",
        "Thu hoạch",
        "Đóng gói",
        "Giao cho: Siêu thị Hà Nội",
        "Đã đính chính",
        "Nhầm số lượng",
        "Bản đính chính",
    ]:
        assert expected in page, expected
    story_part = page[page.index("Nhật ký của lô") :]
    assert (
        story_part.index("Gieo trồng")
        < story_part.index("Thu hoạch")
        < story_part.index("Đóng gói")
    )
    assert 'lang="vi"' in page


def test_a_correction_shows_the_day_the_error_was_declared(client, story):
    from django.utils import timezone

    from langso.trace.models import TraceEvent
    from langso.trace.queries import scan_page_batch

    declaration = TraceEvent.objects.get(batches=story, is_error_declaration=True)
    day = timezone.localtime(declaration.record_time).strftime("%d/%m/%Y")
    assert f"Nhầm số lượng ({day})." in _text(client.get(batch_path(story)))
    # the scan page's read decodes a record time only where the page shows it
    _batch, events = scan_page_batch(gtin=story.gtin, lot=story.lot)
    assert [ev.record_time is not None for ev in events] == [
        ev.is_error_declaration for ev in events
    ]
    assert any(ev.is_error_declaration for ev in events)


def test_certificates_not_valid_on_the_harvest_day_are_not_shown(client, story, vietgap):
    from datetime import date

    from langso.economy.models import Certificate

    Certificate.objects.filter(pk=vietgap.pk).update(revoked_at=date(2026, 3, 15))
    page = _text(client.get(batch_path(story)))
    assert "VG-19-0042" not in page
    assert "Không có chứng nhận còn hiệu lực vào ngày thu hoạch 01/04/2026" in page


def test_a_processed_batch_shows_certificates_valid_when_its_leaves_were_harvested(
    client, story, producer_user, product_without_gtin, vietgap
):
    from langso.trace.actions import create_batch

    vietgap.valid_to = vietgap.valid_from.replace(year=2026, month=4, day=10)
    vietgap.save(update_fields=["valid_to"])
    dried = create_batch(
        actor=producer_user, product=product_without_gtin, lot="KHO-01", quantity=100
    )
    record_event(
        actor=producer_user,
        batch=dried,
        kind="processing",
        event_time=vn(2026, 4, 20),
        quantity=Decimal("100"),
        inputs=[(story, Decimal("80"))],
    )
    page = _text(client.get(batch_path(dried)))
    assert "Thu hoạch:</dt><dd>01/04/2026" in page
    assert "VG-19-0042" in page  # valid on 01/04, although expired before processing
    assert "lô nguyên liệu" in page and "Abamectin 3.6EC" in page


def test_the_scan_page_is_light_and_needs_no_javascript_or_cookie(client, story):
    response = client.get(batch_path(story), HTTP_ACCEPT_ENCODING="gzip")
    body = response.content
    raw = gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body
    assert b"<script" not in raw.lower()
    assert not re.search(rb"<link[^>]+stylesheet|<img ", raw)  # no extra assets to fetch
    assert len(gzip.compress(raw)) <= 50 * 1024
    assert len(body) <= 50 * 1024
    assert "Set-Cookie" not in response.headers
    assert not response.cookies


def _inspect(user, batch, day=2):
    record_event(
        actor=user,
        batch=batch,
        kind="inspection",
        event_time=vn(2026, 4, day, 15),
        details={
            "laboratory": "Trung tâm Kiểm nghiệm Thái Nguyên",
            "results": [
                {
                    "name": "Dư lượng Abamectin",
                    "value": "<0,01",
                    "unit": "mg/kg",
                    "limit": "0,05",
                    "passed": True,
                }
            ],
        },
    )


def test_a_new_event_shows_on_the_next_page_load(
    client, story, producer_user, django_capture_on_commit_callbacks
):
    assert "Trung tâm Kiểm nghiệm Thái Nguyên" not in _text(client.get(batch_path(story)))
    with django_capture_on_commit_callbacks(execute=True):
        _inspect(producer_user, story)
    page = _text(client.get(batch_path(story)))
    assert "Trung tâm Kiểm nghiệm Thái Nguyên" in page
    assert "Dư lượng Abamectin: <0,01 mg/kg (giới hạn 0,05) – đạt" in page.replace("&lt;", "<")


def test_the_worker_renders_the_new_story_before_anyone_scans(
    client, story, producer_user, django_capture_on_commit_callbacks
):
    from langso.trace import pages

    client.get(batch_path(story))  # cached: the old story
    with django_capture_on_commit_callbacks(execute=True):
        _inspect(producer_user, story)
    cached = pages.cached_page(pages.keys_of(story)[0])  # Vietnamese page
    assert cached is not None and cached[0] == story.pk
    assert "Trung tâm Kiểm nghiệm Thái Nguyên" in gzip.decompress(cached[1]).decode()


def test_a_cached_scan_makes_no_database_query(client, story, settings, django_assert_num_queries):
    from langso.trace import pages
    from langso.trace.actions import scans

    settings.LANGSO_TRACE_SCAN_FLUSH_SECONDS = 3600
    scans._last_flush = __import__("time").monotonic()
    assert pages.render_pages([story.pk]) == len(settings.LANGUAGES)
    path = batch_path(story)
    with django_assert_num_queries(0):
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    assert "Abamectin 3.6EC" in gzip.decompress(response.content).decode()


def test_bulk_rendering_gives_the_same_page_as_a_single_render(
    client, story, producer_user, product_without_gtin
):
    from langso.trace import pages
    from langso.trace.actions import create_batch

    dried = create_batch(
        actor=producer_user, product=product_without_gtin, lot="KHO-02", quantity=100
    )
    record_event(
        actor=producer_user,
        batch=dried,
        kind="processing",
        event_time=vn(2026, 4, 20),
        quantity=Decimal("100"),
        inputs=[(story, Decimal("80"))],
    )
    single = {
        b.pk: client.get(batch_path(b), HTTP_ACCEPT_ENCODING="gzip").content for b in (story, dried)
    }
    pages.page_cache().clear()
    assert pages.render_pages([story.pk, dried.pk], languages=["vi"]) == 2
    for b in (story, dried):
        assert pages.cached_page(pages.keys_of(b)[0])[1] == single[b.pk]


def test_a_page_rendered_while_an_event_commits_is_not_kept(
    client, story, producer_user, monkeypatch
):
    from langso.trace import pages

    real_render = pages._render

    def render_then_event_commits(batch, memo, events):
        page = real_render(batch, memo, events)
        pages.forget_pages([batch.pk])  # what an event's commit does
        return page

    monkeypatch.setattr(pages, "_render", render_then_event_commits)
    assert client.get(batch_path(story)).status_code == 200
    assert pages.page_cache().get(pages.keys_of(story)[0]) is None


def test_an_edit_in_the_economy_app_shows_on_the_page(
    client, story, producer, vietgap, django_capture_on_commit_callbacks
):
    assert "VG-19-0042" in _text(client.get(batch_path(story)))
    with django_capture_on_commit_callbacks(execute=True):
        producer.address = "Xóm Đồng Chè, Xã Vô Tranh"
        producer.save(update_fields=["address"])
    assert "Xóm Đồng Chè, Xã Vô Tranh" in _text(client.get(batch_path(story)))
    with django_capture_on_commit_callbacks(execute=True):
        vietgap.revoked_at = vietgap.valid_from
        vietgap.save(update_fields=["revoked_at"])
    assert "VG-19-0042" not in _text(client.get(batch_path(story)))


def test_an_ocop_page_expires_when_the_stars_can_change(story, product, producer):
    from datetime import date, timedelta

    from django.utils import timezone

    from langso.economy.models import Certificate
    from langso.trace import pages
    from langso.trace.queries import scan_page_context

    ends = timezone.localdate() + timedelta(days=3)
    Certificate.objects.create(
        kind="ocop",
        number="OCOP-1",
        issuer="UBND tỉnh",
        star=3,
        producer=producer,
        product=product,
        valid_from=date(2025, 1, 1),
        valid_to=ends,
    )
    context = scan_page_context(story)
    assert context["shared"]["ocop_stars"] == 3
    assert context["changes_on"] == ends + timedelta(days=1)
    timeout = pages._seconds_until(context["changes_on"])
    assert 3 * 86400 <= timeout <= 4 * 86400


def test_the_render_command_fills_the_page_cache(story):
    from django.core.management import call_command

    from langso.trace import pages

    out = io.StringIO()
    call_command("trace_render_pages", "--languages", "vi,en", stdout=out)
    assert "2 pages rendered" in out.getvalue()
    assert all(pages.page_cache().get(key) for key in pages.keys_of(story))


def test_the_serial_and_short_gtin_forms_resolve_to_the_batch(client, story):
    assert "Đơn vị số <strong>42</strong>" in _text(client.get(batch_path(story, "42")))
    gtin13 = story.gtin[1:]
    assert client.get(f"/01/{gtin13}/10/{story.lot}").status_code == 200


def test_unknown_lot_or_bad_check_digit_is_not_found(client, story):
    assert client.get(f"/01/{story.gtin}/10/KHONGCO").status_code == 404
    bad = story.gtin[:-1] + str((int(story.gtin[-1]) + 1) % 10)
    assert client.get(f"/01/{bad}/10/{story.lot}").status_code == 404


def test_a_lot_with_a_slash_resolves_from_its_percent_encoded_uri(client, producer_user, product):
    from langso.trace.actions import create_batch

    b = create_batch(actor=producer_user, product=product, lot="2026/07", quantity=5)
    assert "/10/2026%2F07" in batch_path(b)
    assert "2026/07" in _text(client.get(batch_path(b)))


def test_a_product_without_gtin_has_its_page_under_t(client, producer_user, product_without_gtin):
    from langso.trace.actions import create_batch

    b = create_batch(actor=producer_user, product=product_without_gtin, lot="TL-9", quantity=5)
    response = client.get(batch_path(b))
    assert response.status_code == 200 and "Chè xanh túi lọc" in _text(response)


def test_scans_are_counted_per_day_and_province_without_personal_data(
    client, story, province, producer_user
):
    client.get(batch_path(story), REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Nokia")
    client.get(batch_path(story))
    client.get(batch_path(story) + "?tinh=19&lai=1")
    client.get(batch_path(story) + "?tinh=99")  # unknown province -> unknown place
    flush_scan_counts()
    rows = {r.province_code: r.count for r in ScanCount.objects.filter(batch=story)}
    assert rows == {"": 2, "19": 1}
    fields = {f.name for f in ScanCount._meta.get_fields()}
    assert fields == {"id", "batch", "day", "province_code", "count"}
    client.force_login(producer_user)
    detail = _text(client.get(f"/t/lo/{story.public_id}/"))
    assert "Lượt quét: 3 (tỉnh 19: 1)" in detail


def test_the_producer_prints_a_label_sheet_with_vietnamese_text(client, story, producer_user):
    from pypdf import PdfReader

    client.force_login(producer_user)
    response = client.get(f"/t/lo/{story.public_id}/tem.pdf?count=30&serial_from=1")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    text = " ".join(reader.pages[0].extract_text().split())  # labels wrap long names
    assert "Chè búp Vô Tranh" in text and "Thu hoạch: 01/04/2026" in text
    assert "HTX Chè Vô Tranh" in text
    assert "Lô: VT2026-01" in text and "Quét mã để xem nguồn gốc" in text
    story.refresh_from_db()
    assert story.labelled


def test_qr_images_encode_the_digital_link(client, story, producer_user):
    client.force_login(producer_user)
    svg = client.get(f"/t/lo/{story.public_id}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    png = client.get(f"/t/lo/{story.public_id}/qr.png")
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_labels_and_batch_pages_are_refused_to_outsiders(
    client, story, other_official, resident_user
):
    url = f"/t/lo/{story.public_id}/tem.pdf"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(other_official)
    assert client.get(url).status_code == 404
    assert client.get(f"/t/lo/{story.public_id}/").status_code == 404
    client.force_login(resident_user)
    assert client.get(f"/t/lo/{story.public_id}/epcis.jsonld").status_code == 404


def test_an_inspector_sees_the_batch_and_records_a_lab_test(client, story, inspector):
    client.force_login(inspector)
    assert client.get("/t/lo/").status_code == 200
    response = client.post(
        f"/t/lo/{story.public_id}/",
        {
            "kind": "inspection",
            "event_time": "2026-04-02T16:00",
            "laboratory": "Phòng thí nghiệm",
            "passed": "1",
        },
    )
    assert response.status_code == 302
    assert story.events.filter(kind="inspection").exists()


def test_the_batch_page_shows_a_broken_rule_message(client, story, producer_user):
    client.force_login(producer_user)
    response = client.post(
        f"/t/lo/{story.public_id}/",
        {
            "kind": "shipping",
            "event_time": "2026-04-05T08:00",
            "quantity": "500",
            "partner_name": "Chợ Đu",
        },
        follow=True,
    )
    assert "Không thể xuất 500 kg của lô VT2026-01" in _text(response)


def test_the_producer_downloads_the_epcis_export(client, story, producer_user):
    import json

    from langso.trace import epcis

    client.force_login(producer_user)
    response = client.get(f"/t/lo/{story.public_id}/epcis.jsonld")
    assert epcis.schema_errors(json.loads(response.content)) == []


def test_with_economy_the_page_shows_ocop_stars_market_and_vietqr(client, story, product, producer):
    from datetime import date

    from langso.economy import models as economy_models

    if not hasattr(economy_models, "BankAccount"):
        pytest.skip("economy without OCOP stars / VietQR (branch not merged)")
    economy_models.Certificate.objects.create(
        kind="ocop",
        number="OCOP-TN-2025-017",
        issuer="UBND tỉnh Thái Nguyên",
        producer=producer,
        product=product,
        star=4,
        valid_from=date(2025, 1, 1),
        valid_to=date(2099, 1, 1),
    )
    economy_models.BankAccount.objects.create(
        producer=producer,
        bank_bin="970405",
        account_number="8888123456",
        account_name="HTX CHE VO TRANH",
    )
    page = _text(client.get(batch_path(story)))
    assert "Sản phẩm OCOP 4 sao" in page and "★★★★<" in page
    assert f'href="/economy/products/{product.public_id}/"' in page
    assert f'href="/economy/producers/{producer.public_id}/vietqr/"' in page


def test_economy_product_page_hook_points_to_the_latest_batch(story, product):
    # registered by the trace app when it starts: economy does not import trace
    from langso.economy.queries import traceability_url

    assert traceability_url(product) == batch_path(story)


def test_the_inline_map_keeps_a_tall_growing_area_inside_its_box():
    from types import SimpleNamespace

    from langso.trace.queries import _map_svg

    tall = SimpleNamespace(
        boundary={
            "type": "Polygon",
            "coordinates": [
                [
                    [105.76, 21.70],
                    [105.77, 21.70],
                    [105.77, 21.74],
                    [105.76, 21.74],
                    [105.76, 21.70],
                ]
            ],
        }
    )
    svg = _map_svg(tall, 21.72, 105.765)
    points = re.search(r'points="([^"]+)"', svg).group(1).split()
    for point in points:
        x, y = (float(v) for v in point.split(","))
        assert 0 <= x <= 200 and 0 <= y <= 120


def test_a_failed_flush_keeps_the_counts_for_the_next_one(story, monkeypatch):
    from langso.trace.actions import count_scan, scans

    count_scan(batch_id=story.pk, flush=False)
    monkeypatch.setattr(scans, "_UPSERT", "INSERT INTO no_such_table VALUES (%s)")
    monkeypatch.setattr(scans, "_UPSERT_ROW", "INSERT INTO no_such_table VALUES (%s)")
    assert flush_scan_counts() == 0
    monkeypatch.undo()
    assert flush_scan_counts() == 1
    assert ScanCount.objects.get(batch=story).count == 1


def test_the_database_away_is_one_log_line_and_the_counts_wait(story, monkeypatch, caplog):
    from django.db import OperationalError

    from langso.trace.actions import count_scan, scans

    class Away:
        vendor = "postgresql"

        def cursor(self):
            raise OperationalError("connection refused\nIs the server running?")

    count_scan(batch_id=story.pk, flush=False)
    monkeypatch.setattr(scans, "connection", Away())
    assert flush_scan_counts() == 0
    [record] = [r for r in caplog.records if r.name == scans.logger.name]
    assert record.getMessage() == (
        "Scan counts not written (connection refused); kept for the next flush."
    )
    assert record.exc_info in (None, False)  # an expected outage: no traceback in the log
    monkeypatch.undo()
    assert flush_scan_counts() == 1


def test_counts_of_several_days_places_and_chunks_are_all_written(
    story, producer_user, product, monkeypatch
):
    from datetime import date

    from langso.trace.actions import create_batch, scans

    batch_b = create_batch(actor=producer_user, product=product, lot="VT2026-02", quantity=10)

    monkeypatch.setattr(scans, "_CHUNK", 1)
    for batch_id, day, place, n in [
        (story.pk, date(2026, 5, 1), "", 3),
        (batch_b.pk, date(2026, 5, 1), "", 2),
        (story.pk, date(2026, 5, 1), "19", 1),
        (story.pk, date(2026, 5, 2), "", 4),
    ]:
        scans._buffer[(batch_id, day, place)] += n
    assert flush_scan_counts() == 4
    scans._buffer[(story.pk, date(2026, 5, 1), "")] += 5
    assert flush_scan_counts() == 1
    rows = sorted(ScanCount.objects.values_list("batch_id", "day", "province_code", "count"))
    assert rows == sorted(
        [
            (story.pk, date(2026, 5, 1), "", 8),
            (batch_b.pk, date(2026, 5, 1), "", 2),
            (story.pk, date(2026, 5, 1), "19", 1),
            (story.pk, date(2026, 5, 2), "", 4),
        ]
    )


def test_the_producer_records_processing_from_a_raw_lot_on_the_batch_page(
    client, story, producer_user, product_without_gtin
):
    from langso.trace.actions import create_batch

    dried = create_batch(
        actor=producer_user, product=product_without_gtin, lot="KHO-02", quantity=50
    )
    client.force_login(producer_user)
    response = client.post(
        f"/t/lo/{dried.public_id}/",
        {
            "kind": "processing",
            "event_time": "2026-04-05T08:00",
            "quantity": "50",
            "input_lot": story.lot,
            "input_quantity": "220,5",
        },
        follow=True,
    )
    assert "Đã ghi sự kiện vào nhật ký của lô." in _text(response)
    event = dried.events.get(kind="processing")
    assert event.document["inputQuantityList"][0]["quantity"] == 220.5
    response = client.post(
        f"/t/lo/{dried.public_id}/",
        {
            "kind": "processing",
            "event_time": "2026-04-05T08:00",
            "quantity": "5",
            "input_lot": "KHONGCO",
            "input_quantity": "1",
        },
        follow=True,
    )
    assert "Không tìm thấy lô nguyên liệu có số lô này." in _text(response)


def test_a_producer_creates_a_batch_from_the_batch_list(client, producer_user, product, area):
    client.force_login(producer_user)
    page = _text(client.get("/t/lo/"))
    assert "Tạo lô mới" in page and "Đồi chè Khe Cốc" in page
    response = client.post(
        "/t/lo/",
        {
            "product": str(product.public_id),
            "lot": "VT-2026-09",
            "quantity": "120,5",
            "growing_area": str(area.public_id),
        },
    )
    batch = product.batches.get(lot="VT-2026-09")
    assert response.status_code == 302 and batch.quantity == Decimal("120.5")
    assert batch.growing_area == area
    page = _text(
        client.post(
            "/t/lo/",
            {"product": str(product.public_id), "lot": "lô 9", "quantity": "1"},
            follow=True,
        )
    )
    assert "Số lô phải có 1–20 ký tự" in page


def test_an_official_of_another_commune_cannot_create_batches_here(client, other_official, product):
    client.force_login(other_official)
    assert "Tạo lô mới" not in _text(client.get("/t/lo/"))
    client.post("/t/lo/", {"product": str(product.public_id), "lot": "X1", "quantity": "1"})
    assert not product.batches.exists()


def test_pages_are_refreshed_once_per_transaction_not_once_per_event(
    story, producer_user, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from langso.trace.actions import events

    calls = []
    monkeypatch.setattr(events, "refresh_scan_pages", calls.append)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for _event in range(3):  # as an EPCIS import stores its events
            events.touch_batches([story.pk])
    assert calls == [[story.pk]]
    with django_capture_on_commit_callbacks(execute=True):
        _inspect(producer_user, story, day=8)  # the next transaction gets its own refresh
    assert calls == [[story.pk], [story.pk]]


def test_one_address_scanning_without_pause_is_slowed_down(client, story, settings, monkeypatch):
    from langso.core import ratelimit

    settings.LANGSO_RATE_LIMIT_ENABLED = True
    settings.LANGSO_RATE_LIMITS = {"trace.scan": 3}
    monkeypatch.setattr(ratelimit, "_local_counts", ratelimit._LocalCounts())
    monkeypatch.setattr(ratelimit, "clock", lambda: 1_800_000_010.0)
    path = batch_path(story)
    codes = [client.get(path, REMOTE_ADDR="198.51.100.7").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get(path, REMOTE_ADDR="198.51.100.7")
    assert "quá nhiều yêu cầu" in _text(refused) and refused["Retry-After"] == "50"
    assert client.get(path, REMOTE_ADDR="198.51.100.8").status_code == 200


def test_a_harvest_is_weighed_in_kg_though_the_lot_counts_retail_boxes(
    client, producer_user, producer, area
):
    from langso.economy.models import Product
    from langso.trace.actions import create_batch

    boxed = Product.objects.create(producer=producer, name="Chè hộp quà", unit="hộp 200 g")
    lot = create_batch(
        actor=producer_user, product=boxed, lot="HOP-01", quantity=600, growing_area=area
    )
    client.force_login(producer_user)
    url = f"/t/lo/{lot.public_id}/"
    page = _text(client.get(url))
    assert "kg khi thu hoạch, hộp 200 g với sự kiện khác" in page
    client.post(url, {"kind": "harvest", "event_time": "2026-04-01T07:00", "quantity": "135,5"})
    client.post(
        url, {"kind": "harvest", "event_time": "2026-04-02T07:00", "quantity": "1", "unit": "tấn"}
    )
    first, second = lot.events.filter(kind="harvest").order_by("event_time")
    assert (first.uom, first.details["unit"]) == ("KGM", "kg")
    assert first.document["quantityList"][0]["uom"] == "KGM"
    assert (second.uom, second.details["unit"]) == ("TNE", "tấn")
    page = _text(client.get(url))
    assert "Số lượng: 135,5 kg" in page and "Số lượng: 1 tấn" in page
    assert "135,5 hộp" not in page

    refused = client.post(
        url,
        {"kind": "packing", "event_time": "2026-04-03T07:00", "quantity": "5", "unit": "tấn"},
        follow=True,
    )
    assert "ghi theo đơn vị của lô (hộp 200 g)" in _text(refused)
    client.post(url, {"kind": "packing", "event_time": "2026-04-03T07:00", "quantity": "580"})
    assert lot.events.get(kind="packing").uom == lot.uom != "KGM"
