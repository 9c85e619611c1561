"""The Gradio app end to end over HTTP with `gradio_client`: analyses, chat, portfolio, and a
conversation that survives a restart."""

from __future__ import annotations

import pandas as pd
import pytest
from app_server import app_settings, start
from gradio_client import Client
from pydantic import SecretStr
from shown_text import shown_texts

from core.i18n import t
from ui.tabs.analyze import OUTPUTS

pytestmark = pytest.mark.slow

#: Where each named panel is in the `/analyze` endpoint's outputs.
OUT = {name: position for position, name in enumerate(OUTPUTS)}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    settings = app_settings(tmp_path_factory.mktemp("app"))
    demo, url = start(settings)
    yield settings, url, demo
    demo.close()


@pytest.fixture(scope="module")
def client(app):
    return Client(app[1], verbose=False)


def _random(client, level: str) -> str:
    return client.predict(level, api_name="/random_customer")


def test_analyze_high_risk_customer_shows_every_section(client):
    out = client.predict(_random(client, "high"), "en", api_name="/analyze")
    assert "✅ communication" in out[OUT["status"]]
    assert out[OUT["email"]].startswith("Subject: ")
    assert out[OUT["sms"]] and "/ 160" in out[OUT["sms_count"]]
    assert "Likely objections" in out[OUT["script"]]
    assert out[OUT["download"]]["value"].endswith(".json")


def test_every_message_box_can_be_downloaded_as_the_text_it_shows(client):
    from pathlib import Path

    out = client.predict(_random(client, "high"), "en", api_name="/analyze")
    for box in ("email", "sms", "script"):
        saved = out[OUT[f"{box}_file"]]["value"]
        assert saved.endswith(".txt")
        assert Path(saved).read_text(encoding="utf-8") == out[OUT[box]]


def test_the_analysis_says_what_an_offer_can_change_and_how_similar_customers_fare(client):
    out = client.predict(_random(client, "high"), "en", api_name="/analyze")
    badges = out[OUT["badges"]]
    assert "Top driver an offer can change: " in badges
    assert "Similar customers (" in badges and "have left." in badges


def test_the_offer_shows_cost_effect_and_expected_value_at_once(client):
    summary = client.predict(_random(client, "high"), "en", api_name="/analyze")[
        OUT["campaign_summary"]
    ]
    assert all(part in summary for part in ("costs $", " → ", "points lower", "expected value"))


def test_analyze_low_risk_customer_says_campaign_skipped(client):
    out = client.predict(_random(client, "low"), "en", api_name="/analyze")
    assert "Campaign skipped" in out[OUT["campaign_summary"]]
    assert out[OUT["email"]] == "" and out[OUT["sms"]] == ""
    assert "⏭️ campaign (skipped)" in out[OUT["status"]]


def test_a_low_risk_customer_gets_a_no_action_card_saying_when_to_look_again(client):
    customer = _random(client, "low")
    card = client.predict(customer, "en", api_name="/analyze")[OUT["no_action"]]
    assert card["visible"]
    assert all(words in card["value"] for words in ("No action: monitor", customer, "nightly"))


def test_a_customer_with_messages_gets_no_no_action_card(client):
    out = client.predict(_random(client, "high"), "en", api_name="/analyze")
    assert out[OUT["no_action"]]["visible"] is False


def test_before_any_analysis_the_tab_says_what_to_do_with_ids_of_the_data(client, app):
    from crm_agents.composition import build_service

    _, empty, *_ = client.predict(api_name="/session_start")
    assert "No customer analysed yet" in empty
    from tools.portfolio.overview import typical_customers

    service = build_service(app[0])
    for level, customer in typical_customers(service).items():
        assert f"{level}: `{customer}`" in empty


def test_analyze_in_chinese_keeps_the_sms_within_70(client):
    out = client.predict(_random(client, "high"), "zh-TW", api_name="/analyze")
    assert "/ 70" in out[OUT["sms_count"]]


def test_trace_lists_every_node(client):
    out = client.predict(_random(client, "low"), "en", api_name="/analyze")
    trace = pd.DataFrame(
        out[OUT["trace_table"]]["data"], columns=out[OUT["trace_table"]]["headers"]
    )
    assert trace["node"].tolist() == [
        "analyst",
        "reasoning",
        "campaign",
        "communication",
        "approval",
    ]
    assert trace["status"].tolist() == ["ran", "ran", "skipped", "skipped", "skipped"]


def test_unknown_customer_is_one_clear_message_and_clears_the_panels(client):
    before = client.predict(_random(client, "high"), "en", api_name="/analyze")
    assert before[OUT["email"]]
    out = client.predict("bad-id", "en", api_name="/analyze")
    assert "No customer with ID bad" in out[OUT["status"]]
    assert "IDs in this data look like" in out[OUT["status"]]
    assert out[OUT["email"]] in ("", None) and out[OUT["sms"]] in ("", None)
    assert out[OUT["profile"]] in ("", None)


def test_a_malicious_id_is_shown_as_text(client):
    out = client.predict("<img src=x onerror=alert(1)>", "en", api_name="/analyze")
    assert "<img" not in out[OUT["status"]]
    assert "&lt;img" in out[OUT["status"]]


def _last_answer(history) -> str:
    content = history[-1]["content"]
    return content if isinstance(content, str) else " ".join(b["text"] for b in content)


def test_chat_in_english_answers_with_tool_messages(client):
    customer = _random(client, "high")
    history, cleared, thread = client.predict(
        f"Why will {customer} churn?", "", "en", api_name="/ask"
    )
    assert cleared == "" and thread
    analysis = f"🔧 {t('tool.analyze_customer', 'en')}"
    assert any((m.get("metadata") or {}).get("title") == analysis for m in history)
    assert "Main reasons" in _last_answer(history)


def test_chat_in_chinese(client):
    customer = _random(client, "high")
    history, _, _ = client.predict(f"{customer} 的流失風險多高？", "", "en", api_name="/ask")
    assert "流失機率" in _last_answer(history)


def test_portfolio_exports_the_filtered_table(client):
    table, csv, matching = client.predict(
        "probability", "high", "any", 10, "en", api_name="/portfolio"
    )
    rows = pd.read_csv(csv)
    assert len(rows) <= 10 and set(rows["risk"]) <= {"high"}
    assert len(table["value"]["data"]) == len(rows)  # the list comes with its title
    assert f"the **{len(rows)}** most likely" in matching


def test_a_chat_thread_survives_an_app_restart(tmp_path):
    settings = app_settings(tmp_path)
    demo, url = start(settings)
    try:
        first = Client(url, verbose=False)
        _, _, thread = first.predict("How good is the model?", "", "en", api_name="/ask")
    finally:
        demo.close()
    settings = settings.model_copy(update={"port": app_settings(tmp_path).port})
    demo, url = start(settings)
    try:
        client = Client(url, verbose=False)
        _, history = client.predict(thread, "[]", api_name="/load_thread")
        questions = [m for m in history if m["role"] == "user"]
        assert questions and "How good is the model?" in str(questions[0]["content"])
    finally:
        demo.close()


def test_basic_auth_keeps_strangers_out(tmp_path):
    settings = app_settings(tmp_path).model_copy(update={"app_auth": SecretStr("manager:s3cret")})
    demo, url = start(settings)
    try:
        with pytest.raises(Exception):  # noqa: B017 - gradio_client raises its own error types
            Client(url, verbose=False).predict("high", api_name="/random_customer")
        client = Client(url, auth=("manager", "s3cret"), verbose=False)
        assert client.predict("high", api_name="/random_customer")
    finally:
        demo.close()


def test_app_without_a_trained_model_and_no_retraining_says_how_to_train(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "CRM_ARTIFACTS_DIR": str(tmp_path / "none"),
        "CRM_RAW_DIR": str(tmp_path),
        "CRM_AUTO_RETRAIN": "false",
    }
    result = subprocess.run(
        [sys.executable, str(root / "app.py"), "--port", "7999"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "crm-agents train" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
@pytest.mark.parametrize("level", ["high", "low"])
def test_no_python_syntax_reaches_a_panel(client, lang, level):
    import re

    out = client.predict(_random(client, level), lang, api_name="/analyze")
    shown = [
        text
        for name in OUTPUTS
        if name not in ("trace_json", "last_result", "trace_tools")  # raw data, on purpose
        for text in shown_texts(out[OUT[name]])
    ]
    python = re.compile(r"\['|\{'|'\]|\bNone\b|\bTrue\b|\bFalse\b|\bnan\b")
    leaks = [text[:120] for text in shown if python.search(text)]
    assert leaks == []


def test_the_analysis_says_when_the_customer_is_likely_to_leave_and_draws_the_curve(client):
    out = client.predict(_random(client, "high"), "en", api_name="/analyze")
    badges = out[OUT["badges"]]
    assert "Likely to leave within" in badges or "Likely to stay at least" in badges
    assert "Chance of leaving within 30 days" in badges and "Lifetime value $" in badges
    assert "Value tier by monthly charges" in badges
    assert out[OUT["survival"]] is not None
    assert "lifetime value saved" in out[OUT["campaign_summary"]]


def test_the_analysis_says_when_in_chinese(client):
    badges = client.predict(_random(client, "high"), "zh-TW", api_name="/analyze")[OUT["badges"]]
    assert "流失機率：30 天內" in badges and "顧客終身價值" in badges


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "Why these differ from the churn probability"),
        ("zh-TW", "為何與流失機率不同"),
    ],
)
def test_the_analysis_says_why_its_two_churn_figures_differ_and_which_to_act_on(
    client, lang, words
):
    badges = client.predict(_random(client, "high"), lang, api_name="/analyze")[OUT["badges"]]
    line = badges[badges.index("id='two-figures'") :].split("</div>")[0]
    assert words in line
    assert line.endswith(("orders customers within it.", "排定同一等級內的先後。"))


@pytest.mark.parametrize(
    ("lang", "steps"),
    [
        ("en", ("Call this week: high risk", "Make an offer this month: high risk")),
        ("zh-TW", ("本週致電：高風險", "本月提供優惠：高風險")),
    ],
)
def test_the_analysis_leads_with_one_next_step(client, lang, steps):
    badges = client.predict(_random(client, "high"), lang, api_name="/analyze")[OUT["badges"]]
    headline = badges[badges.index("id='next-step'") :].split("</div>")[0]
    assert any(step in headline for step in steps)


@pytest.mark.parametrize(
    ("order", "lang", "title"),
    [
        ("urgency", "en", "Most urgent first"),
        ("probability", "en", "Most likely to churn"),
        ("urgency", "zh-TW", None),
    ],
)
def test_the_portfolio_list_title_follows_its_order(app, order, lang, title):
    from core.i18n import t

    demo = app[2]
    listing = next(f for f in demo.blocks.fns.values() if f.api_name == "portfolio").fn
    table, *_ = listing(order, "any", "any", 10, lang)
    expected = title or t("ui.portfolio.order_urgency", lang)
    assert table.label == expected


def test_the_portfolio_lists_the_most_urgent_first_for_this_weeks_calls(client):
    _, csv, matching = client.predict("urgency", "any", "any", 200, "en", api_name="/portfolio")
    rows = pd.read_csv(csv)
    ranks = rows["risk"].map({"high": 2, "medium": 1, "low": 0})
    assert ranks.is_monotonic_decreasing and len(rows) == 200
    loss = rows["CLV expected to leave within 90 days (USD)"]
    for _, within in loss.groupby(ranks, sort=False):
        assert within.is_monotonic_decreasing
    calls = rows["call this week"].astype(bool)
    assert (rows.loc[calls, "risk"] == "high").all()
    assert f"**{int(calls.sum()):,}** of them to call this week" in matching
    low, high = rows["90 days, interval low %"], rows["90 days, interval high %"]
    assert (low <= rows["chance of leaving within 90 days %"]).all()
    assert (rows["chance of leaving within 90 days %"] <= high).all()
    assert {
        "lifetime value (CLV) (USD)",
        "likely to leave within",
        "few comparable customers",
    } <= set(rows.columns)


def test_a_campaign_can_be_made_only_once_the_sessions_campaigns_are_in_the_picker(app):
    """Made before the session's list arrives, a campaign would be dropped from the picker by
    its arrival: the button starts disabled and the session start enables it."""
    blocks = app[2].blocks
    create = next(
        b for b in blocks.blocks.values() if getattr(b, "elem_id", None) == "campaign-create"
    )
    assert create.interactive is False
    start = next(f for f in blocks.fns.values() if f.api_name == "session_start")
    shown = dict(zip([o._id for o in start.outputs], start.fn("en"), strict=True))
    assert shown[create._id].interactive is True
