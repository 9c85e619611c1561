"""One campaign end to end in a real browser, in English and in Traditional Chinese, on the
demo data: batch → a campaign made in the Campaigns tab → sent for approval → accept one,
an edit refused, an edit accepted, ignore one → accept the rest → export with exclusions →
simulated outcomes → results with intervals and the uplift verdict. Pictures go where the
other screenshots go (`make screenshots`: docs/screenshots/)."""

from __future__ import annotations

import re

import pytest
from app_server import app_settings, start
from test_screenshots import _folder

from crm_agents.batch.run import run_batch
from crm_agents.composition import assemble
from crm_agents.store.database import store_url

pytestmark = [pytest.mark.slow, pytest.mark.browser]

WORDS = {
    "en": {
        "tab": "Campaigns",
        "new": "New campaign",
        "made": "made as a draft",
        "submitted": "sent for approval",
        "accepted": "accepted by",
        "refused": "refused",
        "edited": "accepted with edits by",
        "ignored": "ignored by",
        "exported": "customers →",
        "not_approved": "not approved",
        "results": "Newcombe",
        "persuadable": "ersuadable segment",
        "subject": "Thank you for staying with us",
    },
    "zh-TW": {
        "tab": "行銷活動",
        "new": "新活動",
        "made": "草稿",
        "submitted": "已送交審核",
        "accepted": "核准",
        "refused": "未通過檢查",
        "edited": "修改後核准",
        "ignored": "略過",
        "exported": "位客戶 →",
        "not_approved": "未核准",
        "results": "Newcombe",
        "persuadable": "可說服",
        "subject": "感謝您一直以來的支持",
    },
}


@pytest.fixture(scope="module", params=["en", "zh-TW"])
def app(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(f"campaigns-{request.param}")
    settings = app_settings(root).model_copy(
        update={"results_db": root / "crm.db", "campaign_holdout": 0.5, "language": request.param}
    )
    assembly = assemble(settings)
    run_batch(assembly.analyzer, store_url(settings), min_risk="medium", workers=2)
    demo, url = start(settings)
    yield request.param, url
    demo.close()


def test_a_campaign_goes_end_to_end_in_the_browser(browser, app):
    from playwright.sync_api import expect

    lang, url = app
    words = WORDS[lang]
    folder = _folder() / lang
    folder.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(locale=lang, viewport={"width": 1400, "height": 1000})

    def shot(name: str) -> None:
        page.wait_for_timeout(800)
        page.screenshot(path=str(folder / f"{name}.jpg"), full_page=True, quality=80, type="jpeg")

    def open_first_item() -> None:
        """Open the first waiting customer and wait until their messages are in the boxes
        (typing before that would be overwritten by the answer)."""
        cell = page.locator('#approval-items [role="gridcell"][data-row="0"][data-col="0"]')
        customer = cell.inner_text().strip()
        cell.click()
        page.wait_for_timeout(500)  # the request is on its way
        analysis = page.locator("#item-analysis")
        expect(analysis).to_contain_text(customer, timeout=30_000)
        expect(analysis).not_to_contain_text("processing", timeout=30_000)
        expect(page.locator("#edit-sms")).not_to_contain_text("processing", timeout=30_000)

    def outcome() -> str:
        return page.locator("#review-outcome").inner_text(timeout=30_000)

    page.goto(url)
    # The session's data (the header, the campaigns in the picker) loads after the page; the
    # Create button is usable only once it has (a campaign made before would be dropped from the
    # picker when the list arrives: "Value: 1 is not in the list of choices: []").
    expect(page.locator("#header")).to_contain_text("ROC-AUC", timeout=30_000)
    page.get_by_role("tab", name=words["tab"]).click()
    page.get_by_role("button", name=words["new"]).click()
    expect(page.locator("#campaign-create")).to_be_enabled()
    page.get_by_label("Name" if lang == "en" else "名稱").fill("Winter save")
    page.locator("#campaign-create").click()
    expect(page.locator("#campaign-message")).to_contain_text(words["made"], timeout=30_000)
    # The picker takes the new campaign a moment after the message shows (a user never clicks
    # that fast); submitting before then would send no campaign.
    picker = page.locator("#campaign-picker input")
    expect(picker).to_have_value(re.compile("Winter save"), timeout=30_000)
    page.locator("#campaign-submit").click()
    expect(page.locator("#campaign-message")).to_contain_text(words["submitted"], timeout=30_000)
    first_item = page.locator('#approval-items [role="gridcell"][data-row="0"][data-col="0"]')
    expect(first_item).to_be_visible(timeout=30_000)

    open_first_item()
    shot("campaigns-approval")
    page.locator("#review-accept").click()
    expect(page.locator("#review-outcome")).to_contain_text(words["accepted"], timeout=30_000)

    open_first_item()
    page.locator("#edit-sms textarea").fill("Only $1 a month, forever!")
    page.locator("#review-edit").click()
    expect(page.locator("#review-outcome")).to_contain_text(words["refused"], timeout=30_000)
    assert "$1" in outcome()
    shot("campaigns-edit-refused")
    open_first_item()  # the same customer, still waiting, with the words as they were
    page.locator("#edit-subject input, #edit-subject textarea").first.fill(words["subject"])
    page.locator("#review-edit").click()
    expect(page.locator("#review-outcome")).to_contain_text(words["edited"], timeout=30_000)

    open_first_item()
    page.locator("#review-ignore").click()
    expect(page.locator("#review-outcome")).to_contain_text(words["ignored"], timeout=30_000)

    page.locator("#accept-all").click()
    expect(page.locator("#campaign-message")).to_contain_text(words["accepted"], timeout=120_000)
    page.locator("#campaign-export").click()
    expect(page.locator("#export-summary")).to_contain_text(words["exported"], timeout=60_000)
    expect(page.locator("#exclusions")).to_contain_text(words["not_approved"])
    shot("campaigns-export")

    page.locator("#simulate-outcomes").click()
    expect(page.locator("#campaign-results")).to_contain_text(words["results"], timeout=60_000)
    expect(page.locator("#results-by-offer")).to_be_visible()
    expect(page.locator("#uplift-verdict")).to_contain_text(words["persuadable"], timeout=60_000)
    shot("campaigns-results")
    page.close()
    for name in ("campaigns-approval", "campaigns-edit-refused", "campaigns-export"):
        assert (folder / f"{name}.jpg").stat().st_size > 20_000, name
