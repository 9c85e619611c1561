"""What the API answers with, beyond the tools' own models (which it returns as they are)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import Path
from pydantic import AfterValidator, BaseModel, Field

from core.types import Language
from crm_agents.store.database import in_utc
from graph.analysis import AnalysisResult
from tools.schemas import ChurnPrediction, ValueSegment
from tools.timing_schemas import TimeToChurn

#: A moment as the API writes it: RFC 3339 with its zone.
Moment = Annotated[datetime, AfterValidator(in_utc)]

#: A customer ID as a path segment. The OpenAPI document shows the settings' pattern
#: (CRM_CUSTOMER_ID_PATTERN); the service checks it and answers 422 naming it.
CustomerId = Annotated[str, Path(min_length=1, max_length=64)]


class CustomerRisk(BaseModel):
    """One customer's churn risk, value and timing, each from the models."""

    customer_id: str
    prediction: ChurnPrediction = Field(
        description="Probability, risk level and every driver's exact contribution"
    )
    value: ValueSegment = Field(description="Value tier, monthly charges and lifetime value")
    time_to_churn: TimeToChurn | None = Field(
        description="Chances of leaving within 30/90/180/365 days with 95 % intervals, and CLV; "
        "none when no time-to-churn model is trained"
    )


class AnalysisRequest(BaseModel):
    customer_id: str = Field(min_length=1, max_length=64)
    language: Language | None = Field(
        default=None, description="Of the written texts; default: the server's language"
    )


class AnalysisJob(BaseModel):
    id: str
    customer_id: str
    language: Language
    status: Literal["queued", "running", "completed", "failed"]
    created: Moment
    finished: Moment | None = None
    error: str | None = Field(default=None, description="Why it failed, when it did")
    result: AnalysisResult | None = Field(default=None, description="Once completed")


class Health(BaseModel):
    status: Literal["ok"]


class Readiness(BaseModel):
    ready: bool
    model: str = Field(description="The churn model in use")
    time_to_churn_model: bool
    database: str = Field(description="reachable, or why not")
    llm: str = Field(description="offline, closed (in use), or why the breaker is open")
