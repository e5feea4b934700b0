"""XLSForms answered in headless Chromium as a resident would: each shared conformance form
imports and its page behaves (cascading choices narrow, the calculation shows, `or_other`
asks what other, a repeat grows), and the page keeps to the Content-Security-Policy."""

import pytest
from selenium.webdriver.common.by import By

from langso.core.testing.browser import (
    Screenshots,
    log_in,
    page_text,
    requires_browser,
    submit_and_wait,
    wait_for,
)
from langso.engage.models import SurveyResponse

from .conftest import xlsform
from .xlsform_cases import SHARED_FORMS, open_form, shared_form

pytestmark = [*requires_browser, pytest.mark.django_db(transaction=True)]

HIDDEN = "var e = document.querySelector(arguments[0]); return e !== null && e.hidden === true;"
SHOWN = "var e = document.querySelector(arguments[0]); return e !== null && e.hidden === false;"


def _open(browser, url, survey):
    browser.get(f"{url}/engage/surveys/{survey.public_id}/")
    wait_for(browser, "return document.getElementById('survey-form').dataset.ready === '1';")


def _click(browser, selector):
    browser.find_element(By.CSS_SELECTOR, selector).click()


def _type(browser, name, text):
    field = browser.find_element(By.NAME, name)
    field.clear()
    field.send_keys(text)


def _submit(browser):
    submit_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#survey-form > button"))
    assert "Cảm ơn" in page_text(browser), page_text(browser)[:400]


def _csp_errors(browser) -> list[str]:
    return [
        entry["message"]
        for entry in browser.get_log("browser")
        if "Content Security Policy" in entry.get("message", "")
    ]


@pytest.mark.skipif(not SHARED_FORMS, reason="the shared conformance forms are absent")
def test_a_resident_answers_every_shared_xlsform_in_the_browser(
    live_server, browser, commune, official, resident_user
):
    surveys = {name: open_form(official, commune, shared_form(name), name) for name in SHARED_FORMS}
    shot = Screenshots(browser, "xlsform-shared-forms")
    log_in(browser, live_server.url, "nguoidan.an", "pw-nguoidan", "/engage/surveys/")

    # cascade: the counties and cities narrow to the chosen state and county
    _open(browser, live_server.url, surveys["cascading_select.xlsx"])
    _click(browser, "input[name=selected_state][value=texas]")
    wait_for(browser, HIDDEN, ".choice[data-choice=king]")
    wait_for(browser, SHOWN, ".choice[data-choice=cameron]")
    _click(browser, "input[name=selected_county][value=cameron]")
    wait_for(browser, HIDDEN, ".choice[data-choice=seattle]")
    wait_for(browser, SHOWN, ".choice[data-choice=harlingen]")
    shot("cascade")
    _click(browser, "input[name=selected_city][value=harlingen]")
    _submit(browser)

    # calculation and skip logic: the note prints the tip as the amount is typed
    _open(browser, live_server.url, surveys["xlsform_org_examples.xlsx"])
    wait_for(browser, HIDDEN, ".question[data-key=favorite_toppings]")
    _click(browser, "input[name=likes_pizza][value=yes]")
    wait_for(browser, SHOWN, ".question[data-key=favorite_toppings]")
    _click(browser, "input[name=favorite_toppings][value=cheese]")
    wait_for(browser, SHOWN, ".question[data-key=favorite_cheese]")
    _type(browser, "favorite_cheese", "Mozzarella")
    _type(browser, "respondent_age", "30")
    _type(browser, "amount", "100")
    wait_for(
        browser,
        "return document.querySelector('[data-label-for=display]').textContent"
        ".indexOf('is: 18') !== -1;",
    )
    shot("calculation")
    _submit(browser)

    # begin loop + or_other: "Specify other." appears only with "Other" ticked
    _open(browser, live_server.url, surveys["loop.xlsx"])
    wait_for(browser, HIDDEN, ".question[data-key=available_toilet_types_other]")
    _click(browser, "input[name=available_toilet_types][value=other]")
    wait_for(browser, SHOWN, ".question[data-key=available_toilet_types_other]")
    _type(browser, "available_toilet_types_other", "Tự hoại")
    _type(browser, "loop_toilet_types_bucket_system_number", "1")
    shot("loop")
    _submit(browser)

    _open(browser, live_server.url, surveys["group.xlsx"])
    assert browser.find_element(By.NAME, "phone_number").get_attribute("type") == "tel"
    _type(browser, "family_name", "Nguyễn")
    _type(browser, "phone_number", "0912345678")
    _submit(browser)

    _open(browser, live_server.url, surveys["text_and_integer.xlsx"])
    _type(browser, "your_name", "An")
    _type(browser, "your_age", "30")
    _submit(browser)

    _open(browser, live_server.url, surveys["yes_or_no_question.xlsx"])
    _click(browser, "input[name=good_day][value=yes]")
    _submit(browser)

    stored = {
        name: SurveyResponse.objects.get(survey=survey).answers for name, survey in surveys.items()
    }
    assert stored["cascading_select.xlsx"]["selected_city"] == "harlingen"
    assert stored["xlsform_org_examples.xlsx"]["tip"] == 18
    assert stored["loop.xlsx"]["available_toilet_types_other"] == "Tự hoại"
    assert stored["group.xlsx"]["phone_number"] == "0912345678"
    assert stored["yes_or_no_question.xlsx"] == {"good_day": "yes"}
    assert _csp_errors(browser) == []


def test_a_resident_adds_repeat_instances_and_a_counted_repeat_follows_its_answer(
    live_server, browser, commune, official, resident_user
):
    members = open_form(
        official,
        commune,
        xlsform(
            [
                ["type", "name", "label", "calculation"],
                ["begin repeat", "thanh_vien", "Thành viên", ""],
                ["text", "ten", "Họ tên", ""],
                ["integer", "tuoi", "Tuổi", ""],
                ["end repeat", "", "", ""],
                ["calculate", "tong", "", "sum(${tuoi})"],
                ["note", "ket_qua", "Tổng tuổi: ${tong}", ""],
            ],
            settings_rows=[["form_title"], ["Thành viên hộ"]],
        ),
    )
    children = open_form(
        official,
        commune,
        xlsform(
            [
                ["type", "name", "label", "repeat_count"],
                ["integer", "so_con", "Số con", ""],
                ["begin repeat", "con", "Con", "${so_con}"],
                ["text", "ten_con", "Tên con", ""],
                ["end repeat", "", "", ""],
            ],
            settings_rows=[["form_title"], ["Con trong hộ"]],
        ),
    )
    shot = Screenshots(browser, "xlsform-repeat")
    log_in(browser, live_server.url, "nguoidan.an", "pw-nguoidan", "/engage/surveys/")

    _open(browser, live_server.url, members)
    _type(browser, "thanh_vien[0].ten", "An")
    _type(browser, "thanh_vien[0].tuoi", "40")
    submit_and_wait(
        browser, browser.find_element(By.CSS_SELECTOR, "button[value='add:thanh_vien']")
    )
    wait_for(browser, "return document.getElementById('survey-form').dataset.ready === '1';")
    assert browser.find_element(By.NAME, "thanh_vien[0].ten").get_attribute("value") == "An"
    _type(browser, "thanh_vien[1].ten", "Bình")
    _type(browser, "thanh_vien[1].tuoi", "12")
    wait_for(
        browser,
        "return document.querySelector('[data-label-for=ket_qua]').textContent"
        ".indexOf('52') !== -1;",
    )
    shot("two-members")
    _submit(browser)
    assert SurveyResponse.objects.get(survey=members).answers == {
        "thanh_vien": [{"ten": "An", "tuoi": 40}, {"ten": "Bình", "tuoi": 12}],
        "tong": 52,
    }

    _open(browser, live_server.url, children)
    _type(browser, "so_con", "2")
    browser.find_element(By.NAME, "so_con").send_keys("\t")
    wait_for(browser, "return document.getElementsByName('con[1].ten_con').length === 1;")
    wait_for(browser, "return document.getElementById('survey-form').dataset.ready === '1';")
    _type(browser, "con[0].ten_con", "Mai")
    _type(browser, "con[1].ten_con", "Lan")
    shot("counted-repeat")
    _submit(browser)
    assert SurveyResponse.objects.get(survey=children).answers == {
        "so_con": 2,
        "con": [{"ten_con": "Mai"}, {"ten_con": "Lan"}],
    }
    assert _csp_errors(browser) == []
