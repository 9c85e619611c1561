"""Pictures of every tab in English and Traditional Chinese, on the demo data, taken by the
real browser: the empty state, a high-risk analysis (currency, percentages), a low-risk
customer's no-action card, the chat, the Portfolio with its legend and the Trace diagram.

`make screenshots` writes them to docs/screenshots/ for the README (SCREENSHOTS_DIR);
otherwise they go to test-output/screenshots/ and the test checks each one was drawn.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from app_server import app_settings, start
from test_browser import pick_customer

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
#: What each language's page says where the test waits for it.
WORDS = {
    "en": {
        "tabs": ("Analyze", "Ask", "Portfolio", "Trace"),
        "question": "List the top 5 high-risk customers",
    },
    "zh-TW": {"tabs": ("分析", "提問", "客群總覽", "追蹤"), "question": "列出前 5 名高風險客戶"},
}
SHOTS = ("analyze-empty", "analyze-high-risk", "analyze-low-risk", "ask", "portfolio", "trace")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    settings = app_settings(tmp_path_factory.mktemp("screenshots-app"))
    demo, url = start(settings)
    yield settings, url
    demo.close()


def _folder() -> Path:
    chosen = os.environ.get("SCREENSHOTS_DIR")
    return Path(chosen) if chosen else ROOT / "test-output" / "screenshots"


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_every_tab_is_pictured_in_each_language(browser, app, lang):
    from playwright.sync_api import expect

    from crm_agents.composition import build_service

    settings, url = app
    from tools.portfolio.overview import typical_customers

    typical = typical_customers(build_service(settings))  # the empty state's examples
    high, low = typical["high"], typical["low"]
    analyze, ask, portfolio, trace = WORDS[lang]["tabs"]
    folder = _folder() / lang
    folder.mkdir(parents=True, exist_ok=True)

    page = browser.new_page(locale=lang, viewport={"width": 1280, "height": 900})

    def shot(name: str, *, full_page: bool = True) -> None:
        page.wait_for_timeout(1200)  # charts drawn, spinners gone
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(
            path=str(folder / f"{name}.jpg"), full_page=full_page, quality=80, type="jpeg"
        )

    page.goto(url)
    expect(page.get_by_role("tab", name=analyze)).to_be_visible(timeout=30_000)
    expect(page.locator("#progress")).to_contain_text(high, timeout=30_000)  # the empty state
    shot("analyze-empty", full_page=False)

    pick_customer(page, high)
    expect(page.locator("#sms-count")).to_contain_text(
        "/ 70" if lang == "zh-TW" else "/ 160", timeout=60_000
    )
    shot("analyze-high-risk")

    pick_customer(page, low)
    expect(page.locator("#no-action")).to_be_visible(timeout=60_000)
    shot("analyze-low-risk")

    page.get_by_role("tab", name=trace).click()
    expect(page.locator("#trace-diagram svg.analysis-graph")).to_be_visible(timeout=30_000)
    shot("trace")

    page.get_by_role("tab", name=portfolio).click()
    expect(page.locator("#matrix-legend")).to_be_visible(timeout=30_000)
    shot("portfolio")

    page.get_by_role("tab", name=ask).click()
    question = page.locator("#question textarea")
    question.fill(WORDS[lang]["question"])
    question.press("Enter")
    expect(page.locator("#chatbot .message-row").nth(1)).to_be_visible(timeout=30_000)
    shot("ask", full_page=False)
    page.close()

    for name in SHOTS:
        assert (folder / f"{name}.jpg").stat().st_size > 20_000, name
