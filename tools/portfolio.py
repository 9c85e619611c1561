"""The portfolio view of the scored base: risk × value matrix and the at-risk table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from models.segments import RISK_LEVELS, VALUE_TIERS
from tools.schemas import AtRiskCustomer, AtRiskList
from tools.service import RetentionService


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


def at_risk_table(
    service: RetentionService,
    limit: int = 50,
    risk_level: str | None = None,
    value_tier: str | None = None,
) -> pd.DataFrame:
    """The most likely churners (filtered), with what the CSV export and the table show;
    `agents.present.at_risk_frame` puts it in a user's words."""
    top = _matching(service, risk_level, value_tier).head(limit)
    tenure = service.customers["tenure"].reindex(top["customerID"]).to_numpy()
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
        }
    ).reset_index(drop=True)


def matching_count(
    service: RetentionService, risk_level: str | None = None, value_tier: str | None = None
) -> int:
    """How many customers are of this risk level and value tier (None: any)."""
    return len(_matching(service, risk_level, value_tier))


def _matching(
    service: RetentionService, risk_level: str | None, value_tier: str | None
) -> pd.DataFrame:
    scores = service.scores()
    if risk_level:
        scores = scores[scores["risk_level"] == risk_level]
    if value_tier:
        scores = scores[scores["value_tier"] == value_tier]
    return scores


def at_risk_list(
    service: RetentionService,
    limit: int = 10,
    risk_level: str | None = None,
    value_tier: str | None = None,
) -> AtRiskList:
    """The customers most likely to churn, optionally of one risk level and value tier, with
    how many match in all (the list may be cut, the count never is)."""
    scored = service.scores()
    mask = np.ones(len(scored), dtype=bool)
    if risk_level:
        mask &= scored["risk_level"].eq(risk_level).to_numpy()
    if value_tier:
        mask &= scored["value_tier"].eq(value_tier).to_numpy()
    matching = scored[mask]
    return AtRiskList(
        customers=[
            AtRiskCustomer(
                customer_id=r.customerID,
                probability=float(r.churn_probability),
                risk_level=r.risk_level,
                value_tier=r.value_tier,
                monthly_charges=float(r.monthly_charges),
                top_driver=r.top_driver,
                top_actionable_driver=r.top_actionable_driver,
            )
            for r in matching.head(limit).itertuples(index=False)
        ],
        matching=int(mask.sum()),
        filters={"risk_level": risk_level, "value_tier": value_tier},
    )
