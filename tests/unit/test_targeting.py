"""The next campaign's targets from the last one's outcomes: a ranking by uplift × value where a
segment is persuadable, plainly none where no segment is."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tools.campaigns.results import OutcomeError
from tools.campaigns.targeting import next_targets


def _campaign(effect_in_segment: float, effect_elsewhere: float, n: int = 6000, seed: int = 0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "customer_id": [f"{i:04d}-C" for i in range(n)],
            "Contract": rng.choice(["Month-to-month", "One year", "Two year"], n),
            "tenure": rng.integers(0, 72, n),
            "MonthlyCharges": rng.uniform(20, 110, n),
            "InternetService": rng.choice(["DSL", "Fiber optic", "No"], n),
            "PaymentMethod": rng.choice(["Electronic check", "Mailed check"], n),
            "churn_probability": rng.uniform(0.1, 0.6, n),
        }
    )
    treated = rng.integers(0, 2, n)
    segment = (frame["Contract"] == "Month-to-month").to_numpy()
    effect = np.where(segment, effect_in_segment, effect_elsewhere)
    stay = 1 - frame["churn_probability"].to_numpy() + treated * effect
    stayed = rng.random(n) < np.clip(stay, 0, 1)
    return frame.assign(
        arm=np.where(treated == 1, "treated", "control"),
        outcome=np.where(stayed, "retained", "churned"),
    )


def test_a_persuadable_segment_gives_the_next_campaign_a_ranking_by_value_moved():
    measured = _campaign(0.3, 0.0)
    clv = pd.Series(1000.0, index=measured["customer_id"])
    targets = next_targets(measured, measured, clv, top=30)
    assert targets.verdict.persuadable
    ranked = measured.set_index("customer_id").loc[targets.ranking["customer_id"]]
    assert (ranked["Contract"] == "Month-to-month").mean() > 0.9
    assert targets.ranking["value_moved"].is_monotonic_decreasing


def test_an_offer_that_moves_everyone_alike_gives_no_ranking():
    measured = _campaign(0.1, 0.1, seed=3)
    targets = next_targets(measured, measured, None)
    assert not targets.verdict.persuadable and targets.ranking is None


def test_too_few_outcomes_in_an_arm_are_refused():
    measured = _campaign(0.3, 0.0, n=60)
    with pytest.raises(OutcomeError, match="at least 50 in each arm"):
        next_targets(measured, measured, None)
