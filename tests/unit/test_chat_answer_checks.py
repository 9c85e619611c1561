"""A chat answer is checked as strictly as an analysis draft: the customers it names, the
figures and risk levels it gives each of them, durations in words, and reasons with no tool
behind them — each a misfire the earlier checks let through."""

from __future__ import annotations

import pytest

from agents.checks.answers import answer_problems, with_durations_in_digits


@pytest.fixture
def two(demo):
    """A high-risk and a low-risk customer, with predict_churn's results for each."""
    scores = demo.service.scores()
    high = scores[scores.risk_level == "high"].customerID.iloc[0]
    low = scores[scores.risk_level == "low"].customerID.iloc[0]
    results = {
        c: ("predict_churn", {"customer_id": c}, demo.service.predict(c).model_dump(mode="json"))
        for c in (high, low)
    }
    return high, low, results


def _percent(probability: float) -> str:
    return f"{probability * 100:.1f}%"


def test_the_right_answer_passes(two, demo):
    high, _, results = two
    p = demo.service.predict(high).probability
    answer = f"{high} is at high risk: {_percent(p)}."
    assert answer_problems(answer, f"risk of {high}?", [results[high]]) == []


def test_an_answer_quoting_another_customers_figure_is_refused(two, demo):
    high, low, results = two
    other = demo.service.predict(low).probability
    answer = f"{high} has a churn probability of {_percent(other)}."
    problems = answer_problems(answer, f"risk of {high}?", [results[high], results[low]])
    assert any("not" in p and high in p for p in problems)


def test_a_customer_no_tool_was_about_is_refused(two):
    high, low, results = two
    problems = answer_problems(f"{low} is fine.", f"risk of {high}?", [results[high]])
    assert any(low in p for p in problems)


def test_the_wrong_risk_level_for_a_customer_is_refused(two):
    high, _, results = two
    problems = answer_problems(f"{high} is low risk.", f"risk of {high}?", [results[high]])
    assert any("low risk" in p and "high" in p for p in problems)


def test_the_wrong_risk_level_in_chinese_is_refused(two):
    high, _, results = two
    problems = answer_problems(f"{high} 是低風險客戶。", f"{high} 的風險？", [results[high]])
    assert problems


def test_reasons_with_no_tool_result_behind_them_are_refused():
    problems = answer_problems("They will leave because of the price.", "why do they leave?", [])
    assert any("reasons" in p for p in problems)


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("a customer for two years", "a customer for 2 years"),
        ("stays three months", "stays 3 months"),
        ("在網兩年", "在網2 年"),
        ("還有三個月", "還有3 個月"),
    ],
)
def test_a_duration_in_words_is_read_as_its_figure(written, read):
    assert with_durations_in_digits(written) == read
