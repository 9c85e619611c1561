"""Per-customer time-to-churn figures for a whole base, in chunks (bounded memory): churn
within 30/90/180/365 days, median months left, and customer lifetime value."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.settings import Settings
from models.survival.card import SurvivalCard
from models.survival.lifetime import (
    DAYS_PER_MONTH,
    WITHIN_DAYS,
    discounted_value,
    lifetime_value,
    months_to_half,
    remaining,
    within_days,
)

CHUNK_ROWS = 100_000
LIFETIME_COLUMNS = (
    *(f"churn_within_{d}d" for d in WITHIN_DAYS),
    "median_months_left",
    "clv",
)


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
        ahead = remaining(card.curves.curves(chunk), chunk["tenure"].to_numpy(dtype=int), horizon)
        columns = {f"churn_within_{d}d": np.round(within_days(ahead, d), 6) for d in WITHIN_DAYS}
        columns["median_months_left"] = months_to_half(ahead[:, : settings.lifetime_months + 1])
        columns["clv"] = np.round(
            discounted_value(
                ahead,
                chunk["MonthlyCharges"].to_numpy(dtype=float),
                settings.margin_rate,
                settings.annual_discount_rate,
                settings.lifetime_months,
            ),
            2,
        )
        charges = chunk["MonthlyCharges"].to_numpy(dtype=float)
        for m in months_ahead:
            columns[f"churn_within_{m}m"] = np.round(1 - ahead[:, m], 6)
            gone = (1 - ahead[:, 1 : m + 1]).sum(axis=1)
            columns[f"revenue_lost_{m}m"] = np.round(gone * charges, 2)
        parts.append(pd.DataFrame(columns))
    if not parts:
        extra = [f"{k}_{m}m" for m in months_ahead for k in ("churn_within", "revenue_lost")]
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
    return np.round(
        lifetime_value(
            card.curves.curves(customers),
            customers["tenure"].to_numpy(dtype=int),
            np.asarray(charges, dtype=float),
            margin=settings.margin_rate,
            annual_discount=settings.annual_discount_rate,
            months=settings.lifetime_months,
        ),
        2,
    )
