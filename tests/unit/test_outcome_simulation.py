"""The simulated campaign proves the loop: intervals cover the true effect, controls are never
treated, and the uplift model finds the persuadable segment the truth put there."""

from __future__ import annotations

import numpy as np
import pytest

from models.uplift.assessment import cross_fitted_uplift, persuadability
from models.uplift.control import in_campaign_holdout
from models.uplift.metrics import average_effect, qini_coefficient
from models.uplift.simulation import simulate_outcomes, true_average_effect, true_effect

OFFER = "contract_one_year_discount"


@pytest.fixture(scope="module")
def eligible(demo_service):
    """The demo base's customers with their chance of leaving within a year, the window the
    simulated campaign is measured over."""
    scores = demo_service.scores()
    profile = demo_service.data.customers.loc[scores["customerID"]]
    return scores.reset_index(drop=True), profile.reset_index(drop=True)


def _treated(ids, campaign: str, holdout: float = 0.5) -> np.ndarray:
    return np.array([0 if in_campaign_holdout(campaign, c, holdout) else 1 for c in ids])


def test_the_effects_interval_covers_the_true_effect_in_at_least_90_percent_of_campaigns(
    eligible,
):
    scores, profile = eligible
    leave, contracts = scores["churn_within_365d"], profile["Contract"]
    truth = true_average_effect(leave, contracts, OFFER)
    covered = 0
    for repetition in range(200):
        treated = _treated(scores["customerID"], f"simulated-{repetition}")
        stayed = simulate_outcomes(leave, contracts, treated, OFFER, seed=repetition)
        effect = average_effect(stayed, treated)
        covered += effect.low <= truth <= effect.high
    assert covered >= 180, covered


def test_controls_are_never_given_the_offers_effect(eligible):
    scores, profile = eligible
    treated = np.zeros(len(scores), dtype=int)  # everyone held out
    leave = np.zeros(len(scores))  # nobody would leave without an offer...
    stayed = simulate_outcomes(leave, profile["Contract"], treated, OFFER, seed=1)
    assert stayed.all()  # ...so every control stays, and only by their own chance
    leave = np.ones(len(scores))  # everybody would leave: a control cannot stay
    assert not simulate_outcomes(leave, profile["Contract"], treated, OFFER, seed=1).any()


@pytest.mark.slow
def test_the_uplift_model_finds_the_simulated_persuadable_segment(eligible):
    scores, profile = eligible
    leave, contracts = scores["churn_within_365d"], profile["Contract"]
    # What the product knows of a customer: their profile and the models' figures.
    features = profile[["Contract", "tenure", "MonthlyCharges", "InternetService"]]
    features = features.assign(leave_chance=leave)
    found, share_of_optimum = 0, []
    for campaign in range(8):  # 2,000 customers: one campaign's test has limited power
        treated = _treated(scores["customerID"], f"simulated-segment-{campaign}")
        stayed = simulate_outcomes(leave, contracts, treated, OFFER, seed=campaign)
        uplift = cross_fitted_uplift(features, treated, stayed, seed=campaign)
        found += persuadability(uplift, treated, stayed).persuadable
        optimum = qini_coefficient(stayed, true_effect(leave, contracts, OFFER), treated)
        share_of_optimum.append(qini_coefficient(stayed, uplift, treated) / optimum)
    assert found >= 6, found
    assert np.mean(share_of_optimum) > 0.7, share_of_optimum


def test_a_contract_without_a_simulated_effect_is_refused():
    import pandas as pd

    with pytest.raises(ValueError, match="no simulated effect"):
        true_effect([0.5], pd.Series(["Lifetime"]), OFFER)


def test_a_treated_customer_the_export_did_not_contact_gets_no_offer():
    import pandas as pd

    from tools.campaigns.results import simulate

    ids = [f"{i:04d}-AAAAA" for i in range(400)]
    members = pd.DataFrame(
        {
            "customer_id": ids,
            "arm": ["treated"] * 300 + ["control"] * 100,
            "contacted": [True] * 150 + [False] * 150 + [False] * 100,
            "offer_id": OFFER,
            "churn_probability": 1.0,  # everybody would leave without the offer
        }
    )
    contracts = pd.Series("Month-to-month", index=ids)
    drawn, truth = simulate(1, members, contracts, seed=3, observed_on=None)
    stayed = (drawn["outcome"] == "retained").to_numpy()
    assert stayed[:150].any()  # contacted: the offer keeps some
    assert not stayed[150:].any()  # ignored or excluded, and controls: nobody stays
    # What treated-vs-control measures: half the treated arm was reached.
    assert truth == pytest.approx(
        0.5 * true_effect(np.ones(1), pd.Series(["Month-to-month"]), OFFER)[0]
    )
