"""Who to act on first — one rule for every list that orders customers by urgency: the
Portfolio's "most urgent", the chat's "this quarter", "call this week" and the batch's campaign
queue (whose SQL view, `crm_agents/store/schema.py`, follows the same order).

The churn risk level is the gate: high-risk customers come before medium, medium before low.
Within a level, customers are ordered by the loss an action can still prevent — the chance of
leaving within 90 days (pooled where its support is thin) times the customer's lifetime value.
The level leads because it is what the churn model learned from every customer's label and is
checked out of fold (calibrated, ROC-AUC ≈ 0.85 on the Telco file), while the 90-day figure
leans on the baseline hazard at the customer's own tenure, which few customers may support. On
the Telco file, out of fold, the top tenth of this order churns 75 % of the time, against 58 %
for the top tenth by the raw 90-day figure (`scripts/urgency_before_after.py`).

"Call this week" is the head of that order: a high-risk customer whose 90-day chance reaches
the setting (and, where its support is thin, whose interval's lower end does too).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

#: Order of the gate: a higher rank comes first.
RISK_RANK = {"high": 2, "medium": 1, "low": 0}

#: What to do with one customer, most pressing first.
Action = Literal["call_this_week", "offer_this_month", "next_campaign", "monitor"]
ACTIONS: tuple[Action, ...] = ("call_this_week", "offer_this_month", "next_campaign", "monitor")


def timing_clears(
    within_90d: np.ndarray, within_90d_low: np.ndarray, thin: np.ndarray, threshold: float
) -> np.ndarray:
    """The 90-day chance reaches the threshold — by its interval's lower end too when the
    support is thin, so a figure that rests on a handful of departures never decides."""
    cleared = np.asarray(within_90d, float) >= threshold
    thin = np.asarray(thin, bool)
    return cleared & (~thin | (np.asarray(within_90d_low, float) >= threshold))


def call_this_week(
    risk_level: np.ndarray,
    within_90d: np.ndarray,
    within_90d_low: np.ndarray,
    thin: np.ndarray,
    threshold: float,
) -> np.ndarray:
    """High risk, and likely to leave soon: the gate, then the timing."""
    high = np.asarray(risk_level, dtype=object) == "high"
    return high & timing_clears(within_90d, within_90d_low, thin, threshold)


def expected_loss_90d(within_90d: np.ndarray, clv: np.ndarray) -> np.ndarray:
    """Lifetime value expected to walk away within 90 days: what acting now can still save."""
    return np.asarray(within_90d, float) * np.asarray(clv, float)


def with_urgency(scored: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """`scored` (risk level and the time-to-churn columns) with `expected_loss_90d` and
    `call_this_week` added in place — the columns every scored base carries."""
    scored["expected_loss_90d"] = expected_loss_90d(
        scored["churn_within_90d"], scored["clv"]
    ).round(2)
    scored["call_this_week"] = call_this_week(
        scored["risk_level"],
        scored["churn_within_90d"],
        scored["churn_within_90d_low"],
        scored["thin_support"],
        threshold,
    )
    return scored


def action(risk_level: str, calls_this_week: bool) -> Action:
    """The one headline of what to do with a customer."""
    if calls_this_week:
        return "call_this_week"
    return {"high": "offer_this_month", "medium": "next_campaign"}.get(risk_level, "monitor")


def timing_disagrees(risk_level: str, timing_is_soon: bool) -> bool:
    """The 90-day figure says soon while the risk level says not high: the recommendation
    follows the level, and the customer is told why."""
    return timing_is_soon and risk_level != "high"


def urgency_order(
    scores: pd.DataFrame, then: str = "churn_probability", key: str = "customerID"
) -> pd.DataFrame:
    """`scores` (risk_level, churn_within_90d, clv, `then`, `key`) in the order to act: gate,
    expected 90-day loss (none last), then `then` (the probability for a scored base, the
    expected value for analyses with an offer, as the campaign queue), then the ID so ties are
    stable."""
    keyed = scores.assign(
        _rank=scores["risk_level"].map(RISK_RANK).fillna(-1),
        _loss=expected_loss_90d(scores["churn_within_90d"], scores["clv"]),
    )
    return keyed.sort_values(
        ["_rank", "_loss", then, key],
        ascending=[False, False, False, True],
        kind="stable",
    ).drop(columns=["_rank", "_loss"])
