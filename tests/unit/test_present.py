"""Presenters: one wording of each object, shared by the app, the CLI report and the chat."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.console import Console

from agents.present import campaign_words, phrases, portfolio_words
from agents.trace import OFFLINE
from core import formats
from crm_agents.cli.report import print_report
from tools.schemas import Driver
from ui import views

#: Words that stay as they are in Chinese text: product and technology names.
# Names, and the letters of currency symbols as CLDR writes them in zh-TW (US$, NT$).
_NAMES = {"DSL", "ROC", "AUC", "PR", "Brier", "SMS", "Y", "US", "NT"}


def _english_words(text: str, allowed: set[str]) -> set[str]:
    text = re.sub(r"<[^>]+>", " ", text)  # markup of the badges, not words
    return {w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in allowed | _NAMES}


@pytest.fixture(scope="module")
def high_risk_in_chinese(demo):
    scores = demo.service.scores()
    customer = scores[scores["risk_level"] == "high"]["customerID"].iloc[0]
    return demo.analyzer.run(customer, language="zh-TW")


@pytest.fixture(scope="module")
def low_risk_in_chinese(demo):
    scores = demo.service.scores()
    customer = scores[scores["risk_level"] == "low"]["customerID"].iloc[0]
    return demo.analyzer.run(customer, language="zh-TW")


def _allowed(result) -> set[str]:
    return set(re.findall(r"[A-Za-z]+", result.customer_id)) | set(
        re.findall(r"[A-Za-z]+", result.risk.model)
    )


def test_every_result_panel_of_a_chinese_analysis_is_in_chinese(demo, high_risk_in_chinese):
    result, lang = high_risk_in_chinese, "zh-TW"
    panels = [
        views.profile_table(demo.service.profile(result.customer_id), lang),
        views.badges(result.risk, lang),
        views.analyst_summary(result.risk, lang),
        views.analyst_detail(result.risk, lang),
        views.reasons_summary(result.reasons, lang),
        views.reasons_detail(result.reasons, lang),
        views.campaign_summary(result.campaign, result.risk.risk_level, lang),
        views.campaign_detail(result.campaign, demo.playbook, lang),
        views.email_text(result.communications, lang),
        views.sms_count(result.communications, lang),
        views.call_script_text(result.communications, lang),
    ]
    found = {p[:40]: _english_words(p, _allowed(result)) for p in panels}
    assert {k: v for k, v in found.items() if v} == {}


def test_the_cli_report_of_a_chinese_analysis_is_in_chinese(demo, high_risk_in_chinese):
    console = Console(record=True, width=160)
    print_report(high_risk_in_chinese, console, demo.playbook)
    text = console.export_text()
    assert "電話腳本" in text and "1. 開場：" in text
    assert _english_words(text, _allowed(high_risk_in_chinese)) == set()


def test_a_skipped_campaign_says_why_in_the_users_language(low_risk_in_chinese):
    summary = views.campaign_summary(None, low_risk_in_chinese.risk.risk_level, "zh-TW")
    assert "低風險：持續觀察，不需行動" in summary
    assert "low risk" in views.campaign_summary(None, "low", "en")
    assert "no playbook offer" in views.campaign_summary(None, "high", "en")


def test_the_call_script_is_numbered_with_the_objections_under_the_offer(high_risk_in_chinese):
    script = high_risk_in_chinese.communications.call_script
    lines = campaign_words.call_script_lines(script, "en")
    assert lines[0] == f"1. Greeting: {script.greeting}"
    assert lines[2] == f"3. Offer: {script.offer}"
    assert lines[4:7] == [f"   • “{o.objection}” → {o.answer}" for o in script.objections]
    assert lines[-1] == f"4. Close: {script.close}"


def test_offer_table_rows_carry_titles_in_the_language_and_formatted_figures(
    demo, high_risk_in_chinese
):
    plan = high_risk_in_chinese.campaign
    table = campaign_words.offer_table([plan.offer], demo.playbook, "zh-TW")
    assert table.headers == ("方案", "成本", "方案後流失機率", "挽回的終身價值", "期望價值")
    title = demo.playbook.get(plan.offer.offer_id).title_in("zh-TW")
    assert table.rows[0] == (
        title,
        formats.currency(plan.offer.total_cost, "zh-TW"),
        f"{plan.offer.probability_after:.1%}",
        formats.currency(plan.offer.lifetime_value_saved, "zh-TW"),
        formats.currency(plan.offer.expected_value, "zh-TW"),
    )


def test_an_offer_priced_on_revenue_has_no_lifetime_column(demo, high_risk_in_chinese):
    option = high_risk_in_chinese.campaign.offer.model_copy(
        update={"lifetime_value_saved": None, "lifetime_value_after": None}
    )
    table = campaign_words.offer_table([option], demo.playbook, "zh-TW")
    assert table.headers == ("方案", "成本", "方案後流失機率", "期望價值")


def test_ineligible_offers_are_worded_without_python_syntax(demo, high_risk_in_chinese):
    reasons = high_risk_in_chinese.campaign.ineligible.values()
    assert reasons
    assert not any(re.search(r"[\[\]{}']|None", why) for why in reasons)


def test_category_values_are_words_and_numbers_stay_numbers():
    assert phrases.value_in_words("SeniorCitizen", 1, "en") == "yes"
    assert phrases.value_in_words("tenure", 1, "en") == "1"
    assert phrases.value_in_words("Contract", "Two year", "zh-TW") == "兩年約"
    assert phrases.value_in_words("customer", "Yes", "en") == "Yes"


def test_a_simulated_driver_is_marked_in_its_label():
    driver = Driver(feature="complain_count", value=2, contribution=0.3, label="x", simulated=True)
    assert phrases.driver_label(driver, "en") == "complaints in the last 90 days = 2 (simulated)"
    assert phrases.driver_label(driver, "zh-TW") == "近 90 天客訴次數 = 2（模擬資料）"


def test_the_offline_writer_is_named_in_the_users_language():
    assert phrases.writer_name(OFFLINE, "zh-TW") == "離線撰寫器"
    assert phrases.writer_name("gemma @ 127.0.0.1", "zh-TW") == "gemma @ 127.0.0.1"


def test_markdown_tables_escape_their_cells_with_the_given_escaper():
    table = phrases.Table(("a", "b"), (("x|y", "1"),))
    assert table.markdown(cell=lambda s: s.replace("|", "\\|")).splitlines()[2] == "| x\\|y | 1 |"


def test_portfolio_tables_get_headers_and_levels_in_words(demo):
    from tools.portfolio.overview import at_risk_table

    shown = portfolio_words.at_risk_frame(at_risk_table(demo.service, 5), "zh-TW")
    assert list(shown.columns)[:3] == ["客戶", "流失機率 %", "風險"]
    assert set(shown["風險"]) <= {"高", "中", "低"}


def test_a_chinese_analysis_words_its_offer_refusals_in_chinese(high_risk_in_chinese):
    reasons = high_risk_in_chinese.campaign.ineligible.values()
    assert reasons and all(re.search(r"[\u4e00-\u9fff]", why) for why in reasons)


def test_a_step_note_is_worded_in_the_readers_language_and_an_error_stays_as_it_is():
    from agents.present.phrases import trace_note
    from agents.trace import TraceStep, step_note

    skipped = TraceStep(node="campaign", status="skipped", **step_note("trace.low_risk"))
    assert skipped.note == "low risk: monitor, no action"
    assert trace_note(skipped, "zh-TW") == "低風險：持續觀察，不需行動"
    failed = TraceStep(node="analyst", status="ran", note="HTTP 500 from the endpoint")
    assert trace_note(failed, "zh-TW") == "HTTP 500 from the endpoint"


@pytest.mark.parametrize(
    ("amount", "lang", "shown"),
    [
        (1234.5, "en", "$1,234.50"),
        (-0.96, "en", "-$0.96"),
        (1234.5, "zh-TW", "US$1,234.50"),
        (-0.96, "zh-TW", "-US$0.96"),
        (1234.5, "en", "$1,234.50"),
    ],
)
def test_money_standing_alone_carries_currency_thousands_and_sign(amount, lang, shown):
    assert formats.currency(amount, lang) == shown


@pytest.mark.parametrize(
    ("code", "lang", "shown"),
    [
        ("TWD", "zh-TW", "NT$1,234.50"),
        ("TWD", "en", "NT$1,234.50"),
        ("EUR", "en", "€1,234.50"),
        ("USD", "zh-TW", "US$1,234.50"),
    ],
)
def test_money_names_its_dollar_in_every_language(code, lang, shown, monkeypatch):
    monkeypatch.setitem(formats._CURRENCY, "code", code)
    assert formats.currency(1234.5, lang) == shown


def test_no_amount_in_chinese_is_written_with_yuan():
    # 元 reads as New Taiwan dollars in Taiwan: US dollars never carry it.
    from core.i18n import read_locale

    text = (Path(formats.__file__).parent / "locales" / "zh-TW.toml").read_text(encoding="utf-8")
    # Words that hold 元 without meaning money: token, byte, character.
    not_money = re.compile("詞元|位元組|字元")
    assert not [k for k, v in read_locale(text).items() if "元" in not_money.sub("", v)]


def test_whole_amounts_drop_their_cents_when_asked():
    assert formats.currency(1234.4, "en", 0) == "$1,234"
    assert formats.currency(float("nan"), "en") == "—"


@pytest.mark.parametrize(
    ("expected", "lang", "shown"), [(304.1, "en", "about 304"), (1234.6, "zh-TW", "約 1,235 位")]
)
def test_expected_leavers_are_whole_people(expected, lang, shown):
    assert formats.people(expected, lang) == shown


def test_an_unknown_currency_setting_is_refused(monkeypatch):
    from core.settings import Settings, SettingsError

    monkeypatch.setenv("CRM_CURRENCY", "DOLLARS")
    with pytest.raises(SettingsError, match="CRM_CURRENCY: 'DOLLARS' is not an ISO 4217"):
        Settings()
    monkeypatch.setenv("CRM_CURRENCY", "twd")
    assert Settings().currency == "TWD"


@pytest.mark.parametrize(
    ("months", "lang", "shown"),
    [
        (1, "en", "1 month"),
        (11, "en", "11 months"),
        (12, "en", "12 months (1 year)"),
        (27, "en", "27 months (2 years 3 months)"),
        (27, "zh-TW", "27 個月（2 年 3 個月）"),
    ],
)
def test_tenure_reads_in_months_and_years(months, lang, shown):
    assert formats.duration_months(months, lang) == shown


def test_dates_are_written_the_way_each_language_writes_them():
    moment = "2026-11-26T01:22:49.738+00:00"
    assert formats.date_time(moment, "en") == "Nov 26, 2026, 01:22:49 UTC"
    assert formats.date_time(moment, "zh-TW") == "2026 年 11 月 26 日 01:22:49 UTC"


def test_profile_fields_read_as_money_percent_duration_and_words():
    assert phrases.field_value("MonthlyCharges", 102.24, "en") == "$102.24"
    assert phrases.field_value("usage_drop_rate", 0.2926, "en") == "29.3%"
    assert phrases.field_value("tenure", 30, "zh-TW") == "30 個月（2 年 6 個月）"
    assert phrases.field_value("SeniorCitizen", 1, "zh-TW") == "是"
    assert phrases.field_value("Partner", "No", "en") == "no"


def test_a_lifetime_value_saved_above_todays_is_explained_in_both_languages(
    high_risk_in_chinese,
):
    from agents.present.campaign_words import offer_summary

    plan = high_risk_in_chinese.campaign
    assert plan is not None and plan.offer.lifetime_value_saved is not None
    saved = plan.offer.lifetime_value_saved
    above = plan.model_copy(update={"value_at_risk": saved - 1.0})
    below = plan.model_copy(update={"value_at_risk": saved + 1.0})
    assert "compares two futures" in offer_summary(above, "en")
    assert "兩種未來" in offer_summary(above, "zh-TW")
    assert "two futures" not in offer_summary(below, "en")
