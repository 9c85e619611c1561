"""Outcomes drawn from a known truth: what proves the campaign loop before real outcomes exist.

Each customer would leave within the outcome window with their own chance (the time-to-churn
model's: within a year, say, for a campaign measured over a year); an offer keeps a true share
of those would-be leavers, which depends on the offer and the customer's contract —
month-to-month customers are the persuadable segment, two-year customers are not moved at all.
A share, not added points, so the truth never pushes a chance past certainty and the effect is
largest where there is most to save. Drawing who stays, for treated and control customers
alike, with a seed, gives a campaign whose true effect is known: the effect's interval must
cover it, and an uplift model must find the segment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Share of would-be leavers the offer keeps, by contract (the truth).
DEFAULT_EFFECTS: dict[str, float] = {"Month-to-month": 0.5, "One year": 0.1, "Two year": 0.0}
#: Offers that keep more or fewer than the default (same contracts).
OFFER_EFFECTS: dict[str, dict[str, float]] = {
    "contract_two_year_price_lock": {"Month-to-month": 0.6, "One year": 0.15, "Two year": 0.0},
    "contract_one_year_discount": {"Month-to-month": 0.5, "One year": 0.1, "Two year": 0.0},
    "tech_support_trial": {"Month-to-month": 0.2, "One year": 0.05, "Two year": 0.0},
    "online_security_trial": {"Month-to-month": 0.15, "One year": 0.05, "Two year": 0.0},
}


def kept_share(contracts: pd.Series, offer_id: str) -> np.ndarray:
    """Each customer's true share of would-be leavers the offer keeps."""
    effects = OFFER_EFFECTS.get(offer_id, DEFAULT_EFFECTS)
    unknown = set(contracts) - set(effects)
    if unknown:
        raise ValueError(f"no simulated effect for contract(s) {', '.join(sorted(unknown))}")
    return contracts.map(effects).to_numpy(dtype=float)


def true_effect(leave_chance, contracts: pd.Series, offer_id: str) -> np.ndarray:
    """Each customer's true rise in the chance of staying if given the offer."""
    return np.asarray(leave_chance, dtype=float) * kept_share(contracts, offer_id)


def stay_chances(leave_chance, contracts: pd.Series, offer_id: str):
    """The chance of staying without and with the offer, per customer."""
    without = 1 - np.asarray(leave_chance, dtype=float)
    return without, without + true_effect(leave_chance, contracts, offer_id)


def true_average_effect(leave_chance, contracts: pd.Series, offer_id: str) -> float:
    """The offer's true effect on the share who stay, averaged over these customers."""
    return float(true_effect(leave_chance, contracts, offer_id).mean())


def simulate_outcomes(
    leave_chance, contracts: pd.Series, treated, offer_id: str, seed: int
) -> np.ndarray:
    """1 for each customer who stays through the window, 0 who leaves; treated customers draw
    with the offer's effect, controls without it."""
    without, with_offer = stay_chances(leave_chance, contracts, offer_id)
    chance = np.where(np.asarray(treated) == 1, with_offer, without)
    return (np.random.default_rng(seed).random(len(chance)) < chance).astype(int)
