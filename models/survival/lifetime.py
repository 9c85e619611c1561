"""From a survival curve to what a retention manager plans with: the chance of leaving within
30, 90, 180 and 365 days from today, the months a customer is expected to stay, and customer
lifetime value.

A customer who has stayed `tenure` months is known to have survived that long, so everything
is conditional: S(t + h | t) = S(t + h) / S(t). Curves cover months 1…72 (the longest tenure
in the data); beyond that the curve goes on with the average monthly hazard of its last year,
so a 60-month value of a 70-month customer still has a curve to stand on.
"""

from __future__ import annotations

import numpy as np

from models.survival.candidates import HORIZON

DAYS_PER_MONTH = 365.25 / 12
WITHIN_DAYS = (30, 90, 180, 365)
TAIL_MONTHS = 12


def extended(curves: np.ndarray, months: int) -> np.ndarray:
    """Curves on months 0…`months` (S(0) = 1), continued past the fitted horizon with the
    average monthly hazard of the last `TAIL_MONTHS` months."""
    curves = np.clip(np.asarray(curves, dtype=float), 1e-12, 1.0)
    with_start = np.hstack([np.ones((len(curves), 1)), curves])
    extra = months - HORIZON
    if extra <= 0:
        return with_start[:, : months + 1]
    last, earlier = with_start[:, -1], with_start[:, -1 - TAIL_MONTHS]
    monthly = (last / earlier) ** (1 / TAIL_MONTHS)
    tail = last[:, None] * monthly[:, None] ** np.arange(1, extra + 1)[None, :]
    return np.hstack([with_start, tail])


def remaining(curves: np.ndarray, tenure: np.ndarray, months: int) -> np.ndarray:
    """S(tenure + h | tenure) for h = 0…`months`, one row per customer."""
    tenure = np.asarray(tenure, dtype=int)
    # The same figures as `extended(curves, tenure.max() + months)` read at tenure + h, without
    # building that wide table: each row's tail is computed only where its window needs it.
    with_start = extended(curves, HORIZON)
    columns = tenure[:, None] + np.arange(months + 1)[None, :]
    ahead = np.take_along_axis(with_start, np.minimum(columns, HORIZON), axis=1)
    beyond = columns > HORIZON
    if beyond.any():
        last, earlier = with_start[:, -1], with_start[:, -1 - TAIL_MONTHS]
        monthly = (last / earlier) ** (1 / TAIL_MONTHS)
        rows, cols = np.nonzero(beyond)
        ahead[rows, cols] = last[rows] * monthly[rows] ** (columns[rows, cols] - HORIZON)
    return ahead / ahead[:, :1]


def churn_within(curves: np.ndarray, tenure: np.ndarray, days: int) -> np.ndarray:
    """P(leaving within `days` from today | stayed `tenure` months), interpolated between months."""
    return within_days(remaining(curves, tenure, int(np.ceil(days / DAYS_PER_MONTH))), days)


def within_days(ahead: np.ndarray, days: int) -> np.ndarray:
    """`churn_within` from conditional curves already computed (`remaining`)."""
    months = days / DAYS_PER_MONTH
    lower = int(np.floor(months))
    share = months - lower
    staying = ahead[:, lower] * (1 - share) + ahead[:, min(lower + 1, ahead.shape[1] - 1)] * share
    return 1 - staying


def median_remaining_months(
    curves: np.ndarray, tenure: np.ndarray, months: int = 120
) -> np.ndarray:
    """Months until the conditional curve first falls to 0.5 or below; NaN when it never does
    within `months` (the customer is more likely than not to stay that long)."""
    return months_to_half(remaining(curves, tenure, months))


def months_to_half(ahead: np.ndarray) -> np.ndarray:
    """`median_remaining_months` from conditional curves already computed."""
    below = ahead <= 0.5
    first = below.argmax(axis=1).astype(float)
    first[~below.any(axis=1)] = np.nan
    return first


def monthly_discount(annual_rate: float) -> float:
    return (1 + annual_rate) ** (1 / 12) - 1


def lifetime_value(
    curves: np.ndarray,
    tenure: np.ndarray,
    monthly_charges: np.ndarray,
    *,
    margin: float,
    annual_discount: float,
    months: int,
) -> np.ndarray:
    """Expected discounted margin over the next `months`:
    Σ_{h=1..months} S(tenure + h | tenure) × MonthlyCharges × margin / (1 + r)^h."""
    return discounted_value(
        remaining(curves, tenure, months), monthly_charges, margin, annual_discount, months
    )


def discounted_value(
    ahead: np.ndarray,
    monthly_charges: np.ndarray,
    margin: float,
    annual_discount: float,
    months: int,
) -> np.ndarray:
    """`lifetime_value` from conditional curves already computed (at least `months` ahead)."""
    discount = (1 + monthly_discount(annual_discount)) ** -np.arange(1, months + 1)
    staying = ahead[:, 1 : months + 1] @ discount
    return staying * np.asarray(monthly_charges) * margin
