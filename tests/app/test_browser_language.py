"""The whole page in the reader's language: Chromium with a zh-TW locale gets every tab in
Traditional Chinese, and a switch to English is remembered across a reload."""

from __future__ import annotations

import re

import pytest
from app_server import app_settings, start
from test_browser import pick_customer

pytestmark = [pytest.mark.slow, pytest.mark.browser]

#: Names, not words: acronyms, formats, a metric, the data set, and English named in English
#: on the language switch.
NAMES = {"API", "CRM", "CSV", "JSON", "LLM", "ROC-AUC", "PSI", "Brier", "Telco", "UTC", "English"}
#: The columns a suppression list has, named as the file names them.
NAMES |= {"customer_id", "channel"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    settings = app_settings(tmp_path_factory.mktemp("language-app"))
    demo, url = start(settings)
    yield settings, url
    demo.close()


def _english_words(text: str) -> list[str]:
    text = re.sub(r"\b\d{4}-[A-Z]{5}\b", " ", text)  # customer IDs
    text = re.sub(r"\bcrm-agents(?: [a-z-]+)?", " ", text)  # a command is code, not words
    text = re.sub(r"\b(?:US|NT)\$", "$", text)  # the dollar's name, as zh-TW writes money
    words = set(re.findall(r"[A-Za-z][A-Za-z_-]+", text))
    return sorted(words - NAMES)


def test_a_chinese_browser_gets_every_tab_in_traditional_chinese(browser, app):
    from playwright.sync_api import expect

    from crm_agents.composition import build_service

    settings, url = app
    service = build_service(settings)
    customer = service.scores().query("risk_level == 'high'").customerID.iloc[0]
    page = browser.new_page(locale="zh-TW", viewport={"width": 1400, "height": 2000})
    page.goto(url)
    expect(page.get_by_role("tab", name="分析")).to_be_visible(timeout=30_000)
    pick_customer(page, customer)
    expect(page.locator("#sms-count")).to_contain_text("/ 70", timeout=60_000)
    found = {}
    for tab in ("分析", "提問", "客群總覽", "行銷活動", "模型健康", "追蹤"):
        page.get_by_role("tab", name=tab).click()
        if tab == "提問":
            page.locator("#question textarea").fill("高風險客戶有幾位？")
            page.locator("#question textarea").press("Enter")
            expect(page.locator("#chatbot")).to_contain_text("位", timeout=30_000)
        page.wait_for_timeout(1500)  # the tab's charts and tables drawn
        found[tab] = _english_words(page.locator("body").inner_text())
    assert found == {tab: [] for tab in found}
    page.close()


def test_a_switch_to_english_relabels_the_page_and_is_remembered(browser, app):
    from playwright.sync_api import expect

    _, url = app
    page = browser.new_page(locale="zh-TW")
    page.goto(url)
    expect(page.get_by_role("tab", name="分析")).to_be_visible(timeout=30_000)
    page.locator("#language").get_by_text("English").click()
    expect(page.get_by_role("tab", name="Analyze")).to_be_visible()
    expect(page.get_by_role("button", name="Random customer")).to_be_visible()
    page.reload()
    expect(page.get_by_role("tab", name="Analyze")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("tab", name="分析")).to_have_count(0)
    page.close()


def test_a_chinese_browsers_first_paint_is_chinese_the_empty_state_card_included(browser, app):
    from playwright.sync_api import expect

    _, url = app
    page = browser.new_page(locale="zh-TW", viewport={"width": 1400, "height": 1600})
    page.goto(url)
    card = page.locator("#progress")
    expect(card).to_contain_text("尚未分析任何客戶", timeout=30_000)
    page.wait_for_timeout(3000)  # long enough for a late English session load to land
    expect(card).to_contain_text("尚未分析任何客戶")
    assert _english_words(card.inner_text()) == []
    page.get_by_role("tab", name="提問").click()
    hint = page.locator("#question textarea").get_attribute("placeholder") or ""
    assert re.search(r"[\u4e00-\u9fff]", hint), hint
    page.close()
