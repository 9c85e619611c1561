"""The typed tools answer with pydantic results, and with clear messages instead of tracebacks."""

from __future__ import annotations

import math

import pytest

from tools.offers.desk import OfferDesk
from tools.offers.playbook import load_playbook
from tools.registry import build_tools


@pytest.fixture(scope="module")
def tools(real_service):
    """The tools as a chat model gets them: stock LangChain tools, JSON results."""
    built = build_tools(real_service, OfferDesk(real_service, load_playbook()))
    return {tool.name: tool for tool in built.as_langchain()}


def test_lookup_customer_returns_all_fields_and_flags_simulated_signals(tools):
    profile = tools["lookup_customer"].invoke({"customer_id": "7590-VHVEG"})
    assert profile["customer_id"] == "7590-VHVEG"
    assert profile["fields"]["Contract"] == "Month-to-month"
    assert profile["fields"]["MonthlyCharges"] == 29.85
    assert "usage_drop_rate" in profile["simulated_signals"]


def test_customer_ids_are_accepted_in_any_case_and_spacing(tools):
    assert tools["lookup_customer"].invoke({"customer_id": " 7590-vhveg "})["customer_id"] == (
        "7590-VHVEG"
    )


def test_predict_churn_gives_probability_risk_level_and_signed_drivers(tools, real_service):
    result = tools["predict_churn"].invoke({"customer_id": "7590-VHVEG"})
    assert 0 < result["probability"] < 1
    assert result["risk_level"] in {"high", "medium", "low"}
    drivers = result["drivers"]
    assert len(drivers) == len(real_service.model.features)
    assert drivers[0]["contribution"] >= drivers[-1]["contribution"]
    total = result["base_logit"] + sum(d["contribution"] for d in drivers)
    assert 1 / (1 + math.exp(-total)) == pytest.approx(result["probability"], abs=1e-12)


def test_segment_value_uses_monthly_charges_tiers(tools):
    result = tools["segment_value"].invoke({"customer_id": "7590-VHVEG"})
    assert result["tier"] == "low"
    assert result["monthly_charges"] == 29.85
    assert result["clv_estimate"] == pytest.approx(29.85 * 12)


def test_malformed_id_says_what_ids_look_like(tools):
    message = tools["predict_churn"].invoke({"customer_id": "hello world!"})
    assert isinstance(message, str)
    assert "'hello world!' is not a customer ID" in message
    assert "1–64 letters, digits, '-', '_' or '.', e.g. 7590-VHVEG" in message
    assert "Traceback" not in message


def test_unknown_id_suggests_close_matches(tools):
    message = tools["lookup_customer"].invoke({"customer_id": "7590-VHVEX"})
    assert "No customer with ID 7590-VHVEX" in message
    assert "7590-VHVEG" in message


def test_list_at_risk_is_sorted_and_filtered(tools):
    result = tools["list_at_risk"].invoke({"limit": 5, "risk_level": "high", "value_tier": "high"})
    rows = result["customers"]
    assert len(rows) == 5
    assert all(r["risk_level"] == "high" and r["value_tier"] == "high" for r in rows)
    probabilities = [r["probability"] for r in rows]
    assert probabilities == sorted(probabilities, reverse=True)
    assert result["matching"] >= 5


def test_list_at_risk_rejects_bad_filters_with_the_allowed_values(tools):
    message = tools["list_at_risk"].invoke({"limit": 5, "risk_level": "extreme"})
    assert isinstance(message, str)
    assert "risk_level" in message and "'high', 'medium' or 'low'" in message


def test_list_at_risk_rejects_a_zero_limit(tools):
    message = tools["list_at_risk"].invoke({"limit": 0})
    assert "limit" in message and "greater than or equal to 1" in message


def test_per_customer_caches_stay_bounded(fresh_service):
    service = fresh_service(cache_size=50)
    for customer in service.customers.index[:120]:
        service.predict(customer)
    assert service.cached_customers() == 50


def test_recently_used_customers_stay_cached(fresh_service):
    service = fresh_service(cache_size=3)
    first, *others = service.customers.index[:5]
    kept = service.predict(first)
    for customer in others:
        service.predict(first)
        service.predict(customer)
    assert service.predict(first) is kept


@pytest.mark.parametrize(
    ("feature", "value", "words"),
    [
        ("MonthlyCharges", 1e308, "MonthlyCharges needs a number from 0 to 2000, got '1e+308'"),
        ("MonthlyCharges", math.inf, "MonthlyCharges needs a number from 0 to 2000"),
        ("MonthlyCharges", -5, "MonthlyCharges needs a number from 0 to 2000, got '-5'"),
        ("tenure", 2.5, "tenure needs a whole number from 0 to 600, got '2.5'"),
    ],
)
def test_a_what_if_outside_the_accepted_range_is_refused_with_the_range(
    demo_service, feature, value, words
):
    from tools.service.changes import InvalidChangeError

    customer = demo_service.scores()["customerID"].iloc[0]
    with pytest.raises(InvalidChangeError) as err:
        demo_service.what_if(customer, {feature: value})
    assert words in str(err.value)
    assert "需要" in err.value.words("zh-TW")
