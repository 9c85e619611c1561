"""The range each numeric column of a customer file may take, before anything is computed.

A value outside it is refused at validation, with the column, the lines and the range: a
MonthlyCharges of 1e308 would otherwise reach the models as a number, overflow them and come
back as a probability of NaN. The defaults fit the Telco file (tenure ≤ 72 months, charges
≤ $118.75 a month and ≤ $8,684.80 in total) with a wide margin; `CRM_ACCEPTED_RANGES` changes
any of them (JSON, e.g. `{"MonthlyCharges": [0, 5000]}`; columns left out keep their default).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

#: (smallest, largest) accepted value per numeric column of the file and each behaviour signal.
DEFAULT_RANGES: dict[str, tuple[float, float]] = {
    "tenure": (0, 600),
    "MonthlyCharges": (0, 2_000),
    "TotalCharges": (0, 1_000_000),
    "recent_login_count": (0, 10_000),
    "complain_count": (0, 1_000),
    "usage_drop_rate": (0, 1),
}

#: Limits no setting may pass: a rate is at most 1 (no lower bound is below its default).
_CEILINGS = {"usage_drop_rate": 1.0}


def merged_ranges(given: Mapping[str, object]) -> dict[str, tuple[float, float]]:
    """The defaults with `given` laid over them, or a ValueError naming the column and what is
    accepted (known columns; two finite numbers, the first below the second)."""
    unknown = [name for name in given if name not in DEFAULT_RANGES]
    if unknown:
        raise ValueError(
            f"unknown column(s) {', '.join(map(repr, unknown))}; accepted: "
            f"{', '.join(DEFAULT_RANGES)}"
        )
    ranges = dict(DEFAULT_RANGES)
    for name, bounds in given.items():
        try:
            low, high = (float(b) for b in bounds)  # type: ignore[attr-defined]
        except (TypeError, ValueError):
            raise ValueError(
                f"{name}: {bounds!r} is not a pair of numbers; "
                f"e.g. [0, {DEFAULT_RANGES[name][1]:g}]"
            ) from None
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise ValueError(
                f"{name}: [{low:g}, {high:g}] must be two finite numbers, "
                "the first below the second"
            )
        floor, ceiling = DEFAULT_RANGES[name][0], _CEILINGS.get(name, math.inf)
        if low < floor or high > ceiling:
            limit = f"below {floor:g}" if low < floor else f"above {ceiling:g}"
            raise ValueError(f"{name}: a range cannot reach {limit}")
        ranges[name] = (low, high)
    return ranges
