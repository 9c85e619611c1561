"""Business rules on top of the model: risk levels and value tiers (thresholds in settings)."""

from __future__ import annotations

from typing import Literal

import numpy as np

from core.settings import Settings

RiskLevel = Literal["high", "medium", "low"]
ValueTier = Literal["high", "mid", "low"]
RISK_LEVELS: tuple[RiskLevel, ...] = ("high", "medium", "low")
#: What a customer whose probability could not be computed is labelled instead of a level.
UNSCORED = "unscored"
VALUE_TIERS: tuple[ValueTier, ...] = ("high", "mid", "low")


def risk_levels(probability: np.ndarray, settings: Settings) -> np.ndarray:
    """high: p ≥ risk_high; medium: risk_medium ≤ p < risk_high; low: below; `UNSCORED` when p
    is not a number (never "low": a score that could not be computed says nothing of risk)."""
    p = np.asarray(probability, dtype=float)
    levels = np.where(
        p >= settings.risk_high, "high", np.where(p >= settings.risk_medium, "medium", "low")
    )
    return np.where(np.isfinite(p), levels, UNSCORED).astype(object)


def value_tiers(monthly_charges: np.ndarray, settings: Settings) -> np.ndarray:
    """high: MonthlyCharges ≥ value_high; mid: ≥ value_mid; low: below."""
    return tiers_by(monthly_charges, settings.value_high, settings.value_mid)


def tiers_by(amounts: np.ndarray, high: float, mid: float) -> np.ndarray:
    """high: amount ≥ `high`; mid: ≥ `mid`; low: below (any amount: charges or lifetime value)."""
    m = np.asarray(amounts, dtype=float)
    return np.where(m >= high, "high", np.where(m >= mid, "mid", "low")).astype(object)


def risk_level(probability: float, settings: Settings) -> RiskLevel:
    return str(risk_levels(np.array([probability]), settings)[0])  # type: ignore[return-value]


def value_tier(monthly_charges: float, settings: Settings) -> ValueTier:
    return str(value_tiers(np.array([monthly_charges]), settings)[0])  # type: ignore[return-value]


def clv_estimate(monthly_charges: float | np.ndarray, settings: Settings):
    """Revenue at stake over the planning horizon: MonthlyCharges × clv_horizon_months."""
    return np.round(np.asarray(monthly_charges, dtype=float) * settings.clv_horizon_months, 2)
