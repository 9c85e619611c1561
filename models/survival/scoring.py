"""Per-customer time-to-churn figures for a whole base, in chunks (bounded memory): churn
within 30/90/180/365 days, median months left, and customer lifetime value."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.settings import Settings
from models.survival.card import SurvivalCard
from models.survival.lifetime import (
    DAYS_PER_MONTH,
    WITHIN_DAYS,
    discounted_value,
    months_to_half,
    remaining,
    within_days,
)
from models.survival.support import Pooling, bounds, spread
from models.urgency import timing_clears

CHUNK_ROWS = 50_000
#: Each figure with the two ends of its 95 % interval (`_low` / `_high`: the figure's own low and
#: high values — for months left and CLV the low end comes from the high-risk curve).
LIFETIME_COLUMNS = (
    *(f"churn_within_{d}d{end}" for d in WITHIN_DAYS for end in ("", "_low", "_high")),
    "support_customers",
    "support_departures",
    "thin_support",
    "median_months_left",
    "median_months_left_low",
    "median_months_left_high",
    "clv",
    "clv_low",
    "clv_high",
)


@dataclass(frozen=True)
class Timing:
    """Conditional curves S(tenure + h | tenure), h = 0…months, pooled where support is thin,
    with the curves of their interval's two ends and the support of each customer's figure."""

    ahead: np.ndarray
    low_risk: np.ndarray
    high_risk: np.ndarray
    support: dict[str, np.ndarray]

    def soon(self, threshold: float) -> np.ndarray:
        """The 90-day chance reaches the threshold, by its interval's lower end where thin."""
        return timing_clears(
            within_days(self.ahead, 90),
            within_days(self.low_risk, 90),
            self.support["thin"],
            threshold,
        )


def timing(card: SurvivalCard, frame: pd.DataFrame, settings: Settings, months: int) -> Timing:
    tenure = frame["tenure"].to_numpy(dtype=int)
    form = card.curves
    x = form.design(frame) if form.form != "kaplan_meier" else None
    if card.support is None:
        curves = form.curves(
            frame, x
        )  # a card from before support was recorded: nothing stands behind
        n = len(frame)
        window = {
            "customers": np.zeros(n, int),
            "departures": np.zeros(n, int),
            "thin": np.ones(n, bool),
            "band_first_month": np.zeros(n, int),
            "band_last_month": np.zeros(n, int),
            "band_departures": np.zeros(n, int),
        }
    else:
        pooling = Pooling(
            card.support, settings.support_min_customers, settings.support_min_departures
        )
        codes = pooling.codes(frame)
        factors = form.cox_factors(frame, x)
        if factors is not None:
            curves = pooling.shrink_cox(factors, codes)
        else:
            curves = pooling.shrink(form.curves(frame, x), codes)
        window = pooling.window(codes, tenure)
    ahead = remaining(curves, tenure, months)
    low, high = bounds(ahead, spread(window["band_departures"], form.linear_variance(frame, x)))
    return Timing(ahead, low, high, window)


def lifetime_columns(
    card: SurvivalCard,
    customers: pd.DataFrame,
    settings: Settings,
    months_ahead: tuple[int, ...] = (),
) -> pd.DataFrame:
    """One row per customer, in input order. The median is looked for within the CLV horizon.

    For each of `months_ahead` (the portfolio's 3, 6, 12) it adds `churn_within_{m}m` and
    `revenue_lost_{m}m`, the bills expected to go unpaid in those months:
    MonthlyCharges × Σ_{k=1..m} (1 − S(tenure + k | tenure))."""
    horizon = max(
        settings.lifetime_months,
        int(np.ceil(max(WITHIN_DAYS) / DAYS_PER_MONTH)),
        max(months_ahead, default=0),
    )
    parts = []
    for start in range(0, len(customers), CHUNK_ROWS):
        chunk = customers.iloc[start : start + CHUNK_ROWS]
        timed = timing(card, chunk, settings, horizon)
        ahead = timed.ahead
        charges = chunk["MonthlyCharges"].to_numpy(dtype=float)
        # (suffix, curve): the figure, then its interval's ends; a chance's low end is the
        # low-risk curve's, a duration's or value's low end the high-risk curve's.
        chances = (("", ahead), ("_low", timed.low_risk), ("_high", timed.high_risk))
        lengths = (("", ahead), ("_low", timed.high_risk), ("_high", timed.low_risk))
        columns = {
            f"churn_within_{d}d{end}": np.round(within_days(curve, d), 6)
            for d in WITHIN_DAYS
            for end, curve in chances
        }
        columns["support_customers"] = timed.support["customers"]
        columns["support_departures"] = timed.support["departures"]
        columns["thin_support"] = timed.support["thin"]
        for end, curve in lengths:
            columns[f"median_months_left{end}"] = months_to_half(
                curve[:, : settings.lifetime_months + 1]
            )
        for end, curve in lengths:
            columns[f"clv{end}"] = np.round(
                discounted_value(
                    curve,
                    charges,
                    settings.margin_rate,
                    settings.annual_discount_rate,
                    settings.lifetime_months,
                ),
                2,
            )
        for m in months_ahead:
            for end, curve in chances:
                columns[f"churn_within_{m}m{end}"] = np.round(1 - curve[:, m], 6)
                gone = (1 - curve[:, 1 : m + 1]).sum(axis=1)
                columns[f"revenue_lost_{m}m{end}"] = np.round(gone * charges, 2)
        parts.append(pd.DataFrame(columns))
    if not parts:
        extra = [
            f"{k}_{m}m{end}"
            for m in months_ahead
            for k in ("churn_within", "revenue_lost")
            for end in ("", "_low", "_high")
        ]
        return pd.DataFrame(columns=[*LIFETIME_COLUMNS, *extra])
    return pd.concat(parts, ignore_index=True)


def lifetime_values(
    card: SurvivalCard,
    customers: pd.DataFrame,
    settings: Settings,
    monthly_charges: np.ndarray | None = None,
) -> np.ndarray:
    """Each row's CLV under the survival model. The margin is taken on `monthly_charges` when
    given: an offer's what-if changes the price the model sees (a discount may keep a customer)
    while the value is still counted at today's bill, because the offer's cost is counted
    once, as its cost."""
    charges = customers["MonthlyCharges"] if monthly_charges is None else monthly_charges
    ahead = timing(card, customers, settings, settings.lifetime_months).ahead
    return np.round(
        discounted_value(
            ahead,
            np.asarray(charges, dtype=float),
            settings.margin_rate,
            settings.annual_discount_rate,
            settings.lifetime_months,
        ),
        2,
    )
