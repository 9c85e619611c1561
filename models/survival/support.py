"""How many customers and departures stand behind a time-to-churn figure, the shrinkage where
they are few, and the interval every figure carries.

Support is counted per contract type (the model's strongest time-varying effect, and the
stratum of the stratified candidate): at month m, `customers[m]` have stayed at least m months
and `departures[m]` left in month m. Where a month rests on fewer than the settings' customers
(100) or departures (20), the customer's own monthly hazard there is replaced by their average
hazard over the nearest band of months that does have that support — grown outwards from the
month, and never upwards into months with too few customers. In the Telco file this is what
stops month-to-month customers of 66–72 months (35 customers, 9 departures) from getting a
50 % chance of leaving within 90 days from a baseline hazard that jumps 5–15×: their months
borrow the hazard of months 57–61, where 108+ customers and 20+ departures stand. Where a
month has the support, nothing changes. Averages of a cumulative hazard keep its total over
the band, so the curve meets the unpooled one at each band's ends.

The interval scales the customer's cumulative hazard by exp(±1.96 sd), with
sd² = 1 / (departures behind the next three months, their bands included) — the Poisson error
of a hazard estimated from that many events — plus the variance of the customer's linear
predictor from the Cox coefficients' covariance. Both are sampling errors of this fit; model
misspecification is not in them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel

from models.survival.candidates import HORIZON

SUPPORT_COLUMN = "Contract"
EVERYONE = "*"
#: Months the support of a customer's figure is counted over: the 90-day window.
WINDOW_MONTHS = 3
Z95 = 1.959964


class SurvivalSupport(BaseModel):
    """Per contract type (and `*` for everyone): customers with tenure ≥ m and departures at m,
    for months m = 1…72."""

    column: str = SUPPORT_COLUMN
    customers: dict[str, list[int]]
    departures: dict[str, list[int]]


def count_support(
    frame: pd.DataFrame, durations: np.ndarray, events: np.ndarray
) -> SurvivalSupport:
    """The counts of the customers a model is fitted on (known tenure)."""
    levels = frame[SUPPORT_COLUMN].astype(str).to_numpy()
    customers: dict[str, list[int]] = {}
    departures: dict[str, list[int]] = {}
    for level in [EVERYONE, *sorted(set(levels))]:
        mask = np.ones(len(levels), bool) if level == EVERYONE else levels == level
        months = np.clip(durations[mask].astype(int), 0, HORIZON)
        stayed = np.bincount(months, minlength=HORIZON + 1)
        left = np.bincount(months[events[mask] == 1], minlength=HORIZON + 1)
        # customers[m] = Σ_{t ≥ m} stayed[t]; index 0 is month 1.
        customers[level] = [int(v) for v in np.cumsum(stayed[::-1])[::-1][1:]]
        departures[level] = [int(v) for v in left[1:]]
    return SurvivalSupport(customers=customers, departures=departures)


def bands(customers: np.ndarray, departures: np.ndarray, min_customers: int, min_departures: int):
    """For each month (index 0 = month 1) the first and last month index of the band its
    hazard is averaged over."""
    supported = np.flatnonzero(customers >= min_customers)
    top = int(supported[-1]) if len(supported) else HORIZON - 1
    total = [0, *np.cumsum(departures).tolist()]
    first, last = np.empty(HORIZON, int), np.empty(HORIZON, int)
    for m in range(HORIZON):
        a = b = min(m, top)
        while total[b + 1] - total[a] < min_departures:
            grew = False
            if b < top:
                b, grew = b + 1, True
            if total[b + 1] - total[a] < min_departures and a > 0:
                a, grew = a - 1, True
            if not grew:
                break
        first[m], last[m] = a, b
    return first, last


class Pooling:
    """The bands of every support level under the settings' thresholds, computed once."""

    def __init__(self, support: SurvivalSupport, min_customers: int, min_departures: int):
        self.levels = list(support.customers)
        self.customers = np.array([support.customers[k] for k in self.levels])
        self.departures = np.array([support.departures[k] for k in self.levels])
        self.min_customers, self.min_departures = min_customers, min_departures
        pairs = [
            bands(c, d, min_customers, min_departures)
            for c, d in zip(self.customers, self.departures, strict=True)
        ]
        self.first = np.array([p[0] for p in pairs])
        self.last = np.array([p[1] for p in pairs])
        self.column = support.column

    def codes(self, frame: pd.DataFrame) -> np.ndarray:
        """Each row's support level; a contract the fit never saw counts with everyone."""
        known = {k: i for i, k in enumerate(self.levels)}
        everyone = known[EVERYONE]
        codes = pd.Categorical(frame[self.column].astype(str), categories=self.levels).codes
        return np.where(codes < 0, everyone, codes).astype(int)

    def shrink(self, curves: np.ndarray, codes: np.ndarray) -> np.ndarray:
        """Curves on months 1…72 with each month's hazard averaged over its band."""
        hazard = -np.log(np.clip(np.asarray(curves, dtype=float), 1e-300, 1.0))
        cumulative = np.hstack([np.zeros((len(hazard), 1)), hazard])
        first, last = self.first[codes], self.last[codes]
        total = np.take_along_axis(cumulative, last + 1, axis=1) - np.take_along_axis(
            cumulative, first, axis=1
        )
        monthly = total / (last - first + 1)
        return np.exp(-np.cumsum(monthly, axis=1))

    def shrink_cox(
        self, factors: tuple[np.ndarray, np.ndarray, np.ndarray], codes: np.ndarray
    ) -> np.ndarray:
        """`shrink` of a Cox model's curves S0_b ^ h (`SurvivalCurves.cox_factors`). Averaging
        the hazard over a band is linear in the cumulative hazard, so each (support level,
        baseline) pair is shrunk once and each customer's curve is its shrunk baseline ^ h."""
        hazard, baseline, baselines = factors
        pairs = codes.astype(np.int64) * len(baselines) + baseline
        unique, inverse = np.unique(pairs, return_inverse=True)
        shrunk = self.shrink(baselines[unique % len(baselines)], unique // len(baselines))
        log_shrunk = np.log(np.clip(shrunk, 1e-300, 1.0))
        return np.exp(hazard[:, None] * log_shrunk[inverse])

    def window(self, codes: np.ndarray, tenure: np.ndarray) -> dict[str, np.ndarray]:
        """The support of each customer's next three months: customers who stayed longer than
        their tenure, departures among them in those months, whether that is thin, and the
        departures of the bands the figure was pooled over."""
        tenure = np.clip(np.asarray(tenure, dtype=int), 0, HORIZON)
        months = np.minimum(tenure[:, None] + np.arange(WINDOW_MONTHS)[None, :], HORIZON - 1)
        beyond = tenure >= HORIZON
        customers = np.where(beyond, 0, self.customers[codes, np.minimum(tenure, HORIZON - 1)])
        inside = (tenure[:, None] + np.arange(WINDOW_MONTHS)[None, :]) < HORIZON
        departures = (self.departures[codes[:, None], months] * inside).sum(axis=1)
        first = self.first[codes[:, None], months].min(axis=1)
        last = self.last[codes[:, None], months].max(axis=1)
        cumulative = np.hstack([np.zeros((len(self.levels), 1)), np.cumsum(self.departures, 1)])
        behind = cumulative[codes, last + 1] - cumulative[codes, first]
        return {
            "customers": customers,
            "departures": departures,
            "thin": (customers < self.min_customers) | (departures < self.min_departures),
            "band_first_month": first + 1,
            "band_last_month": last + 1,
            "band_departures": behind,
        }


def spread(band_departures: np.ndarray, linear_variance: np.ndarray) -> np.ndarray:
    """sd of the log cumulative hazard (one event at least: no count makes it certain)."""
    return np.sqrt(1 / np.maximum(band_departures, 1) + np.asarray(linear_variance, float))


def bounds(ahead: np.ndarray, sd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Conditional curves of the interval's low-risk and high-risk ends: S^exp(∓1.96 sd)."""
    factor = np.exp(Z95 * np.asarray(sd, float))[:, None]
    ahead = np.clip(ahead, 1e-300, 1.0)
    return ahead ** (1 / factor), ahead**factor
