"""Model health: `/api/v1/runs` — per batch run, whether its base moved from the model's training
data, and each drift measure (the same records as `crm-agents health` and the app); and
`/api/v1/alerts` — the tasks runs raised for customers who crossed into high risk or rose fast,
listed and closed; `/api/v1/accuracy` — estimated and realised accuracy by month; and
`/api/v1/models` — the model versions kept."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field

from agents.present.health_words import drift_line
from core.i18n import Phrase
from crm_agents.api.problems import ApiProblem, Problem, caller_language
from crm_agents.api.schemas import CustomerId
from crm_agents.api.security import Approver, Reader, context_of
from crm_agents.store.accuracy import accuracy_by_month
from crm_agents.store.health import close_alert, drift_history, drift_of, open_alerts
from models.churn.persistence import CARD_FILE
from models.health.accuracy import MonthAccuracy
from models.health.drift import DriftMeasure
from models.health.registry import ModelVersion, Registry

router = APIRouter(tags=["model health"])
MOST_RUNS = 100


class RunHealth(BaseModel):
    id: int
    started: datetime
    status: str
    model_version: str
    customers_scored: int
    drift_shifted: bool | None = Field(
        description="Whether the run's base moved from the model's training data; null: not "
        "measured (see summary)"
    )
    shifted_measures: list[str]
    summary: str = Field(description="The run's drift in a sentence, in the caller's language")


class RunDrift(BaseModel):
    run_id: int
    drift_shifted: bool | None
    summary: str
    rows: int = Field(description="Customers measured")
    reference_rows: int = Field(description="Training customers the reference describes")
    measures: list[DriftMeasure] = Field(description="Every measure, the most moved first")


def _summary(row: dict, request: Request) -> str:
    note = json.loads(row["drift_note"]) if row.get("drift_note") else None
    language = caller_language(request, context_of(request).settings.language)
    return drift_line(row["drift_shifted"], row["shifted_measures"], note, language)


@router.get("/runs", response_model=list[RunHealth], summary="Batch runs, newest first, with drift")
def list_runs(
    request: Request,
    _key: Reader,
    limit: Annotated[int, Query(ge=1, le=MOST_RUNS)] = 30,
) -> list[RunHealth]:
    rows = drift_history(context_of(request).store, limit)
    return [
        RunHealth(
            **{k: row[k] for k in RunHealth.model_fields if k in row},
            summary=_summary(row, request),
        )
        for row in rows
    ]


@router.get(
    "/runs/{run_id}/drift",
    response_model=RunDrift,
    summary="A run's drift from the model's training data, measure by measure",
    responses={404: {"model": Problem, "description": "No such run"}},
)
def get_drift(
    run_id: Annotated[int, Path(ge=1, le=2**31 - 1)], request: Request, _key: Reader
) -> RunDrift:
    store = context_of(request).store
    row = next(iter(drift_history(store, 1, run_id)), None)
    if row is None:
        raise ApiProblem(404, Phrase("api.no_run", {"id": run_id}))
    report = drift_of(store, run_id)
    return RunDrift(
        run_id=run_id,
        drift_shifted=row["drift_shifted"],
        summary=_summary(row, request),
        rows=report.rows if report else row["customers_scored"] or 0,
        reference_rows=report.reference_rows if report else 0,
        measures=report.worst(len(report.measures)) if report else [],
    )


class RiskAlert(BaseModel):
    run_id: int
    customer_id: str
    kind: Literal["entered_high", "rose_fast"]
    probability_before: float
    probability_after: float
    risk_level_before: str
    risk_level_after: str
    value_tier: str
    owner: str
    status: Literal["open", "done"]
    created: datetime


@router.get("/alerts", response_model=list[RiskAlert], summary="Open risk alerts, newest first")
def list_alerts(
    request: Request,
    _key: Reader,
    owner: Annotated[str | None, Query(max_length=200, description="Only this owner's")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[RiskAlert]:
    found = open_alerts(context_of(request).store, owner, limit)
    return [RiskAlert(**{k: row[k] for k in RiskAlert.model_fields}) for row in found]


@router.post(
    "/alerts/{run_id}/{customer_id}/close",
    status_code=204,
    summary="Mark an open risk alert done",
    responses={404: {"model": Problem, "description": "No such open alert"}},
)
def close(
    run_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    customer_id: CustomerId,
    request: Request,
    key: Approver,
) -> Response:
    if not close_alert(context_of(request).store, run_id, customer_id, f"api:{key.name}"):
        raise ApiProblem(404, Phrase("api.no_alert", {"run": run_id, "id": customer_id}))
    return Response(status_code=204)


class AccuracyAnswer(BaseModel):
    card_roc_auc: float = Field(description="The live model card's cross-validated ROC-AUC")
    margin: float = Field(description="Fall below the card's ROC-AUC that flags a drop")
    months: list[MonthAccuracy] = Field(description="Newest first")


@router.get(
    "/accuracy",
    response_model=AccuracyAnswer,
    summary="Accuracy by month: estimated without outcomes, realised once they arrive",
)
def get_accuracy(request: Request, _key: Reader) -> AccuracyAnswer:
    context = context_of(request)
    card = context.assembly.service.card
    margin = context.settings.accuracy_drop
    months = accuracy_by_month(context.store, card.metrics.roc_auc, margin)
    return AccuracyAnswer(card_roc_auc=card.metrics.roc_auc, margin=margin, months=months)


@router.get(
    "/models",
    response_model=list[ModelVersion],
    summary="The model versions kept: the live champion, challengers and earlier ones",
)
def list_models(request: Request, _key: Reader) -> list[ModelVersion]:
    folder = context_of(request).settings.artifacts_dir
    return Registry(folder, last=CARD_FILE).versions()
