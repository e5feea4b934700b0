"""End-to-end journeys in a real headless Chromium against the live test server: what a
resident, a commune official, a consumer and a province officer do, click by click. Each
journey leaves screenshots of its key steps in
`$LANGSO_ARTIFACTS_DIR/screenshots/<journey>/` (default var/artifacts)."""

from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from langso.core.testing.browser import (
    Screenshots,
    log_in,
    page_text,
    requires_browser,
    start_chromium,
    submit_and_wait,
    wait_for,
    wait_for_file,
)

from .conftest import a_pdf

pytestmark = [*requires_browser, pytest.mark.django_db(transaction=True)]

PUBLIC_URL = "https://truyxuat.langso.vn"  # what the printed QR codes point to


def click(driver, selector: str) -> None:
    driver.find_element("css selector", selector).click()


def go(driver, selector: str) -> None:
    """Follow a link or submit a form, and wait for the next page."""
    submit_and_wait(driver, driver.find_element("css selector", selector))


def fill(driver, selector: str, text: str) -> None:
    from selenium.webdriver.common.by import By

    field = driver.find_element(By.CSS_SELECTOR, selector)
    field.clear()
    field.send_keys(text)


def wait_for_page(driver, path_prefix: str) -> None:
    wait_for(
        driver,
        "return location.pathname.startsWith(arguments[0]) && document.readyState === 'complete';",
        path_prefix,
    )


def test_a_resident_submits_a_dossier_with_a_file_then_tracks_and_rates_it(
    live_server, browser, tmp_path, resident_user, official, marital
):
    from langso.procedures.actions import complete_dossier, transition_dossier
    from langso.procedures.models import Dossier, Rating, State

    shot = Screenshots(browser, "resident-dossier")
    scan = tmp_path / "giay-to-tuy-than.pdf"
    scan.write_bytes(a_pdf("CCCD 019080012345 - Nguyen Van An"))

    log_in(browser, live_server.url, "nguoidan.an", "pw-nguoidan", "/procedures/")
    fill(browser, "input[name=q]", "tinh trang hon nhan")  # search without diacritics
    go(browser, "form[role=search] button[type=submit]")
    text = page_text(browser)
    assert marital.name in text and "Đăng ký khai sinh" not in text
    shot("catalogue")
    go(browser, f"a[href='/procedures/thu-tuc/{marital.pk}/']")
    wait_for_page(browser, f"/procedures/thu-tuc/{marital.pk}/")
    go(browser, f"a[href='/procedures/thu-tuc/{marital.pk}/nop-ho-so/']")
    wait_for_page(browser, f"/procedures/thu-tuc/{marital.pk}/nop-ho-so/")
    fill(browser, "#id_applicant_name", "Nguyễn Văn An")
    fill(browser, "#id_applicant_phone", "0912345678")
    fill(browser, "#id_description", "Xác nhận để làm thủ tục đăng ký kết hôn.")
    browser.find_element("css selector", "#files").send_keys(str(scan))
    shot("form-filled")
    go(browser, "form.form button[type=submit]")
    wait_for(browser, "return document.body.innerText.includes('Giấy biên nhận hồ sơ');")
    shot("receipt")

    dossier = Dossier.objects.get()
    text = page_text(browser)
    assert dossier.receipt_code in text and dossier.tracking_secret in text
    assert dossier.applicant_user == resident_user and dossier.state == State.SUBMITTED
    upload = dossier.files.get()
    assert upload.original_name == "giay-to-tuy-than.pdf"
    assert upload.file.read() == scan.read_bytes()

    # The commune settles it (the official's own journey is the next test).
    d = transition_dossier(
        actor=official,
        dossier_id=dossier.public_id,
        to_state=State.RECEIVED,
        version=dossier.version,
    )
    d = transition_dossier(
        actor=official, dossier_id=d.public_id, to_state=State.PROCESSING, version=d.version
    )
    complete_dossier(
        actor=official,
        dossier_id=d.public_id,
        version=d.version,
        result_file=SimpleUploadedFile(
            "xac-nhan.pdf", a_pdf("Ket qua"), content_type="application/pdf"
        ),
    )

    # Later, from another device and without logging in: the receipt code and the secret.
    browser.delete_all_cookies()
    browser.get(live_server.url + "/procedures/tra-cuu/")
    fill(browser, "#id_receipt_code", dossier.receipt_code)
    fill(browser, "#id_secret", "SAIMA123")
    go(browser, "form.form button[type=submit]")
    wait_for(browser, "return document.body.innerText.includes('Không tìm thấy hồ sơ');")
    shot("tracking-wrong-secret")
    fill(browser, "#id_secret", dossier.tracking_secret)
    go(browser, "form.form button[type=submit]")
    wait_for_page(browser, f"/procedures/ho-so/{dossier.public_id}/")
    text = page_text(browser)
    assert "Trạng thái: Đã giải quyết" in text and "Tải kết quả: xac-nhan.pdf" in text
    assert "Đánh giá mức độ hài lòng" in text
    shot("tracked-dossier")

    click(browser, "input[name=level][value=very_satisfied]")
    fill(browser, "textarea[name=comment]", "Cán bộ hướng dẫn tận tình.")
    go(browser, "form[action$='/danh-gia/'] button[type=submit]")
    wait_for(browser, "return document.body.innerText.includes('Cảm ơn bạn đã đánh giá');")
    shot("rated")
    rating = Rating.objects.get(dossier=dossier)
    assert rating.level == "very_satisfied" and rating.comment == "Cán bộ hướng dẫn tận tình."
    assert "Bạn đã đánh giá" in page_text(browser)


def test_an_official_processes_a_dossier_to_a_signed_result_that_verifies_as_valid(
    live_server, tmp_path, demo_signing, resident_user, official, marital
):
    from langso.procedures.actions import submit_dossier
    from langso.procedures.models import State

    dossier = submit_dossier(
        actor=resident_user,
        procedure_id=marital.pk,
        applicant_name="Nguyễn Văn An",
        files=[SimpleUploadedFile("to-khai.pdf", a_pdf("To khai"), content_type="application/pdf")],
    )
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser = start_chromium(download_dir=downloads)
    try:
        shot = Screenshots(browser, "official-signs")
        log_in(
            browser,
            live_server.url,
            "canbo.votranh",
            "pw-canbo.votranh",
            "/procedures/ban-lam-viec/",
        )
        wait_for_page(browser, "/procedures/ban-lam-viec/")
        assert dossier.receipt_code in page_text(browser)
        shot("desk")
        go(browser, f"a[href='/procedures/ban-lam-viec/ho-so/{dossier.public_id}/']")
        wait_for_page(browser, f"/procedures/ban-lam-viec/ho-so/{dossier.public_id}/")
        assert "to-khai.pdf" in page_text(browser)
        shot("dossier")

        for state, label in (
            (State.RECEIVED, "Tiếp nhận"),
            (State.PROCESSING, "Chuyển xử lý"),
            (State.COMPLETED, "Hoàn thành, có kết quả"),
        ):
            form = f"form:has(input[name=to_state][value={state}])"
            assert browser.find_element("css selector", f"{form} button").text == label
            if state == State.COMPLETED:
                # the signed result is generated by default
                assert browser.find_element("css selector", f"{form} #generate").is_selected()
                fill(browser, f"{form} textarea[name=comment]", "Đủ điều kiện xác nhận.")
                shot("before-completion")
            go(browser, f"{form} button[type=submit]")
            assert "Đã cập nhật hồ sơ" in page_text(browser)
            dossier.refresh_from_db()
            assert dossier.state == state
        assert dossier.result_document_id
        shot("completed")

        click(browser, f"a[href='/procedures/ho-so/{dossier.public_id}/ket-qua.pdf']")
        signed = wait_for_file(downloads, "*.pdf")
        assert signed.name == f"ket-qua-{dossier.receipt_code}.pdf"
        assert signed.read_bytes().startswith(b"%PDF")

        # Anyone can check the file: upload it on the public verification page.
        browser.delete_all_cookies()
        browser.get(live_server.url + "/documents/verify/")
        browser.find_element("css selector", "input[type=file][name=file]").send_keys(str(signed))
        go(browser, "form[enctype] button[type=submit]")
        code = wait_for(
            browser, "var r = document.getElementById('result');return r && r.dataset.code;"
        )
        shot("verified")
        assert code == "valid"
        text = page_text(browser)
        assert "Chữ ký số hợp lệ" in text and "Xã Vô Tranh" in text
        assert "Nội dung đã ký còn nguyên vẹn" in text
    finally:
        browser.quit()


def test_a_consumer_scans_the_qr_label_image_and_reads_the_batch_story(
    live_server, phone_browser, settings, tea_story
):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    browser = phone_browser

    settings.LANGSO_PUBLIC_URL = PUBLIC_URL
    batch = tea_story["batch"]
    shot = Screenshots(browser, "consumer-scan")

    # The producer downloads the label image for the packaging printer.
    producer = Client()
    producer.force_login(tea_story["manager"])
    response = producer.get(f"/t/lo/{batch.public_id}/qr.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    label = shot.folder / "00-label.png"
    label.write_bytes(response.content)

    # The consumer's phone reads the QR code from the image.
    found = zxingcpp.read_barcodes(Image.open(label))
    assert len(found) == 1 and found[0].format == zxingcpp.BarcodeFormat.QRCode
    url = found[0].text
    # GS1 Digital Link: the GTIN-13 padded to 14 digits
    assert url == f"{PUBLIC_URL}/01/0{tea_story['product'].gtin}/10/VT2026-01"
    # The public host is ours in production; here the live server stands in for it.
    parts = urlsplit(url)
    browser.get(live_server.url + parts.path)
    wait_for(
        browser,
        "return document.readyState === 'complete' && document.querySelector('h1') !== null;",
    )
    shot("story")

    text = page_text(browser)
    assert browser.find_element("css selector", "h1").text == "Chè búp Vô Tranh"
    for expected in (
        "Lô VT2026-01",
        "HTX Chè Vô Tranh",
        "Đồi chè Khe Cốc",
        "VN-19-168-05641-01-25",
        "VietGAP",
        "VG-19-0042",
        "Sản phẩm OCOP 4 sao",
        "Nhật ký của lô",
        "Gieo trồng",
        "Giống: Trung du lá nhỏ",
        "Thu hoạch",
        "Đóng gói",
    ):
        assert expected in text, expected
    stars = browser.find_element("css selector", ".stars")
    assert stars.text == "★★★★"
    events = browser.execute_script(
        "return [...document.querySelectorAll('ol.tl > li h3')].map(e => e.innerText);"
    )
    assert [e.split()[0] for e in events] == ["Gieo", "Thu", "Đóng"]
    assert PUBLIC_URL + parts.path in text  # the footer shows the code that was scanned
    assert browser.execute_script(  # readable on the phone without sideways scrolling
        "return document.documentElement.scrollWidth <= window.innerWidth;"
    )


def test_a_province_officer_opens_the_dashboard_map_without_map_tiles(
    live_server, browser, province, commune, neighbour_commune, province_officer
):
    from langso.monitor.catalogue import load_catalogue

    load_catalogue()
    neighbour_commune.latitude, neighbour_commune.longitude = 21.6, 105.8
    neighbour_commune.save(update_fields=["latitude", "longitude"])
    shot = Screenshots(browser, "province-map")

    # Map tiles come from the internet, which the test browser cannot reach.
    log_in(browser, live_server.url, "tinh.thainguyen", "pw-tinh.thainguyen", "/monitor/tinh/")
    wait_for_page(browser, "/monitor/tinh/")
    assert browser.find_element("css selector", "h1").text == "Tỉnh Thái Nguyên"
    markers = wait_for(browser, "return document.getElementById('map').dataset.markers;")
    assert markers == "2"
    drawn = browser.execute_script(
        "return document.querySelectorAll('#map path.leaflet-interactive').length;"
    )
    assert drawn == 2
    assert browser.execute_script("return typeof L === 'object' && !!L.map;")
    assert "Quần đảo Hoàng Sa (Việt Nam)" in browser.execute_script(
        "return document.getElementById('map').innerText;"
    )
    shot("map")
    text = page_text(browser)
    assert "Xã Vô Tranh" in text and "Xã Phú Lương" in text

    # A commune's marker opens its dashboard.
    browser.execute_script(
        "document.querySelector('#map path.leaflet-interactive')"
        ".dispatchEvent(new MouseEvent('click', {bubbles: true}));"
    )
    wait_for(browser, "return document.querySelector('.leaflet-popup-content a') !== null;")
    shot("popup")
    go(browser, ".leaflet-popup-content a")
    wait_for_page(browser, "/monitor/xa/")
    assert "tiêu chí đạt" in page_text(browser)
    shot("commune")
