"""What-if changes: which features may change, and to what (checked before any re-scoring)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from data.schema import CATEGORICAL_VALUES
from tools.refusals import Refusal


class InvalidChangeError(Refusal, ValueError):
    """A what-if change names an unknown feature or a value the feature cannot take."""


def checked_changes(changes: dict[str, object], features: Sequence[str]) -> dict[str, object]:
    """The changes with numbers as floats, or an error naming the feature and what it accepts."""
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
        if not np.isfinite(number) or number < 0:
            raise InvalidChangeError("refusal.needs_positive", feature=feature, value=value)
        checked[feature] = number
    return checked
