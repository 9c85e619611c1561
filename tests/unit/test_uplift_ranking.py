"""The campaign agent ranks by uplift × lifetime value when `CRM_OFFER_RANKING=uplift`: learned
per offer from a measured campaign (its treated against the controls who would have had it),
used only where a persuadable segment was found, and the trace says which estimate chose the
offer — or, plainly, why the what-if re-score did."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crm_agents.composition import assemble
from models.uplift.control import in_campaign_holdout
from models.uplift.simulation import simulate_outcomes
from tools.campaigns.targeting import FEATURES, RISK, LearnedUplift, learn_uplift

OFFER = "contract_one_year_discount"


@pytest.fixture(scope="module")
def measured(demo_service) -> pd.DataFrame:
    """A simulated campaign of the whole demo base with one offer: the truth keeps half the
    month-to-month would-be leavers and nobody on a two-year contract (a persuadable segment)."""
    scores = demo_service.scores()
    profile = demo_service.data.customers.loc[scores["customerID"]].reset_index(drop=True)
    treated = np.array(
        [0 if in_campaign_holdout("ranking", c, 0.5) else 1 for c in scores["customerID"]]
    )
    stayed = simulate_outcomes(
        scores["churn_within_365d"], profile["Contract"], treated, OFFER, seed=7
    )
    return profile.assign(
        customer_id=scores["customerID"].to_numpy(),
        churn_probability=scores["churn_probability"].to_numpy(),
        arm=np.where(treated == 1, "treated", "control"),
        outcome=np.where(stayed == 1, "retained", "churned"),
        offer_id=OFFER,
    )


def _ranking_by(demo_service, learned: LearnedUplift | None):
    settings = demo_service.settings.model_copy(update={"offer_ranking": "uplift"})
    service = type(demo_service)(
        demo_service.data,
        demo_service.model,
        demo_service.card,
        settings,
        survival=demo_service.survival,
    )
    return assemble(settings, service=service, learned_uplift=learned)


def test_an_offer_with_a_persuadable_segment_gets_a_model_and_one_without_none(measured):
    learned = learn_uplift(3, measured)
    assert learned.verdicts[OFFER].persuadable
    assert OFFER in learned.models
    flat = measured.assign(outcome=measured["outcome"].sample(frac=1, random_state=1).to_numpy())
    assert learn_uplift(3, flat).models == {}  # shuffled outcomes: nothing to learn


def test_an_offer_with_too_few_outcomes_is_not_tested(measured):
    few = measured.head(60)
    assert learn_uplift(3, few).verdicts == {}


def test_the_uplift_of_a_customer_comes_from_their_profile_and_churn_figure(measured):
    learned = learn_uplift(3, measured)
    row = measured.iloc[0]
    customer = {name: row[name] for name in (*FEATURES, RISK)}
    assert -1 <= learned.uplift(OFFER, customer) <= 1
    assert learned.uplift("retention_discount", customer) is None


def test_the_campaign_agent_says_which_estimate_chose_the_offer(demo_service, measured):
    assembly = _ranking_by(demo_service, learn_uplift(3, measured))
    scores = demo_service.scores()
    # A month-to-month customer at high risk: the learned offer is among their eligible ones.
    profile = demo_service.data.customers.loc[scores["customerID"]]
    chosen = (scores["risk_level"] == "high").to_numpy() & (
        profile["Contract"] == "Month-to-month"
    ).to_numpy()
    customer = scores[chosen]["customerID"].iloc[0]
    result = assembly.analyzer.run(customer)
    step = next(s for s in result.trace if s.node == "campaign")
    assert step.note_key == "trace.uplift_ranked" and "campaign 3" in step.note
    plan = result.campaign
    assert (plan.estimate, plan.offer.offer_id) == ("uplift", OFFER)
    # Worth its cost by the learned effect, not by the what-if's.
    assert plan.worth_its_cost == (plan.uplift_value > 0)


def test_without_a_measured_campaign_the_what_if_ranks_and_the_trace_says_why(demo_service):
    assembly = _ranking_by(demo_service, None)
    scores = demo_service.scores()
    customer = scores[scores["risk_level"] == "high"]["customerID"].iloc[0]
    result = assembly.analyzer.run(customer)
    step = next(s for s in result.trace if s.node == "campaign")
    assert step.note_key == "trace.uplift_unmeasured"
    assert result.campaign.estimate == "what_if"
