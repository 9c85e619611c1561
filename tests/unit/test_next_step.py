"""One next step per customer: the churn risk level gates, the 90-day timing decides only a
call this week, and a disagreement between them is said in words, in both languages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from agents.present.lifetime_words import action_word, next_step_line
from core.settings import Settings
from models.urgency import call_this_week, timing_clears, urgency_order
from tools.timing_schemas import NextStep


def _step(level: str, action: str, within: float | None = 0.31, disagrees=False) -> NextStep:
    return NextStep(
        risk_level=level,
        action=action,
        follows="risk_level_and_timing" if action == "call_this_week" else "risk_level",
        timing_disagrees=disagrees,
        within_90d=within,
        expected_loss_90d=None if within is None else within * 500,
        threshold=0.2,
    )


def test_a_call_this_week_needs_high_risk_and_a_90_day_chance_at_the_threshold():
    levels = np.array(["high", "high", "medium", "low"], dtype=object)
    within = np.array([0.25, 0.15, 0.6, 0.9])
    calls = call_this_week(levels, within, within, np.zeros(4, bool), 0.2)
    assert calls.tolist() == [True, False, False, False]


def test_a_thin_90_day_figure_decides_only_by_its_intervals_low_end():
    thin = np.array([True, True, False])
    soon = timing_clears(np.array([0.4, 0.4, 0.4]), np.array([0.1, 0.25, 0.1]), thin, 0.2)
    assert soon.tolist() == [False, True, True]


def test_urgency_orders_by_risk_level_then_lifetime_value_expected_to_leave():
    scores = pd.DataFrame(
        {
            "customerID": ["a", "b", "c", "d", "e"],
            "risk_level": ["medium", "high", "high", "low", "medium"],
            "churn_within_90d": [0.9, 0.1, 0.2, 0.99, 0.1],
            "clv": [1000.0, 1000.0, 400.0, 5000.0, 100.0],
            "churn_probability": [0.5, 0.8, 0.9, 0.1, 0.45],
        }
    )
    assert urgency_order(scores)["customerID"].tolist() == ["b", "c", "a", "e", "d"]


def test_unscored_customers_come_last_in_the_urgency_order():
    scores = pd.DataFrame(
        {
            "customerID": ["x", "y"],
            "risk_level": ["unscored", "low"],
            "churn_within_90d": [np.nan, 0.01],
            "clv": [np.nan, 10.0],
            "churn_probability": [np.nan, 0.05],
        }
    )
    assert urgency_order(scores)["customerID"].tolist() == ["y", "x"]


@pytest.mark.parametrize(
    ("level", "action", "en", "zh"),
    [
        ("high", "call_this_week", "Call this week: high risk, and 31.0%", "本週致電：高風險"),
        ("high", "offer_this_month", "Make an offer this month: high risk", "本月提供優惠：高風險"),
        ("medium", "next_campaign", "Include in the next campaign", "納入下一波活動"),
        ("low", "monitor", "Monitor: low risk", "持續觀察：低風險"),
    ],
)
def test_each_next_step_has_its_headline_in_both_languages(level, action, en, zh):
    step = _step(level, action)
    assert next_step_line(step, "en").startswith(en)
    assert next_step_line(step, "zh-TW").startswith(zh)
    assert action_word(step, "en") and action_word(step, "zh-TW") != action_word(step, "en")


def test_when_timing_says_soon_but_risk_is_not_high_the_line_says_it_follows_the_level():
    step = _step("medium", "next_campaign", within=0.45, disagrees=True)
    english = next_step_line(step, "en")
    assert "45.0%" in english and "follows the risk level" in english
    assert "medium risk" in english
    chinese = next_step_line(step, "zh-TW")
    assert "45.0%" in chinese and "建議依風險等級而定" in chinese and "中風險" in chinese


def test_a_high_risk_customer_without_a_time_to_churn_model_gets_an_offer_this_month():
    from tools.service.time_to_churn import next_step

    step = next_step("high", None, Settings())
    assert step.action == "offer_this_month" and step.within_90d is None
    assert next_step_line(step, "en") == "Make an offer this month: high risk."


def test_a_medium_risk_customer_leaving_soon_is_not_called_this_week(demo_service):
    from tools.service.time_to_churn import next_step

    scores = demo_service.scores()
    customer_id = str(scores.loc[scores["risk_level"] == "medium", "customerID"].iloc[0])
    lifetime = demo_service.time_to_churn(customer_id).model_copy(
        update={"leaving_soon": True, "churn_within_90d": 0.6}
    )
    step = next_step("medium", lifetime, demo_service.settings)
    assert step.action == "next_campaign" and step.timing_disagrees
    assert step.expected_loss_90d == pytest.approx(0.6 * lifetime.lifetime_value, abs=0.01)
