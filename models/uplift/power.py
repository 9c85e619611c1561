"""How many customers a campaign needs before its effect can show.

The two-sided test of two proportions at level α with power 1 − β, without continuity
correction (Fleiss, Levin & Paik, *Statistical Methods for Rates and Proportions*, 3rd ed.,
eq. 4.14), with a treated arm `ratio` times the control arm:

    n_control = (z_α/2 · √(p̄ q̄ (1 + 1/k)) + z_β · √(p0 q0 + p1 q1 / k))² / (p1 − p0)²

where k is the ratio and p̄ the rate of both arms pooled. The minimum detectable effect is the
smallest change of the control's rate that this many customers would detect.
"""

from __future__ import annotations

from math import ceil, sqrt

from scipy.stats import norm

ALPHA = 0.05
POWER = 0.8


def _needed(p_control: float, p_treated: float, ratio: float, alpha: float, power: float) -> float:
    q_control, q_treated = 1 - p_control, 1 - p_treated
    pooled = (p_control + ratio * p_treated) / (1 + ratio)
    spread = norm.ppf(1 - alpha / 2) * sqrt(pooled * (1 - pooled) * (1 + 1 / ratio))
    spread += norm.ppf(power) * sqrt(p_control * q_control + p_treated * q_treated / ratio)
    return spread**2 / (p_treated - p_control) ** 2


def control_size_needed(
    p_control: float,
    p_treated: float,
    ratio: float = 1.0,
    alpha: float = ALPHA,
    power: float = POWER,
) -> int:
    """Control customers needed (the treated arm is `ratio` times as large)."""
    if not (0 < p_control < 1 and 0 < p_treated < 1) or p_control == p_treated:
        raise ValueError("the two rates must differ and lie strictly between 0 and 1")
    return ceil(_needed(p_control, p_treated, ratio, alpha, power))


def minimum_detectable_effect(
    treated: int,
    control: int,
    p_control: float,
    alpha: float = ALPHA,
    power: float = POWER,
) -> float | None:
    """The smallest rise of the control's rate (p1 − p0 > 0) that `treated` and `control`
    customers detect; None when no rise up to a rate of 1 would be detected."""
    if treated <= 0 or control <= 0 or not 0 < p_control < 1:
        raise ValueError("a test needs customers in both arms and a rate strictly inside 0–1")
    ratio = treated / control
    low, high = 0.0, 1 - p_control
    if _needed(p_control, p_control + high * (1 - 1e-9), ratio, alpha, power) > control:
        return None
    for _ in range(60):  # bisection: the customers needed fall as the effect grows
        middle = (low + high) / 2
        if middle == 0 or _needed(p_control, p_control + middle, ratio, alpha, power) > control:
            low = middle
        else:
            high = middle
    return high
