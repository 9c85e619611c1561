"""A figure written with a unit must be a fact of that kind, not any figure the tools produced."""

from __future__ import annotations

from agents.checks.claims import claim_problems_in, claims_in, facts_by_kind

FACTS = {
    "tenure": 2,
    "monthly_charges": 89.1,
    "horizon_months": 12,
    "probability": 0.853,
    "offer": {"title": "20% off for 6 months", "duration_months": 6},
    "contract": "One year",
}
KINDS = facts_by_kind(FACTS)


def test_a_tenure_must_be_the_customers_tenure_not_another_duration():
    problems = claim_problems_in("They have been using the service for 12 months.", KINDS)
    assert problems == ["'12 months' is not the customer's tenure in the tool results"]


def test_the_customers_own_tenure_is_accepted_in_both_languages():
    assert claim_problems_in("A customer for 2 months.", KINDS) == []
    assert claim_problems_in("已使用 2 個月，月費 $89.10。", KINDS) == []


def test_a_tenure_in_years_is_checked_against_the_tenure_in_months():
    assert claim_problems_in("A 2-year customer.", KINDS) != []
    assert claim_problems_in("A 2-year customer.", facts_by_kind({"tenure": 24})) == []


def test_a_duration_that_is_not_a_tenure_may_be_any_duration_of_the_facts():
    assert claim_problems_in("Lock in a 12-month contract for 6 months of savings.", KINDS) == []
    assert claim_problems_in("Lock in a 36-month contract.", KINDS) != []


def test_a_percentage_must_be_a_probability_or_rate_not_a_tenure():
    assert claim_problems_in("Churn risk 85.3%, offer 20% off.", KINDS) == []
    assert claim_problems_in("Churn risk 2%.", KINDS) == [
        "'2%' is not a percentage in the tool results"
    ]


def test_an_amount_must_be_money_in_the_facts():
    assert claim_problems_in("They pay $89.10 a month.", KINDS) == []
    assert claim_problems_in("They pay NT$12 a month.", KINDS) == [
        "'NT$12' is not an amount of money in the tool results"
    ]


def test_a_calendar_year_is_not_a_duration():
    assert claims_in("自 2026年12月 起生效") == []


def test_code_written_strings_among_the_facts_give_their_kinds():
    kinds = facts_by_kind({"evidence": "5 months as a customer", "note": "costs $30"})
    assert 5 in kinds["tenure months"] and 30 in kinds["money"]
