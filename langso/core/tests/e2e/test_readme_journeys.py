"""The README's "What to try in the demo" table, row by row, in a real headless Chromium: the
row's person logs in, opens the row's page, does its key action and sees the result in
Vietnamese. Screenshots in `$LANGSO_ARTIFACTS_DIR/screenshots/readme-<row>/`.

Rows already walked elsewhere are not repeated here:
  resident `/procedures/`             test_journeys.py (resident-dossier)
  official `/procedures/ban-lam-viec/` test_journeys.py (official-signs)
  anyone `/documents/verify/`         test_journeys.py (official-signs, last step)
  province `/monitor/tinh/`           test_journeys.py (province-map)
  anyone `/society/ban-do/`           society/tests/test_browser.py (society-map)
  official `/society/tap-huan/` (officials ticked on a phone)  society-training
  resident / official `/dang-nhap/` (SSO)  people/tests/test_demo_idp_browser.py (sso-demo)
The same rows' pages at 360 px and in both languages: test_readme_layout.py.

One Chromium serves the whole module (the `chromium` fixture of conftest.py)."""

from decimal import Decimal

import pytest

from langso.core.testing.browser import (
    Screenshots,
    log_in,
    page_text,
    requires_browser,
    submit_and_wait,
    wait_for,
)

from .conftest import a_pdf

pytestmark = [*requires_browser, pytest.mark.django_db(transaction=True)]


def go(driver, selector: str) -> None:
    """Follow a link or submit a form, and wait for the next page."""
    submit_and_wait(driver, driver.find_element("css selector", selector))


def fill(driver, selector: str, text: str) -> None:
    field = driver.find_element("css selector", selector)
    field.clear()
    field.send_keys(text)


def h1(driver) -> str:
    return driver.find_element("css selector", "h1").text


def phone_width(driver) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 360, "height": 740, "deviceScaleFactor": 1, "mobile": True},
    )


def fits_the_screen(driver) -> bool:
    return driver.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth + 1;"
    )


def test_an_official_lists_the_communes_households_and_reveals_one_id_with_a_purpose(
    live_server, chromium, official, household, other_household
):
    from langso.core.models import AuditEvent

    shot = Screenshots(chromium, "readme-people")
    log_in(chromium, live_server.url, "canbo.votranh", "pw-canbo.votranh", "/people/")
    assert h1(chromium) == "Hộ gia đình · Xã Vô Tranh"
    text = page_text(chromium)
    assert "05641-00001" in text and "Nguyễn Văn An" in text
    assert "00004-00001" not in text and "Trần Thị Bình" not in text  # another province's
    assert "Nhập từ Excel/CSV" in text and "Xuất Excel" in text
    shot("households")

    go(chromium, f"a[href='/people/ho/{household.pk}/']")
    go(chromium, f"a[href='/people/nhan-khau/{household.head_id}/']")
    text = page_text(chromium)
    assert "019080012345" not in text  # masked until a purpose is given
    shot("resident-masked")
    fill(chromium, "input[name=purpose]", "Đối chiếu hồ sơ thủ tục số 12")
    go(chromium, "form[action$='/xem-cccd/'] button[type=submit]")
    assert chromium.find_element("id", "cccd-full").text == "019080012345"
    assert "Đã ghi nhật ký truy cập" in page_text(chromium)
    shot("id-revealed")
    assert AuditEvent.objects.filter(purpose="Đối chiếu hồ sơ thủ tục số 12").count() == 1

    chromium.get(live_server.url + "/people/nhap/")
    assert h1(chromium) == "Nhập hộ và nhân khẩu từ Excel hoặc CSV"
    shot("import")


def test_the_leader_reads_the_communes_audit_log_and_an_official_may_not(
    live_server, chromium, leader, id_revealed
):
    shot = Screenshots(chromium, "readme-audit-log")
    log_in(chromium, live_server.url, "chutich.votranh", "pw-chutich.votranh", "/nhat-ky/")
    assert h1(chromium) == "Nhật ký truy cập và thay đổi dữ liệu"
    text = page_text(chromium)
    assert "canbo.votranh" in text and "Đối chiếu hồ sơ thủ tục số 12" in text
    fill(chromium, "#f-who", "canbo")
    go(chromium, "form[aria-label] button[type=submit]")
    assert "Đối chiếu hồ sơ thủ tục số 12" in page_text(chromium)
    shot("audit-log")

    chromium.execute_cdp_cmd("Network.clearBrowserCookies", {})
    log_in(chromium, live_server.url, "canbo.votranh", "pw-canbo.votranh", "/nhat-ky/")
    assert h1(chromium) == "Không có quyền truy cập"
    shot("official-refused")


def test_a_buyer_finds_the_tea_in_the_market_without_diacritics(live_server, chromium, listed_tea):
    tea_story = listed_tea
    shot = Screenshots(chromium, "readme-economy")
    chromium.get(live_server.url + "/economy/")
    assert h1(chromium) == "Sản phẩm của Xã Vô Tranh"
    assert chromium.find_elements("css selector", "a[href='/economy/feed.csv']")
    fill(chromium, "#id_q", "che bup")
    go(chromium, "form[role=search] button[type=submit]")
    text = page_text(chromium)
    assert "Chè búp Vô Tranh" in text and "HTX Chè Vô Tranh" in text
    assert "1 sản phẩm" in text
    shot("market-search")
    go(chromium, f"a[href='/economy/products/{tea_story['product'].public_id}/']")
    assert "Chè búp Vô Tranh" in h1(chromium)
    shot("product")
    chromium.get(live_server.url + "/economy/demands/")
    wait_for(chromium, "return document.readyState === 'complete';")
    shot("demands")


def test_a_producer_sees_the_tea_batch_and_opens_a_new_lot(live_server, chromium, tea_story):
    from langso.trace.models import Batch

    shot = Screenshots(chromium, "readme-trace")
    log_in(chromium, live_server.url, "htx.votranh", "pw-htx.votranh", "/t/lo/")
    assert h1(chromium) == "Lô sản phẩm và truy xuất nguồn gốc"
    assert chromium.title == "Lô sản phẩm và truy xuất nguồn gốc · Làng Số"
    text = page_text(chromium)
    assert "VT2026-01" in text and "Chưa in" in text
    shot("batches")

    fill(chromium, "#lot", "VT2026-02")
    fill(chromium, "#quantity", "120")
    go(chromium, "form.form button[type=submit]")
    batch = Batch.objects.get(lot="VT2026-02")
    assert batch.quantity == Decimal("120")
    chromium.get(f"{live_server.url}/t/lo/{batch.public_id}/")
    assert h1(chromium) == "Chè búp Vô Tranh – lô VT2026-02"
    for link in ("tem.pdf", "qr.png", "qr.svg", "epcis.jsonld"):
        assert chromium.find_elements("css selector", f"a[href$='/{link}']"), link
    shot("new-lot")

    chromium.get(f"{live_server.url}/t/lo/{tea_story['batch'].public_id}/")
    text = page_text(chromium)
    assert "Gieo trồng" in text and "Thu hoạch" in text and "Đóng gói" in text
    shot("batch-events")


def test_anyone_looks_up_a_digital_address_by_hamlet_name(
    live_server, chromium, addressed_household
):
    shot = Screenshots(chromium, "readme-digital-address")
    code = addressed_household.digital_address.code
    chromium.get(live_server.url + "/society/dia-chi/")
    assert h1(chromium) == "Tra cứu địa chỉ số"
    fill(chromium, "#q", "khe coc")
    go(chromium, "form[role=search] button[type=submit]")
    text = page_text(chromium)
    assert code in text and "Xóm Khe Cốc" in text
    assert "Nguyễn Văn An" not in text  # no names for an anonymous visitor
    shot("lookup")
    go(chromium, f"a[href='/society/dia-chi/{code}/']")
    assert code in page_text(chromium)
    shot("address")


def test_a_health_worker_finds_a_resident_and_opens_the_record(
    live_server, chromium, health_worker, health_record
):
    from langso.core.models import AuditEvent

    shot = Screenshots(chromium, "readme-health")
    log_in(chromium, live_server.url, "yte.votranh", "pw-yte.votranh", "/society/suc-khoe/")
    assert h1(chromium) == "Hồ sơ sức khoẻ điện tử"
    fill(chromium, "main input[name=q]", "nguyen van an")
    go(chromium, "main form button[type=submit]")
    shot("search")
    go(chromium, f"a[href^='/society/suc-khoe/{health_record.resident_id}/']")
    text = page_text(chromium)
    assert "Nguyễn Văn An" in text and "O+" in text
    shot("record")
    assert AuditEvent.objects.filter(actor__username="yte.votranh", action="read").exists()


def test_a_digital_team_member_logs_a_help_session_offline_and_it_syncs_later(
    live_server, chromium, team_member, household
):
    from langso.society.models import HelpSession

    shot = Screenshots(chromium, "readme-help-log")
    log_in(
        chromium,
        live_server.url,
        "congnghe.votranh",
        "pw-congnghe.votranh",
        "/society/to-cong-nghe/ghi-nhan/",
    )
    assert h1(chromium) == "Ghi nhận buổi hỗ trợ"
    chromium.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    fill(chromium, "#household_code", household.code)
    fill(chromium, "#notes", "Cài VNeID cho chủ hộ")
    chromium.find_element("css selector", "#help-form button[type=submit]").click()
    wait_for(chromium, "return window.LangSoHelpLog.queue().length === 1")
    assert HelpSession.objects.count() == 0
    shot("saved-offline")

    chromium.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    chromium.find_element("id", "sync-now").click()
    wait_for(chromium, "return window.LangSoHelpLog.queue().length === 0")
    session = HelpSession.objects.get()
    assert session.household == household and session.notes == "Cài VNeID cho chủ hộ"
    chromium.get(live_server.url + "/society/to-cong-nghe/ghi-nhan/")
    assert "Đã gửi gần đây" in page_text(chromium)
    assert household.code in page_text(chromium)
    shot("synced")


def test_an_official_records_training_for_officials_and_for_residents_by_head_count(
    live_server, chromium, two_officials
):
    from langso.society.models import Attendance

    shot = Screenshots(chromium, "readme-training")
    log_in(chromium, live_server.url, "canbo.votranh", "pw-canbo.votranh", "/society/tap-huan/")
    assert chromium.find_element("id", "officials-trained").text.startswith(
        "Cán bộ xã đã được tập huấn: 0/2"
    )
    assert chromium.find_elements("css selector", "a[href$='/tap-huan/mau-diem-danh.xlsx']")
    shot("training")

    fill(chromium, "input[name=title]", "Kỹ năng số cho cán bộ xã")
    go(chromium, "form[action$='/tap-huan/'] button")
    assert "Đã thêm buổi tập huấn" in page_text(chromium)
    for label in chromium.find_elements("css selector", "label.check"):
        if "Lê Thị Hoa" in label.text:
            label.click()
    go(chromium, "#attendance-form button[type=submit]")
    assert "Đã lưu điểm danh: 1 cán bộ." in page_text(chromium)
    assert Attendance.objects.get().user.username == "ketoan.votranh"

    chromium.get(live_server.url + "/society/tap-huan/")
    fill(chromium, "input[name=title]", "Dùng VNeID và dịch vụ công")
    chromium.find_element("css selector", "input[name=audience][value=residents]").click()
    go(chromium, "form[action$='/tap-huan/'] button")
    fill(chromium, "input[name=headcount]", "25")
    go(chromium, "#attendance-form button[type=submit]")
    assert "Đã lưu điểm danh." in page_text(chromium)

    chromium.get(live_server.url + "/society/tap-huan/")
    assert "1/2" in chromium.find_element("id", "officials-trained").text
    assert "25" in chromium.find_element("id", "residents-trained").text
    shot("figures-follow")


def test_a_resident_reads_an_announcement_and_the_officials_directory_on_a_phone(
    live_server, chromium, resident_user, engage_news
):
    shot = Screenshots(chromium, "readme-engage")
    log_in(chromium, live_server.url, "nguoidan.an", "pw-nguoidan", "/engage/")
    assert h1(chromium) == "Tương tác với người dân — Xã Vô Tranh"
    shot("index")
    go(chromium, "a[href='/engage/announcements/']")
    assert "Lịch tiêm chủng tháng 5" in page_text(chromium)
    assert chromium.find_elements("css selector", "a[href^='/engage/announcements/rss/']")
    shot("announcements")

    phone_width(chromium)
    chromium.get(live_server.url + "/engage/directory/")
    assert h1(chromium) == "Danh bạ cán bộ — Xã Vô Tranh"
    text = page_text(chromium)
    assert "Hà Văn Bình" in text and "0208 3870 101" in text and "Vũ Đức Thắng" in text
    # each official reads as a card on a phone: name, then the details, no sideways scroll
    assert fits_the_screen(chromium)
    width = chromium.execute_script(
        "return document.querySelector('.directory tbody td').getBoundingClientRect().width;"
    )
    assert width > 300
    shot("directory-phone")


def test_the_province_takes_a_commune_out_of_the_programme_with_its_reason(
    live_server, chromium, province_officer, commune, neighbour_commune, ward
):
    shot = Screenshots(chromium, "readme-programme-scope")
    log_in(
        chromium,
        live_server.url,
        "tinh.thainguyen",
        "pw-tinh.thainguyen",
        "/monitor/tinh/19/pham-vi/",
    )
    assert h1(chromium) == "Phạm vi chương trình nông thôn mới"
    row = "tr[data-unit='{}']"
    assert "Thuộc chương trình" in chromium.find_element("css selector", row.format("05653")).text
    assert "Không thuộc" in chromium.find_element("css selector", row.format("05443")).text
    shot("scope")

    fill(chromium, row.format("05653") + " input[name=reason]", "Quyết định 123/QĐ-UBND")
    go(chromium, row.format("05653") + " button")
    text = chromium.find_element("css selector", row.format("05653")).text
    assert "Không thuộc" in text and "Quyết định 123/QĐ-UBND" in text
    shot("taken-out")


def test_recognition_is_refused_while_criteria_are_unmet_unless_the_province_overrides(
    live_server, chromium, leader, province_officer, monitor_catalogue
):
    from langso.monitor.models import Assessment

    shot = Screenshots(chromium, "readme-assessment")
    query = "?year=2026&bo=ntm-thong-minh-thi-diem"
    log_in(
        chromium,
        live_server.url,
        "chutich.votranh",
        "pw-chutich.votranh",
        "/monitor/" + query,
    )
    assert "Mô hình thí điểm xã nông thôn mới thông minh" in page_text(chromium)
    go(chromium, "form[action$='/tu-danh-gia/'] button")  # Lập hồ sơ tự đánh giá
    go(chromium, "button[name=step][value=submit]")
    status = chromium.find_element("css selector", "[data-testid=assessment-status]").text
    shot("leader-sent")

    chromium.execute_cdp_cmd("Network.clearBrowserCookies", {})
    log_in(
        chromium,
        live_server.url,
        "tinh.thainguyen",
        "pw-tinh.thainguyen",
        "/monitor/xa/05641/" + query,
    )
    assert chromium.find_element("css selector", "[data-testid=assessment-status]").text == status
    go(chromium, "button[name=step][value=appraise]")
    assert "Chưa đủ điều kiện công nhận" in page_text(chromium)
    assert not chromium.find_elements("css selector", "button[name=step][value=recognise]")
    shot("unmet")
    fill(chromium, "#id_reason", "Biên bản thẩm định số 12/BB-VPĐP: đạt trên hồ sơ giấy.")
    go(chromium, "[data-testid=override-form] button")
    assert "Đã công nhận theo ngoại lệ" in page_text(chromium)
    assert (
        "Biên bản thẩm định số 12/BB-VPĐP"
        in chromium.find_element("css selector", "[data-testid=override]").text
    )
    assessment = Assessment.objects.get()
    assert assessment.status == "recognised"
    assert assessment.criteria_set.code == "ntm-thong-minh-thi-diem"
    shot("override")


def test_a_missing_page_answers_in_vietnamese_then_in_english_by_the_switch(live_server, chromium):
    shot = Screenshots(chromium, "readme-error-pages")
    chromium.get(live_server.url + "/khong-co/")
    assert chromium.find_element("tag name", "html").get_attribute("lang") == "vi"
    assert h1(chromium) == "Không tìm thấy trang"
    shot("404-vi")
    go(chromium, "header button[name=language][value=en]")
    assert chromium.find_element("tag name", "html").get_attribute("lang") == "en"
    assert h1(chromium) == "Page not found"
    shot("404-en")
    answer = chromium.execute_async_script(
        "var done = arguments[0];"
        "fetch('/api/khong-co/').then(r => r.json().then(j => done([r.status, j])));"
    )
    assert answer[0] == 404 and answer[1]["code"] == "core.not_found" and answer[1]["detail"]


def test_f5_and_a_double_click_make_one_dossier_and_one_feedback(
    live_server, chromium, tmp_path, resident_user, marital, feedback_category
):
    from selenium.webdriver.common.action_chains import ActionChains

    from langso.engage.models import Feedback
    from langso.procedures.models import Dossier

    shot = Screenshots(chromium, "readme-one-receipt")
    log_in(
        chromium,
        live_server.url,
        "nguoidan.an",
        "pw-nguoidan",
        f"/procedures/thu-tuc/{marital.pk}/nop-ho-so/",
    )
    fill(chromium, "#id_applicant_name", "Nguyễn Văn An")
    fill(chromium, "#id_applicant_phone", "0912345678")
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(a_pdf("To khai"))
    chromium.find_element("css selector", "#files").send_keys(str(scan))
    ActionChains(chromium).double_click(
        chromium.find_element("css selector", "form.form button[type=submit]")
    ).perform()
    wait_for(chromium, "return document.body.innerText.includes('Giấy biên nhận hồ sơ');")
    chromium.refresh()  # F5 on the receipt
    wait_for(chromium, "return document.body.innerText.includes('Giấy biên nhận hồ sơ');")
    dossier = Dossier.objects.get()
    assert dossier.receipt_code in page_text(chromium)
    shot("receipt-after-f5")

    chromium.get(live_server.url + "/engage/feedback/new/")
    chromium.find_element("css selector", f"#id_category option[value='{feedback_category.pk}']")
    chromium.execute_script(
        "document.getElementById('id_category').value = arguments[0];", str(feedback_category.pk)
    )
    fill(chromium, "#id_text", "Đường vào xóm Khe Cốc bị sạt lở sau mưa, xe máy khó đi.")
    ActionChains(chromium).double_click(
        chromium.find_element("css selector", "form.form button[type=submit]")
    ).perform()
    wait_for(chromium, "return document.body.innerText.includes('Xã đã nhận phản ánh của bạn');")
    chromium.refresh()
    wait_for(chromium, "return document.body.innerText.includes('Xã đã nhận phản ánh của bạn');")
    feedback = Feedback.objects.get()
    assert feedback.tracking_code in page_text(chromium)
    shot("feedback-after-f5")
    assert Dossier.objects.count() == 1


def test_a_resident_sees_who_read_her_health_record(
    live_server, chromium, resident_user, health_record_read
):
    shot = Screenshots(chromium, "readme-consents")
    log_in(chromium, live_server.url, "nguoidan.an", "pw-nguoidan", "/society/suc-khoe/dong-y/")
    assert h1(chromium) == "Ai được xem hồ sơ sức khoẻ của tôi"
    reads = chromium.execute_script(
        "return document.getElementById('ai-da-xem').nextElementSibling"
        ".nextElementSibling.innerText;"
    )
    assert "Ai đã xem hồ sơ của tôi" in page_text(chromium)
    assert "Phạm Thị Thu" in reads
    shot("who-read")


def test_the_admin_shows_an_official_only_the_communes_own_households(
    live_server, chromium, official, household, other_household
):
    shot = Screenshots(chromium, "readme-admin")
    log_in(chromium, live_server.url, "canbo.votranh", "pw-canbo.votranh", "/admin/")
    assert "Quản trị dữ liệu" in page_text(chromium)
    shot("admin-index")
    chromium.get(live_server.url + "/admin/people/household/")
    text = page_text(chromium)
    assert "05641-00001" in text
    assert "00004-00001" not in text and "Phố Phúc Xá" not in text
    shot("households")


def test_anyone_finds_a_legacy_commune_and_its_2025_successor(live_server, chromium, legacy_units):
    shot = Screenshots(chromium, "readme-places")
    chromium.get(live_server.url + "/places/?q=tuc tranh")
    assert h1(chromium) == "Tra cứu đơn vị hành chính"
    result = chromium.find_element("css selector", "ul.results li").text
    assert "Xã Tức Tranh" in result and "trước 01/7/2025" in result
    assert "→ Xã Vô Tranh, Tỉnh Thái Nguyên" in result
    shot("search")
