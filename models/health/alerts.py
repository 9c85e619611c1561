"""Risk alerts: the customers whose risk moved between two runs in a way someone should act on —
those who crossed into high risk, and those whose churn probability rose fast (by
`alert_rise_points` or more) — each with an owner by a rule on its value tier."""

from __future__ import annotations

import pandas as pd

ENTERED_HIGH = "entered_high"
ROSE_FAST = "rose_fast"
ALERT_COLUMNS = (
    "customer_id",
    "kind",
    "probability_before",
    "probability_after",
    "risk_level_before",
    "risk_level_after",
    "value_tier",
    "owner",
)


def risk_alerts(previous: pd.DataFrame, current: pd.DataFrame, settings) -> pd.DataFrame:
    """Alerts from two runs' scores (columns customer_id, churn_probability, risk_level and,
    in `current`, value_tier). A customer new in `current` has no earlier score: no alert.
    One alert per customer: crossing into high wins over a fast rise."""
    earlier = previous[["customer_id", "churn_probability", "risk_level"]]
    both = current.merge(earlier, on="customer_id", suffixes=("_after", "_before"))
    rise = both["churn_probability_after"] - both["churn_probability_before"]
    entered = both["risk_level_after"].eq("high") & both["risk_level_before"].ne("high")
    fast = rise >= settings.alert_rise_points
    chosen = both[entered | fast].copy()
    chosen["kind"] = [ENTERED_HIGH if e else ROSE_FAST for e in entered[entered | fast]]
    chosen["owner"] = chosen["value_tier"].map(lambda tier: settings.alert_owners.get(tier))
    chosen["owner"] = chosen["owner"].fillna(settings.alert_owners.get("default", ""))
    renamed = chosen.rename(
        columns={
            "churn_probability_before": "probability_before",
            "churn_probability_after": "probability_after",
        }
    )
    return renamed.reindex(columns=list(ALERT_COLUMNS)).sort_values(
        ["kind", "probability_after"], ascending=[True, False], ignore_index=True
    )
