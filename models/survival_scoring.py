"""Per-customer time-to-churn figures for a whole base, in chunks (bounded memory): churn
within 30/90/180/365 days, median months left, and customer lifetime value."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.settings import Settings
from models.lifetime import (
    DAYS_PER_MONTH,
    WITHIN_DAYS,
    discounted_value,
    months_to_half,
    remaining,
    within_days,
)
from models.survival_card import SurvivalCard

CHUNK_ROWS = 100_000
LIFETIME_COLUMNS = (
    *(f"churn_within_{d}d" for d in WITHIN_DAYS),
    "median_months_left",
    "clv",
)


def lifetime_columns(
    card: SurvivalCard, customers: pd.DataFrame, settings: Settings
) -> pd.DataFrame:
    """One row per customer, in input order. The median is looked for within the CLV horizon."""
    horizon = max(settings.lifetime_months, int(np.ceil(max(WITHIN_DAYS) / DAYS_PER_MONTH)))
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
        parts.append(pd.DataFrame(columns))
    if not parts:
        return pd.DataFrame(columns=list(LIFETIME_COLUMNS))
    return pd.concat(parts, ignore_index=True)
