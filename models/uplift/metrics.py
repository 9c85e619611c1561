"""The effect of a campaign and how well a ranking finds who it moves.

The average effect is a difference of two proportions (treated − control) with Newcombe's
hybrid score interval (his method 10, from two Wilson intervals): unlike the Wald interval it
keeps its 95 % coverage with few outcomes or rates near 0 or 1, which is where campaigns live.

The Qini coefficient follows scikit-uplift's `qini_auc_score` (negative effects allowed): the
area between a ranking's Qini curve and the straight line of a random ranking, divided by the
same area for the perfect ranking. A random ranking scores about 0; the perfect one 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import sqrt

import numpy as np
from scipy.stats import norm

INTERVAL_METHOD = "Newcombe hybrid score interval (two Wilson intervals), 95 %"


def _binary(values, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1 or not np.isin(array, (0, 1)).all():
        raise ValueError(f"{name} must be a 1-d array of 0 and 1")
    return array.astype(int)


def wilson(successes: int, total: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson's score interval for a proportion."""
    if total == 0:
        return 0.0, 1.0
    z = norm.ppf(0.5 + confidence / 2)
    p = successes / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Effect:
    """Treated minus control outcome rate, with its interval."""

    treated: int
    control: int
    treated_rate: float
    control_rate: float
    difference: float
    low: float
    high: float
    method: str = INTERVAL_METHOD

    @property
    def conclusive(self) -> bool:
        """Whether the interval excludes no effect."""
        return self.low > 0 or self.high < 0


def average_effect(outcome, treated, confidence: float = 0.95) -> Effect:
    """The campaign's average effect on the outcome rate, with Newcombe's interval."""
    y, w = _binary(outcome, "outcome"), _binary(treated, "treated")
    n1, n0 = int(w.sum()), int((1 - w).sum())
    if n1 == 0 or n0 == 0:
        raise ValueError("an effect needs treated and control customers")
    s1, s0 = int(y[w == 1].sum()), int(y[w == 0].sum())
    p1, p0 = s1 / n1, s0 / n0
    l1, u1 = wilson(s1, n1, confidence)
    l0, u0 = wilson(s0, n0, confidence)
    d = p1 - p0
    low = d - sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
    high = d + sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    return Effect(n1, n0, p1, p0, d, low, high)


def qini_curve(outcome, uplift, treated) -> tuple[np.ndarray, np.ndarray]:
    """Customers targeted (x) against the extra outcomes gained among them (y), best-ranked
    first; customers with the same score are taken together."""
    y, w = _binary(outcome, "outcome"), _binary(treated, "treated")
    score = np.asarray(uplift, dtype=float)
    order = np.argsort(score, kind="mergesort")[::-1]
    y, w, score = y[order], w[order], score[order]
    ends = np.r_[np.where(np.diff(score))[0], score.size - 1]
    n_treated = np.cumsum(w)[ends].astype(float)
    n_all = (ends + 1).astype(float)
    n_control = n_all - n_treated
    y_treated = np.cumsum(y * w)[ends].astype(float)
    y_control = np.cumsum(y * (1 - w))[ends].astype(float)
    scaled = np.divide(
        y_control * n_treated, n_control, out=np.zeros_like(y_control), where=n_control != 0
    )
    return np.r_[0.0, n_all], np.r_[0.0, y_treated - scaled]


def _area_above_random(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.trapezoid(y, x) - x[-1] * y[-1] / 2)


def qini_coefficient(outcome, uplift, treated) -> float:
    """The ranking's area above a random ranking, as a share of the perfect ranking's."""
    y, w = _binary(outcome, "outcome"), _binary(treated, "treated")
    perfect = qini_curve(y, y * w - y * (1 - w), w)
    best = _area_above_random(*perfect)
    if best == 0:
        return 0.0
    return _area_above_random(*qini_curve(y, uplift, w)) / best
