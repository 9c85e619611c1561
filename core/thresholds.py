"""The thresholds that cut customers into risk levels and value tiers, and the rule that keeps
them in order: the settings check it at start-up, a run's context when it overrides them."""

from __future__ import annotations

from collections.abc import Callable

#: The tier thresholds a run may override, as (lower, higher, what both are).
_ORDERED = (
    ("risk_medium", "risk_high", "both are probabilities between 0 and 1"),
    ("value_mid", "value_high", "both are MonthlyCharges amounts"),
)
THRESHOLDS = ("risk_high", "risk_medium", "value_high", "value_mid")


def threshold_order_problem(
    values: dict[str, float], name: Callable[[str], str] = str
) -> str | None:
    """Why these thresholds cannot tier customers (a lower one not below its higher), or None.
    `name` spells a threshold as the reader set it (an environment variable, a context field)."""
    for low, high, what in _ORDERED:
        if not values[low] < values[high]:
            return (
                f"{name(low)} ({values[low]:g}) must be below {name(high)} ({values[high]:g}); "
                f"{what}"
            )
    return None
