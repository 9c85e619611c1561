"""From a survival curve to plans: conditional churn, months left, lifetime value."""

from __future__ import annotations

import numpy as np
import pytest

from models.survival.candidates import HORIZON
from models.survival.lifetime import (
    churn_within,
    lifetime_value,
    median_remaining_months,
    monthly_discount,
    remaining,
)

MONTHS = np.arange(1, HORIZON + 1)


def _curve(hazards_by_month) -> np.ndarray:
    """One customer's S(t) on months 1…72 from a monthly hazard per month."""
    return np.cumprod(1 - np.asarray(hazards_by_month))[None, :]


def test_churn_within_the_next_months_follows_the_curve_from_todays_tenure():
    # Risky first year (10 % a month), then calm (1 % a month).
    curve = _curve(np.where(MONTHS <= 12, 0.10, 0.01))
    new, settled = churn_within(np.vstack([curve, curve]), np.array([0, 24]), 90).tolist()
    months = 90 / (365.25 / 12)
    assert new == pytest.approx(1 - 0.9**months, abs=0.002)
    assert settled == pytest.approx(1 - 0.99**months, abs=0.002)


def test_conditional_survival_is_the_ratio_of_the_curve():
    curve = _curve(np.linspace(0.01, 0.05, HORIZON))
    ahead = remaining(curve, np.array([10]), 6)[0]
    assert ahead[0] == 1.0
    assert ahead[6] == pytest.approx(curve[0, 15] / curve[0, 9])


def test_median_months_left_and_none_when_the_curve_stays_above_half():
    steady = _curve(np.full(HORIZON, 0.10))  # half gone after log(.5)/log(.9) = 6.6 months
    loyal = _curve(np.full(HORIZON, 0.001))
    left = median_remaining_months(np.vstack([steady, loyal]), np.array([5, 5]), months=60)
    assert left[0] == 7
    assert np.isnan(left[1])


def test_lifetime_value_matches_a_hand_computed_example():
    # 2 % churn a month, $80 a month, 30 % margin, 10 % a year, 60 months:
    # Σ_{h=1..60} 0.98^h × 80 × 0.3 / (1 + r)^h with r = 1.1^(1/12) − 1.
    curve = _curve(np.full(HORIZON, 0.02))
    r = 1.1 ** (1 / 12) - 1
    by_hand = sum(0.98**h * 80 * 0.3 / (1 + r) ** h for h in range(1, 61))
    value = lifetime_value(
        curve, np.array([30]), np.array([80.0]), margin=0.3, annual_discount=0.1, months=60
    )
    assert value[0] == pytest.approx(by_hand, rel=1e-9)
    assert monthly_discount(0.1) == pytest.approx(r)


def test_past_the_fitted_horizon_the_curve_keeps_its_last_years_hazard():
    curve = _curve(np.full(HORIZON, 0.02))
    ahead = remaining(curve, np.array([70]), 24)[0]
    assert ahead[24] == pytest.approx(0.98**24, rel=1e-6)
