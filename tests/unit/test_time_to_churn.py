"""The time-to-churn tool, lifetime value in the tools, and offers priced on CLV saved."""

from __future__ import annotations

import pytest

from core.i18n import t
from core.settings import Settings
from models.survival.scoring import timing
from tools.offers.desk import OfferDesk
from tools.offers.playbook import load_playbook
from tools.portfolio.overview import at_risk_list, at_risk_over_time
from tools.registry import build_tools
from tools.service.model_summary import survival_summary
from tools.service.retention import NoLifetimeModelError, RetentionService


@pytest.fixture(scope="module")
def service(demo_service) -> RetentionService:
    return demo_service


@pytest.fixture(scope="module")
def without_survival(demo_service) -> RetentionService:
    s = demo_service
    return RetentionService(s.data, s.model, s.card, s.settings)


def _customer(service: RetentionService, tenure_at_least: int = 1) -> str:
    customers = service.customers
    return str(customers.index[customers["tenure"] >= tenure_at_least][0])


def test_the_tool_answers_when_from_the_customers_own_tenure(service):
    customer_id = _customer(service, 6)
    answer = build_tools(service, OfferDesk(service, load_playbook())).predict_time_to_churn(
        customer_id=customer_id
    )
    row = service.customers.loc[[customer_id]]
    tenure = int(row["tenure"].iloc[0])
    conditional = timing(service.survival, row, service.settings, 24).ahead[0]
    assert answer.tenure_months == tenure
    assert answer.curve == pytest.approx(conditional.round(4).tolist(), abs=1e-4)
    assert answer.churn_within_365d == pytest.approx(1 - conditional[12], abs=2e-3)


def test_the_chances_of_leaving_grow_with_the_window(service):
    answer = service.time_to_churn(_customer(service))
    chances = [
        answer.churn_within_30d,
        answer.churn_within_90d,
        answer.churn_within_180d,
        answer.churn_within_365d,
    ]
    assert chances == sorted(chances)
    assert all(0 <= c <= 1 for c in chances)


def test_the_curve_starts_at_one_and_never_rises_beside_a_segment_curve_as_long(service):
    answer = service.time_to_churn(_customer(service))
    assert answer.curve[0] == answer.segment_curve[0] == 1.0
    assert len(answer.curve) == len(answer.segment_curve) == 25
    assert all(b <= a + 1e-9 for a, b in zip(answer.curve, answer.curve[1:], strict=False))
    assert answer.segment_basis == "observed" and answer.segment_customers > 0


def test_the_median_is_where_the_curve_first_reaches_one_half(service):
    scores = service.scores().set_index("customerID")
    urgent = scores["median_months_left"].dropna()
    customer_id = str(urgent.index[0])
    answer = service.time_to_churn(customer_id)
    assert answer.median_months_left == int(urgent.iloc[0])
    row = service.customers.loc[[customer_id]]
    curve = timing(service.survival, row, service.settings, 60).ahead[0]
    assert curve[answer.median_months_left] <= 0.5 < curve[answer.median_months_left - 1]


def test_a_customer_likely_to_stay_past_the_horizon_has_no_median(service):
    scores = service.scores().set_index("customerID")
    customer_id = str(scores.index[scores["median_months_left"].isna()][0])
    assert service.time_to_churn(customer_id).median_months_left is None


def test_leaving_soon_follows_the_setting_and_the_interval_where_thin(service):
    scores = service.scores()
    customer_id = str(scores.loc[scores["churn_within_90d"].idxmax(), "customerID"])
    answer = service.time_to_churn(customer_id)
    threshold = service.settings.urgent_within_90d
    low = answer.churn_within_90d_interval.low
    assert answer.leaving_soon == (
        answer.churn_within_90d >= threshold and (not answer.support.thin or low >= threshold)
    )


def test_a_call_this_week_needs_high_risk_as_well_as_leaving_soon(service):
    scores = service.scores()
    for customer_id in scores["customerID"].iloc[::500]:
        answer = service.time_to_churn(str(customer_id))
        level = service.predict(str(customer_id)).risk_level
        step = answer.next_step
        assert step.risk_level == level
        assert (step.action == "call_this_week") == (answer.leaving_soon and level == "high")
        assert step.timing_disagrees == (answer.leaving_soon and level != "high")


def test_the_tools_lifetime_value_is_the_scores_clv(service):
    scores = service.scores().set_index("customerID")
    customer_id = _customer(service, 30)
    assert service.time_to_churn(customer_id).lifetime_value == pytest.approx(
        scores.loc[customer_id, "clv"], abs=0.01
    )
    assert service.segment(customer_id).lifetime_value == pytest.approx(
        scores.loc[customer_id, "clv"], abs=0.01
    )


def test_without_a_time_to_churn_model_when_is_refused_with_the_command(without_survival):
    with pytest.raises(NoLifetimeModelError, match="crm-agents train-survival"):
        without_survival.time_to_churn(_customer(without_survival))
    assert "clv" not in without_survival.scores().columns


def test_offers_are_ranked_by_lifetime_value_saved_less_their_cost(service):
    desk = OfferDesk(service, load_playbook())
    scores = service.scores()
    customer_id = str(scores.loc[scores["risk_level"] == "high", "customerID"].iloc[0])
    evaluation = desk.evaluate(customer_id)
    assert evaluation.pricing == "lifetime_value"
    today = service.time_to_churn(customer_id).lifetime_value
    assert evaluation.value_at_risk == today
    assert len(evaluation.options) >= 2
    for option in evaluation.options:
        assert option.lifetime_value_saved == pytest.approx(
            option.lifetime_value_after - today, abs=0.01
        )
        assert option.expected_value == pytest.approx(
            option.lifetime_value_saved - option.total_cost, abs=0.01
        )
    values = [o.expected_value for o in evaluation.options]
    assert values == sorted(values, reverse=True)


def test_an_offer_that_keeps_a_customer_longer_saves_lifetime_value(service):
    playbook = load_playbook()
    longer = {
        o.id for o in playbook.offers if o.changes.get("Contract") in ("One year", "Two year")
    }
    monthly = service.customers["Contract"] == "Month-to-month"
    customer_id = str(service.customers.index[monthly & (service.customers["tenure"] > 3)][0])
    evaluation = OfferDesk(service, playbook).evaluate(customer_id)
    contract = [o for o in evaluation.options if o.offer_id in longer]
    assert contract, "a month-to-month customer may be offered a contract"
    assert all(o.lifetime_value_saved > 0 for o in contract)


def test_offers_priced_for_the_whole_base_equal_one_at_a_time(service):
    customer_id = _customer(service, 2)
    alone = OfferDesk(service, load_playbook()).evaluate(customer_id)
    desk = OfferDesk(service, load_playbook())
    desk.precompute()
    together = desk.evaluate(customer_id)
    assert [o.expected_value for o in together.options] == pytest.approx(
        [o.expected_value for o in alone.options], abs=0.011
    )


def test_without_the_model_offers_are_priced_on_revenue_over_the_horizon(without_survival):
    evaluation = OfferDesk(without_survival, load_playbook()).evaluate(_customer(without_survival))
    assert evaluation.pricing == "revenue_horizon"
    assert all(o.lifetime_value_saved is None for o in evaluation.options)


def test_urgency_puts_high_risk_first_then_the_lifetime_value_expected_to_leave(service):
    listed = at_risk_list(service, limit=len(service.scores()), order="urgency").customers
    ranks = [{"high": 2, "medium": 1, "low": 0}[c.risk_level] for c in listed]
    assert ranks == sorted(ranks, reverse=True)
    for level in ("high", "medium", "low"):
        losses = [c.expected_loss_90d for c in listed if c.risk_level == level]
        assert losses == sorted(losses, reverse=True)
    first = listed[0]
    assert first.expected_loss_90d == pytest.approx(
        first.churn_within_90d * first.lifetime_value, abs=0.01
    )


def test_the_call_this_week_count_is_the_matching_count_when_only_calls_are_listed(service):
    listed = at_risk_list(service, limit=5, order="urgency", call_this_week_only=True)
    assert listed.matching == listed.call_this_week == int(service.scores()["call_this_week"].sum())
    assert all(c.call_this_week and c.risk_level == "high" for c in listed.customers)


def test_urgency_needs_the_time_to_churn_model(without_survival):
    with pytest.raises(NoLifetimeModelError):
        at_risk_list(without_survival, order="urgency")


def test_at_risk_over_time_grows_with_the_horizon(service):
    table = at_risk_over_time(service)
    assert table["months"].tolist() == [3, 6, 12]
    for column in ("expected_leavers", "revenue_lost", "lifetime_value_at_risk"):
        assert table[column].is_monotonic_increasing
    scores = service.scores()
    assert table["revenue_lost"].iloc[0] == pytest.approx(scores["revenue_lost_3m"].sum(), 0.01)


def test_value_tiers_on_lifetime_value_cut_the_base_in_thirds(service):
    s = service
    settings = Settings(**{**s.settings.model_dump(), "value_basis": "lifetime_value"})
    by_clv = RetentionService(s.data, s.model, s.card, settings, survival=s.survival)
    tiers = by_clv.scores()["value_tier"].value_counts(normalize=True)
    assert tiers.to_dict() == pytest.approx({"high": 1 / 3, "mid": 1 / 3, "low": 1 / 3}, abs=0.01)
    basis = by_clv.value_basis()
    assert basis.measure == "lifetime_value" and basis.source == "terciles"
    customer_id = str(by_clv.scores()["customerID"].iloc[0])
    segment = by_clv.segment(customer_id)
    listed = by_clv.scores().set_index("customerID").loc[customer_id, "value_tier"]
    assert segment.tier == listed and segment.basis == basis


def test_value_tiers_on_lifetime_value_follow_thresholds_when_set(service):
    s = service
    settings = Settings(
        **{
            **s.settings.model_dump(),
            "value_basis": "lifetime_value",
            "clv_value_high": 1500,
            "clv_value_mid": 500,
        }
    )
    by_clv = RetentionService(s.data, s.model, s.card, settings, survival=s.survival)
    scores = by_clv.scores()
    assert (scores.loc[scores["clv"] >= 1500, "value_tier"] == "high").all()
    assert (scores.loc[scores["clv"] < 500, "value_tier"] == "low").all()
    assert by_clv.value_basis().source == "settings"


def test_clv_thresholds_must_come_in_order_and_in_pairs():
    with pytest.raises(ValueError, match="CRM_CLV_VALUE_MID"):
        Settings(clv_value_high=100.0)
    with pytest.raises(ValueError, match="must be below"):
        Settings(clv_value_high=100.0, clv_value_mid=200.0)


def test_the_model_card_carries_the_time_to_churn_figures(service):
    summary = service.model_summary().time_to_churn
    evaluation = service.survival.evaluation
    assert summary.champion == evaluation.champion
    assert summary.c_index == pytest.approx(evaluation.c_index, abs=1e-4)
    assert summary.brier_reduction == pytest.approx(
        1 - evaluation.integrated_brier / evaluation.km_integrated_brier, abs=1e-4
    )
    assert set(summary.candidates) == set(evaluation.candidates)
    assert summary.ph_violations == evaluation.ph_violations


def test_the_model_card_checks_timing_by_tenure_band_and_contract(service):
    summary = survival_summary(service.survival)
    rows = summary.tenure_calibration
    frame = service.customers[service.customers["tenure"] > 0]  # joined this month: no time
    assert {r.contract for r in rows} == set(frame["Contract"].astype(str))
    for contract in {r.contract for r in rows}:
        labelled = frame[frame["Contract"].astype(str) == contract]
        assert sum(r.departures for r in rows if r.contract == contract) == int(
            (labelled["Churn"] == "Yes").sum()
        )
    assert all(0 <= r.predicted < 1 and 0 <= r.observed < 1 for r in rows)


def test_the_chat_names_the_tenure_band_the_timing_fits_worst(service):
    from agents.chat.answers.model import model_answer

    card = service.model_summary().model_dump()
    worst = max(
        card["time_to_churn"]["tenure_calibration"],
        key=lambda r: abs(r["predicted"] - r["observed"]),
    )
    assert f"at {worst['tenure']} months" in model_answer(card, "en")
    assert f"在網 {worst['tenure']} 個月" in model_answer(card, "zh-TW")


def _with_violations(card, violations: list[str]):
    evaluation = card.evaluation.model_copy(update={"ph_violations": violations})
    return card.model_copy(update={"evaluation": evaluation})


def test_the_model_card_says_what_was_done_about_proportional_hazards(service):
    summary = survival_summary(_with_violations(service.survival, ["Contract"]))
    for alternative in ("weibull_aft", "loglogistic_aft", "cox_interactions_by_contract"):
        assert t(f"model_card.survival_name.{alternative}", "en") in summary.ph_handling
    assert ("costs little" in summary.ph_handling) == (summary.calibration_max_gap <= 0.03)
    chinese = survival_summary(_with_violations(service.survival, ["Contract"]), "zh-TW")
    assert "不假設比例風險" in chinese.ph_handling


def test_the_model_card_says_when_proportional_hazards_hold(service):
    summary = survival_summary(_with_violations(service.survival, []))
    assert summary.ph_handling.startswith("No covariate breaks proportional hazards")


def test_on_the_real_file_the_time_to_churn_card_is_calibrated_and_beats_the_baseline(
    real_service,
):
    summary = real_service.model_summary().time_to_churn
    assert summary.c_index > 0.85
    assert summary.brier_reduction > 0.15
    assert summary.calibration_max_gap <= 0.03
    assert "Contract" in summary.ph_violations


def test_a_what_if_rescores_the_time_to_churn_model_too(service):
    monthly = service.customers["Contract"] == "Month-to-month"
    customer_id = str(service.customers.index[monthly & (service.customers["tenure"] > 3)][0])
    result = service.what_if(customer_id, {"Contract": "Two year"})
    today = service.time_to_churn(customer_id)
    assert result.lifetime_value_before == today.lifetime_value
    assert result.churn_within_90d_before == today.churn_within_90d
    assert result.lifetime_value_after > result.lifetime_value_before
    assert result.churn_within_90d_after < result.churn_within_90d_before


def test_a_what_if_without_the_model_has_no_lifetime_figures(without_survival):
    result = without_survival.what_if(_customer(without_survival), {"Contract": "Two year"})
    assert result.lifetime_value_after is None and result.churn_within_90d_after is None
