"""What-if changes: which features may change, and to what (checked before any re-scoring)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from core.ranges import DEFAULT_RANGES
from data.schema import CATEGORICAL_VALUES, COUNT_SIGNALS
from tools.refusals import Refusal


class InvalidChangeError(Refusal, ValueError):
    """A what-if change names an unknown feature or a value the feature cannot take."""


#: Numbers that count (months, events): a what-if may not set them to a fraction.
_WHOLE = ("tenure", *COUNT_SIGNALS)


def checked_changes(
    changes: dict[str, object],
    features: Sequence[str],
    ranges: Mapping[str, tuple[float, float]] = DEFAULT_RANGES,
) -> dict[str, object]:
    """The changes with numbers as floats, or an error naming the feature and what it accepts
    (a value the customer file would accept: inside the column's range)."""
    checked: dict[str, object] = {}
    for feature, value in changes.items():
        if feature not in features:
            raise InvalidChangeError(
                "refusal.unknown_feature", feature=feature, features=list(features)
            )
        if feature in CATEGORICAL_VALUES:
            allowed = CATEGORICAL_VALUES[feature]
            if value not in allowed:
                raise InvalidChangeError(
                    "refusal.bad_value", feature=feature, value=value, allowed=list(allowed)
                )
            checked[feature] = value
            continue
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise InvalidChangeError("refusal.needs_number", feature=feature, value=value) from None
        low, high = ranges.get(feature, (0.0, np.inf))
        whole = feature in _WHOLE
        if not (np.isfinite(number) and low <= number <= high) or (whole and number % 1):
            raise InvalidChangeError(
                "refusal.needs_whole_in_range" if whole else "refusal.needs_in_range",
                feature=feature,
                value=value,
                low=f"{low:g}",
                high=f"{high:g}",
            )
        checked[feature] = number
    return checked
