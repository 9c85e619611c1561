"""What a batch run records about model health, beside its scores: risk alerts against the
previous run, drift against the model's training data, the accuracy the model expects of its
scores, and the outcomes a labelled file brings (`crm-agents health` reads them)."""

from __future__ import annotations

import json
from typing import Protocol

import pandas as pd
from sqlalchemy.engine import Engine

from crm_agents.model_check import drift_reference
from crm_agents.store import database
from crm_agents.store.accuracy import record_estimate, record_labels
from crm_agents.store.health import previous_scores, record_alerts, record_drift
from data.schema import TARGET_COLUMN
from models.health.accuracy import calibrated, estimate
from models.health.alerts import risk_alerts
from models.health.drift import DriftReport, measure_drift
from tools.service.retention import RetentionService


class Run(Protocol):
    id: int


def raise_alerts(engine: Engine, service: RetentionService, run: Run, rows: pd.DataFrame) -> int:
    """Tasks for the owners of customers who crossed into high risk or rose fast since the
    previous run (none on a first run)."""
    previous = previous_scores(engine, run.id)
    if previous is None:
        return 0
    return record_alerts(engine, run.id, risk_alerts(previous, rows, service.settings))


def judge_accuracy(engine: Engine, service: RetentionService, run: Run) -> None:
    """The accuracy the model expects of this run's scores (trusted only if its probabilities
    were calibrated in cross-validation), and the outcomes this run's file brings, if any:
    they judge earlier runs' scores (`crm-agents health`)."""
    metrics = service.card.metrics
    reliable = calibrated(metrics.calibration_intercept, metrics.calibration_slope)
    record_estimate(engine, run.id, estimate(service.scores()["churn_probability"], reliable))
    if service.data.has_labels:
        churned = service.customers[TARGET_COLUMN].eq("Yes")
        record_labels(
            engine, run.id, churned, database.now().date(), service.data.origin.describe()
        )


def measure_drift_of(
    engine: Engine, service: RetentionService, run: Run
) -> tuple[DriftReport | None, dict | None]:
    """This run's base and scores against the model's training data, stored with the run (a
    resumed run measures again: same data, same model, same figures). Without a reference:
    None, and why (a phrase in its JSON form, worded where it is shown)."""
    settings = service.settings
    reference, why_not = drift_reference(service.model, service.card, service.data, settings)
    if reference is None:
        note = {"phrase": why_not.key, "values": dict(why_not.values)} if why_not else None
        record_drift(engine, run.id, None, json.dumps(note))
        return None, note
    scores = service.scores()
    # Only the column, indexed (a set_index would copy every column of a large base).
    scored = pd.Series(scores["churn_probability"].to_numpy(), index=scores["customerID"])
    probability = scored.reindex(service.customers.index).to_numpy()
    report = measure_drift(reference, service.customers, probability, settings)
    record_drift(engine, run.id, report)
    return report, None
