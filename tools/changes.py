"""What-if changes: which features may change, and to what (checked before any re-scoring)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from data.schema import CATEGORICAL_VALUES


class InvalidChangeError(ValueError):
    """A what-if change names an unknown feature or a value the feature cannot take."""


def checked_changes(changes: dict[str, object], features: Sequence[str]) -> dict[str, object]:
    """The changes with numbers as floats, or an error naming the feature and what it accepts."""
    checked: dict[str, object] = {}
    for feature, value in changes.items():
        if feature not in features:
            raise InvalidChangeError(
                f"cannot change {feature!r}: the model uses {', '.join(features)}"
            )
        if feature in CATEGORICAL_VALUES:
            allowed = CATEGORICAL_VALUES[feature]
            if value not in allowed:
                raise InvalidChangeError(
                    f"{feature} cannot be {value!r}; allowed: {', '.join(map(str, allowed))}"
                )
            checked[feature] = value
            continue
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise InvalidChangeError(f"{feature} needs a number, got {value!r}") from None
        if not np.isfinite(number) or number < 0:
            raise InvalidChangeError(f"{feature} needs a number ≥ 0, got {value!r}")
        checked[feature] = number
    return checked
