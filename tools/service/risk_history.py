"""A customer's risk run by run, and why it changed between the last two runs (the drivers that
moved it, the customer's part and the model's part: `models/health/history.py`). The runs come
from a source the composition root injects (the results database); without one, or before any
run, the history is empty and says so."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, Field

from models.churn.model import ChurnModel
from models.health.history import RiskChange, RunPoint, explain_change, inputs_differ

#: Runs shown in a trend.
SHOWN_RUNS = 12


class RiskHistorySource(Protocol):
    def points(self, customer_id: str, limit: int = SHOWN_RUNS) -> list[RunPoint]: ...


class RiskPoint(BaseModel):
    run_id: int
    started: datetime
    model_version: str
    probability: float
    risk_level: str
    churn_within_90d: float | None = None


class RiskHistory(BaseModel):
    customer_id: str
    points: list[RiskPoint] = Field(description="The customer's runs, oldest first")
    margin: float = Field(description="Change of probability from which `change` is explained")
    moved: bool = Field(description="Whether the last two runs differ by at least the margin")
    change: RiskChange | None = Field(
        description="Between the last two runs, driver by driver (when they moved by at least "
        "the margin and both stored their contributions)"
    )
    inputs_changed: list[str] = Field(
        default=[], description="Features whose value changed between the last two runs"
    )


def risk_history(
    customer_id: str,
    source: RiskHistorySource | None,
    model_now: ChurnModel,
    version_now: str,
    margin: float,
) -> RiskHistory:
    points = source.points(customer_id) if source is not None else []
    shown = [RiskPoint(**p.model_dump(include=set(RiskPoint.model_fields))) for p in points]
    if len(points) < 2:
        return RiskHistory(
            customer_id=customer_id, points=shown, margin=margin, moved=False, change=None
        )
    before, after = points[-2], points[-1]
    moved = abs(after.probability - before.probability) >= margin
    change = None
    if moved and before.explained and after.explained:
        change = explain_change(before, after, model_now, version_now)
    return RiskHistory(
        customer_id=customer_id,
        points=shown,
        margin=margin,
        moved=moved,
        change=change,
        inputs_changed=inputs_differ(before, after),
    )
