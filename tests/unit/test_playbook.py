"""The offer playbook and the offer desk: eligibility, costs, what-if and expected value."""

from __future__ import annotations

import tomllib

import pytest
from pydantic import ValidationError

from core.i18n import t
from tools.offers.desk import OfferDesk
from tools.offers.playbook import PLAYBOOK_PATH, Playbook, load_playbook
from tools.service.retention import RetentionService


def test_playbook_has_at_least_eight_offers_of_every_type():
    playbook = load_playbook()
    assert len(playbook.offers) >= 8
    assert {o.type for o in playbook.offers} == {
        "discount",
        "upgrade",
        "plan_change",
        "free_trial",
        "loyalty",
    }


def test_every_offer_has_english_and_chinese_words():
    for offer in load_playbook().offers:
        for language in ("en", "zh-TW"):
            assert offer.title_in(language) and offer.pitch_in(language)
            assert "{" not in offer.title_in(language) + offer.pitch_in(language)


def test_playbook_rejects_a_change_to_an_unknown_value():
    raw = tomllib.loads(PLAYBOOK_PATH.read_text(encoding="utf-8"))
    raw["offers"][0]["changes"] = {"Contract": "Ten year"}
    with pytest.raises(ValidationError, match="Ten year"):
        Playbook.model_validate(raw)


def test_playbook_rejects_an_offer_without_words_in_the_catalogue():
    # Its words in every language: the catalogue's own check refuses a key one language lacks.
    raw = tomllib.loads(PLAYBOOK_PATH.read_text(encoding="utf-8"))
    raw["offers"][0]["id"] = "brand_new_offer"
    with pytest.raises(ValidationError, match=r"missing words \(\[offer.brand_new_offer\] title"):
        Playbook.model_validate(raw)


def test_an_offers_words_come_from_the_catalogue_with_its_own_terms():
    offer = load_playbook().get("retention_discount")
    terms = {"duration_months": "6", "discount_percent": "10"}
    assert offer.title_in("en") == t("offer.retention_discount.title", "en", **terms)
    assert offer.title_in("en") == "10% off for 6 months"


def test_playbook_rejects_duplicate_ids():
    raw = tomllib.loads(PLAYBOOK_PATH.read_text(encoding="utf-8"))
    raw["offers"].append(raw["offers"][0])
    with pytest.raises(ValidationError, match="unique"):
        Playbook.model_validate(raw)


def test_discount_cost_and_price_follow_the_customer_bill():
    offer = load_playbook().get("retention_discount")
    assert offer.monthly_cost(90.0) == 9.0
    assert offer.total_cost(90.0) == 54.0
    assert offer.price_during_offer(90.0) == 81.0


def _high_risk_id(service):
    return service.scores().query("risk_level == 'high'").customerID.iloc[0]


@pytest.fixture(scope="module")
def revenue_priced(demo_service) -> RetentionService:
    """The demo service without its time-to-churn model: offers priced on revenue at risk."""
    s = demo_service
    return RetentionService(s.data, s.model, s.card, s.settings)


def test_expected_value_is_risk_reduction_times_value_at_risk_minus_cost(revenue_priced):
    demo_service = revenue_priced
    evaluation = OfferDesk(demo_service, load_playbook()).evaluate(_high_risk_id(demo_service))
    assert evaluation.options
    for option in evaluation.options:
        expected = option.risk_reduction * evaluation.value_at_risk - option.total_cost
        assert option.expected_value == pytest.approx(expected, abs=0.01)


def test_risk_reduction_is_the_drop_in_churn_probability_the_offer_brings(revenue_priced):
    demo_service = revenue_priced
    # Computed apart from the desk: the customer re-scored with the offer's own changes.
    customer = _high_risk_id(demo_service)
    playbook = load_playbook()
    evaluation = OfferDesk(demo_service, playbook).evaluate(customer)
    before = demo_service.predict(customer).probability
    row = demo_service.customers.loc[[customer]].copy()
    for option in evaluation.options:
        offer = playbook.get(option.offer_id)
        changed = row.copy()
        for feature, value in offer.changes.items():
            changed[feature] = value
        monthly = float(row["MonthlyCharges"].iloc[0])
        changed["MonthlyCharges"] = round(
            max(monthly * (1 - offer.discount_percent / 100) - offer.bill_credit, 0.0), 2
        )
        after = float(demo_service.model.predict_proba(changed)[0])
        assert option.probability_after == pytest.approx(after, abs=1e-9)
        assert option.risk_reduction == pytest.approx(before - after, abs=1e-9)
        value_at_risk = monthly * demo_service.settings.clv_horizon_months
        assert option.expected_value == pytest.approx(
            (before - after) * value_at_risk - option.total_cost, abs=0.01
        )


def test_an_offer_that_lowers_churn_risk_has_a_positive_risk_reduction(demo_service):
    evaluation = OfferDesk(demo_service, load_playbook()).evaluate(_high_risk_id(demo_service))
    contract = [o for o in evaluation.options if o.probability_after < evaluation.probability]
    assert contract, "a high-risk customer should have an offer that lowers the risk"
    assert all(o.risk_reduction > 0 for o in contract)


def test_offers_are_ranked_by_expected_value(demo_service):
    evaluation = OfferDesk(demo_service, load_playbook()).evaluate(_high_risk_id(demo_service))
    values = [o.expected_value for o in evaluation.options]
    assert values == sorted(values, reverse=True)


def test_offers_above_the_budget_cap_are_not_eligible(demo_service):
    settings = demo_service.settings.model_copy(update={"offer_budget_cap": 25.0})
    service = type(demo_service)(demo_service.data, demo_service.model, demo_service.card, settings)
    evaluation = OfferDesk(service, load_playbook()).evaluate(_high_risk_id(demo_service))
    assert all(o.total_cost <= 25.0 for o in evaluation.options)
    assert any("budget" in reason for reason in evaluation.ineligible.values())


def test_whole_base_precompute_gives_the_same_offers_as_one_customer(demo_service):
    customer = _high_risk_id(demo_service)
    single = OfferDesk(demo_service, load_playbook()).evaluate(customer)
    desk = OfferDesk(demo_service, load_playbook())
    desk.precompute()
    batched = desk.evaluate(customer)
    assert [o.offer_id for o in batched.options] == [o.offer_id for o in single.options]
    assert [o.probability_after for o in batched.options] == pytest.approx(
        [o.probability_after for o in single.options], abs=1e-12
    )


def test_what_if_rescoring_matches_the_offer_desk(demo_service):
    customer = _high_risk_id(demo_service)
    evaluation = OfferDesk(demo_service, load_playbook()).evaluate(customer)
    free_trials = [o for o in evaluation.options if o.type == "free_trial"]
    if not free_trials:
        pytest.skip("this synthetic customer has no free-trial offer")
    offer = load_playbook().get(free_trials[0].offer_id)
    result = demo_service.what_if(customer, dict(offer.changes))
    assert result.probability_after == pytest.approx(free_trials[0].probability_after)
