"""The portfolio view of the scored base: risk × value matrix and the at-risk table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from models.segments import RISK_LEVELS, VALUE_TIERS
from models.urgency import urgency_order
from tools.schemas import AtRiskCustomer, AtRiskList
from tools.service.base_scores import AT_RISK_MONTHS
from tools.service.retention import NoLifetimeModelError, RetentionService
from tools.timing_schemas import Interval

#: How a list is ordered: churn probability, or urgency (`models/urgency.py`: the risk level
#: gates, the lifetime value expected to leave within 90 days orders within it).
ORDERS = ("probability", "urgency")


def risk_value_matrix(service: RetentionService) -> pd.DataFrame:
    """Per risk level × value tier cell (zeros included): customers, their monthly revenue, and
    the revenue at risk — Σ churn probability × MonthlyCharges, the monthly revenue expected to
    leave if nothing is done."""
    scores = service.scores().assign(
        at_risk=lambda s: s["churn_probability"] * s["monthly_charges"]
    )
    grouped = scores.groupby(["risk_level", "value_tier"], observed=False).agg(
        customers=("customerID", "size"),
        monthly_revenue=("monthly_charges", "sum"),
        monthly_revenue_at_risk=("at_risk", "sum"),
    )
    full = pd.MultiIndex.from_product(
        [RISK_LEVELS, VALUE_TIERS], names=["risk_level", "value_tier"]
    )
    matrix = grouped.reindex(full, fill_value=0).reset_index()
    for column in ("monthly_revenue", "monthly_revenue_at_risk"):
        matrix[column] = matrix[column].round(2)
    return matrix


def at_risk_over_time(service: RetentionService) -> pd.DataFrame:
    """Per horizon of 3, 6 and 12 months: customers expected to leave within it (Σ chance),
    monthly bills expected to go unpaid in it (Σ MonthlyCharges × months gone), and the lifetime
    value at risk (Σ chance of leaving within it × CLV), each with `_low` / `_high`: the sums
    over the customers' interval ends. Summing ends treats the customers' errors as moving
    together, which they largely do — the baseline hazard behind them is shared — so the band
    is wide rather than falsely narrow. Empty without the time-to-churn model."""
    if service.survival is None:
        return pd.DataFrame()
    scores = service.scores()
    rows = []
    for m in AT_RISK_MONTHS:
        row: dict[str, float] = {"months": m}
        # a low-risk world: fewer leave, each worth more; a high-risk one the other way round
        worlds = {"": ("", ""), "_low": ("_low", "_high"), "_high": ("_high", "_low")}
        at_risk = {
            end: float((scores[f"churn_within_{m}m{p}"] * scores[f"clv{v}"]).sum())
            for end, (p, v) in worlds.items()
        }
        for end in worlds:
            row[f"expected_leavers{end}"] = round(float(scores[f"churn_within_{m}m{end}"].sum()), 1)
            row[f"revenue_lost{end}"] = round(float(scores[f"revenue_lost_{m}m{end}"].sum()), 2)
        row["lifetime_value_at_risk"] = round(at_risk[""], 2)
        row["lifetime_value_at_risk_low"] = round(min(at_risk.values()), 2)
        row["lifetime_value_at_risk_high"] = round(max(at_risk.values()), 2)
        rows.append(row)
    return pd.DataFrame(rows)


def at_risk_table(
    service: RetentionService,
    limit: int = 50,
    risk_level: str | None = None,
    value_tier: str | None = None,
    order: str = "probability",
) -> pd.DataFrame:
    """The most likely churners (filtered), or the most urgent, with what the CSV export and the
    table show; `agents.present.portfolio_words.at_risk_frame` puts it in a user's words."""
    top = _ordered(_matching(service, risk_level, value_tier), service, order).head(limit)
    tenure = service.customers["tenure"].reindex(top["customerID"]).to_numpy()
    lifetime = (
        {
            "churn_within_90d_percent": (top["churn_within_90d"] * 100).round(1),
            "churn_within_90d_low_percent": (top["churn_within_90d_low"] * 100).round(1),
            "churn_within_90d_high_percent": (top["churn_within_90d_high"] * 100).round(1),
            "thin_support": top["thin_support"],
            "support_customers": top["support_customers"],
            "support_departures": top["support_departures"],
            "expected_loss_90d": top["expected_loss_90d"].round(2),
            "call_this_week": top["call_this_week"],
            "median_months_left": top["median_months_left"],
            "median_months_left_low": top["median_months_left_low"],
            "median_months_left_high": top["median_months_left_high"],
            "lifetime_value": top["clv"].round(2),
            "lifetime_value_low": top["clv_low"].round(2),
            "lifetime_value_high": top["clv_high"].round(2),
        }
        if service.survival is not None
        else {}
    )
    return pd.DataFrame(
        {
            "customer_id": top["customerID"],
            "churn_probability_percent": (top["churn_probability"] * 100).round(1),
            "risk_level": top["risk_level"],
            "value_tier": top["value_tier"],
            "monthly_charges": top["monthly_charges"].round(2),
            "tenure": tenure,
            "top_driver": top["top_driver"],
            "top_actionable_driver": top["top_actionable_driver"],
            **lifetime,
        }
    ).reset_index(drop=True)


def _ordered(scores: pd.DataFrame, service: RetentionService, order: str) -> pd.DataFrame:
    """Scores are kept most likely first; urgency re-sorts them by `urgency_order`."""
    if order not in ORDERS:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
    if order == "probability":
        return scores
    if service.survival is None:
        raise NoLifetimeModelError("refusal.no_time_to_churn")
    return urgency_order(scores)


def matching_count(
    service: RetentionService, risk_level: str | None = None, value_tier: str | None = None
) -> int:
    """How many customers are of this risk level and value tier (None: any)."""
    return len(_matching(service, risk_level, value_tier))


def calls_this_week(
    service: RetentionService, risk_level: str | None = None, value_tier: str | None = None
) -> int:
    """How many of the matching customers to call this week (0 without the time-to-churn
    model, which decides how soon)."""
    if service.survival is None:
        return 0
    return int(_matching(service, risk_level, value_tier)["call_this_week"].sum())


def _matching(
    service: RetentionService, risk_level: str | None, value_tier: str | None
) -> pd.DataFrame:
    scores = service.scores()
    if risk_level:
        scores = scores[scores["risk_level"] == risk_level]
    if value_tier:
        scores = scores[scores["value_tier"] == value_tier]
    return scores


def at_risk_customers(rows: pd.DataFrame, with_lifetime: bool) -> list[AtRiskCustomer]:
    """Scored rows (with their `customerID`) as the tools return customers at risk; time to
    churn and lifetime value only `with_lifetime` (a time-to-churn model scored them)."""
    return [
        AtRiskCustomer(
            customer_id=str(r.customerID),
            probability=float(r.churn_probability),
            risk_level=r.risk_level,
            value_tier=r.value_tier,
            monthly_charges=float(r.monthly_charges),
            top_driver=r.top_driver,
            top_actionable_driver=r.top_actionable_driver,
            churn_within_90d=float(r.churn_within_90d) if with_lifetime else None,
            churn_within_90d_interval=Interval(
                low=float(r.churn_within_90d_low), high=float(r.churn_within_90d_high)
            )
            if with_lifetime
            else None,
            thin_support=bool(r.thin_support) if with_lifetime else None,
            lifetime_value=float(r.clv) if with_lifetime else None,
            lifetime_value_interval=Interval(low=float(r.clv_low), high=float(r.clv_high))
            if with_lifetime
            else None,
            expected_loss_90d=float(r.expected_loss_90d) if with_lifetime else None,
            call_this_week=bool(r.call_this_week) if with_lifetime else None,
        )
        for r in rows.itertuples(index=False)
    ]


def at_risk_list(
    service: RetentionService,
    limit: int = 10,
    risk_level: str | None = None,
    value_tier: str | None = None,
    order: str = "probability",
    call_this_week_only: bool = False,
) -> AtRiskList:
    """The customers most likely to churn (or most urgent), optionally of one risk level and
    value tier, with how many match in all (the list may be cut, the count never is)."""
    scored = service.scores()
    mask = np.ones(len(scored), dtype=bool)
    if risk_level:
        mask &= scored["risk_level"].eq(risk_level).to_numpy()
    if value_tier:
        mask &= scored["value_tier"].eq(value_tier).to_numpy()
    timed = service.survival is not None
    if call_this_week_only:
        if not timed:
            raise NoLifetimeModelError("refusal.no_time_to_churn")
        mask &= scored["call_this_week"].to_numpy(dtype=bool)
    matching = _ordered(scored[mask], service, order)
    return AtRiskList(
        customers=at_risk_customers(matching.head(limit), timed),
        matching=int(mask.sum()),
        call_this_week=int(scored["call_this_week"][mask].sum()) if timed else None,
        urgent_within_90d=service.settings.urgent_within_90d if timed else None,
        filters={
            "risk_level": risk_level,
            "value_tier": value_tier,
            "order": order,
            "call_this_week_only": "yes" if call_this_week_only else None,
        },
        value_basis=service.value_basis(),
    )


def typical_customers(service: RetentionService) -> dict[str, str]:
    """One customer per risk level whose probability sits in the middle of that level's band
    (high: between risk_high and 1; medium: between the two thresholds; low: below
    risk_medium), so an example never reads as borderline (69.99 % "high"). Levels with no
    customer are left out."""
    scores, settings = service.scores(), service.settings
    middles = {
        "high": (settings.risk_high + 1) / 2,
        "medium": (settings.risk_medium + settings.risk_high) / 2,
        "low": settings.risk_medium / 2,
    }
    found = {}
    for level in RISK_LEVELS:
        rows = scores[scores["risk_level"] == level]
        if len(rows):
            distance = (rows["churn_probability"] - middles[level]).abs().to_numpy()
            found[level] = str(rows["customerID"].iloc[int(np.argmin(distance))])
    return found
