"""What value tiers are cut on: MonthlyCharges (the brief's rule, the default) or customer
lifetime value from the time-to-churn model, at thresholds from the settings or at the base's
thirds. One `ValueBasis` per service, shown wherever a tier is shown."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.settings import Settings
from models.segments import tiers_by
from tools.refusals import Refusal
from tools.schemas import ValueBasis


class NoLifetimeModelError(Refusal, LookupError):
    """A lifetime figure was asked for, and no time-to-churn model is loaded."""


def value_basis(settings: Settings, lifetime_values: np.ndarray | None) -> ValueBasis:
    """The basis the settings ask for; CLV tiers need the base's lifetime values."""
    if settings.value_basis == "monthly_charges":
        return ValueBasis(
            measure="monthly_charges",
            high=settings.value_high,
            mid=settings.value_mid,
            source="settings",
        )
    if lifetime_values is None:
        raise NoLifetimeModelError("refusal.no_time_to_churn")
    if settings.clv_value_high is not None and settings.clv_value_mid is not None:
        high, mid, source = settings.clv_value_high, settings.clv_value_mid, "settings"
    else:
        mid, high = np.quantile(np.asarray(lifetime_values, dtype=float), [1 / 3, 2 / 3])
        source = "terciles"
    return ValueBasis(
        measure="lifetime_value",
        high=round(float(high), 2),
        mid=round(float(mid), 2),
        source=source,
    )


def retier_on_lifetime_value(scored: pd.DataFrame, settings: Settings) -> ValueBasis | None:
    """When the settings cut tiers on CLV, `scored` (with its `clv` column) gets its
    `value_tier` re-cut in place and the basis is returned; otherwise None, untouched."""
    if settings.value_basis != "lifetime_value":
        return None
    basis = value_basis(settings, scored["clv"].to_numpy())
    scored["value_tier"] = tiers_by(scored["clv"], basis.high, basis.mid)
    return basis
