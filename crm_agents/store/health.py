"""Model health in the results database: each run's drift (table `drift`, and the run's flag
`runs.drift_shifted`), read back per run and over runs — rows are written in one transaction with
the flag, and a resumed run replaces its own: a run has one drift, whole or none — each
customer's score run by run (`StoredRiskHistory`, the risk history's source), and the risk
alerts a run raises (each announced as a `customer.risk_changed` webhook event in the same
transaction)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

import pandas as pd
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Engine

from core.i18n import WordedError
from crm_agents.store.database import in_utc, now, writing
from crm_agents.store.outbox import emit
from crm_agents.store.schema import drift, risk_alerts, runs, scores
from models.health.drift import DriftMeasure, DriftReport
from models.health.history import RunPoint


class RunNotFoundError(WordedError, LookupError):
    """No run to show, or not the one asked for."""


_DETAIL = ("labels", "reference_shares", "current_shares", "reference_value", "current_value")


def record_drift(
    engine: Engine, run_id: int, report: DriftReport | None, note: str | None = None
) -> None:
    """The run's drift and its flag; `report` None records why nothing was measured (`note`)."""
    rows = [
        {
            "run_id": run_id,
            **measure.model_dump(exclude=set(_DETAIL)),
            "detail": json.dumps(measure.model_dump(include=set(_DETAIL))),
        }
        for measure in (report.measures if report else [])
    ]
    with writing(), engine.begin() as connection:
        connection.execute(delete(drift).where(drift.c.run_id == run_id))
        if rows:
            connection.execute(insert(drift), rows)
        connection.execute(
            update(runs)
            .where(runs.c.id == run_id)
            .values(
                drift_shifted=report.shifted if report else None,
                drift_note=None if report else note,
                drift_reference_rows=report.reference_rows if report else None,
            )
        )


def drift_of(engine: Engine, run_id: int) -> DriftReport | None:
    """The run's drift as measured, or None when it was not measured."""
    with engine.connect() as connection:
        run = connection.execute(
            select(runs.c.customers_scored, runs.c.drift_reference_rows).where(runs.c.id == run_id)
        ).first()
        found = connection.execute(
            select(drift).where(drift.c.run_id == run_id).order_by(drift.c.name)
        ).mappings()
        measures = [_measure(dict(row)) for row in found]
    if run is None or not measures:
        return None
    return DriftReport(rows=int(run[0] or 0), reference_rows=int(run[1] or 0), measures=measures)


def _measure(row: dict) -> DriftMeasure:
    detail = json.loads(row.pop("detail"))
    row.pop("run_id", None)
    return DriftMeasure(**row, **detail)


def drift_history(engine: Engine, limit: int = 30, run_id: int | None = None) -> list[dict]:
    """The newest runs first (or only `run_id`): id, when, model, customers, whether shifted
    (None: not measured, with the note) and the shifted measures' names."""
    query = (
        select(
            runs.c.id,
            runs.c.started,
            runs.c.status,
            runs.c.model_version,
            runs.c.customers_scored,
            runs.c.drift_shifted,
            runs.c.drift_note,
        )
        .order_by(runs.c.id.desc())
        .limit(limit)
    )
    if run_id is not None:
        query = query.where(runs.c.id == run_id)
    with engine.connect() as connection:
        found = [dict(row) for row in connection.execute(query).mappings()]
        flagged = connection.execute(
            select(drift.c.run_id, drift.c.name)
            .where(drift.c.shifted.is_(True), drift.c.run_id.in_([r["id"] for r in found]))
            .order_by(drift.c.run_id, drift.c.name)
        ).all()
    names: dict[int, list[str]] = {}
    for run_id, name in flagged:
        names.setdefault(run_id, []).append(name)
    for row in found:
        row["started"] = in_utc(row["started"])
        row["shifted_measures"] = names.get(row["id"], [])
    return found


class StoredRiskHistory:
    """A customer's scores run by run, from the results database opened on first use (a
    command that never asks about history never opens it)."""

    def __init__(self, open_engine: Callable[[], Engine]) -> None:
        self._open = open_engine
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    def _store(self) -> Engine:
        with self._lock:
            if self._engine is None:
                self._engine = self._open()
            return self._engine

    def points(self, customer_id: str, limit: int = 12) -> list[RunPoint]:
        """The customer's newest `limit` runs, oldest first."""
        query = (
            select(
                runs.c.id,
                runs.c.started,
                runs.c.model_version,
                scores.c.churn_probability,
                scores.c.risk_level,
                scores.c.churn_within_90d,
                scores.c.base_logit,
                scores.c.drivers,
                scores.c.inputs,
            )
            .join(runs, runs.c.id == scores.c.run_id)
            .where(scores.c.customer_id == customer_id)
            .order_by(runs.c.id.desc())
            .limit(limit)
        )
        with self._store().connect() as connection:
            found = [dict(row) for row in connection.execute(query).mappings()]
        return [
            RunPoint(
                run_id=row["id"],
                started=in_utc(row["started"]),
                model_version=row["model_version"],
                probability=row["churn_probability"],
                risk_level=row["risk_level"],
                churn_within_90d=row["churn_within_90d"],
                base_logit=row["base_logit"],
                contributions=json.loads(row["drivers"]) if row["drivers"] else {},
                inputs=json.loads(row["inputs"]) if row["inputs"] else {},
            )
            for row in reversed(found)
        ]


def previous_scores(engine: Engine, run_id: int) -> pd.DataFrame | None:
    """The scores of the newest earlier run that stored any, or None when there is none."""
    with engine.connect() as connection:
        earlier = connection.execute(
            select(func.max(scores.c.run_id)).where(scores.c.run_id < run_id)
        ).scalar_one()
        if earlier is None:
            return None
        query = select(scores.c.customer_id, scores.c.churn_probability, scores.c.risk_level)
        return pd.read_sql(query.where(scores.c.run_id == earlier), connection)


def record_alerts(engine: Engine, run_id: int, alerts: pd.DataFrame) -> int:
    """The run's alerts (replacing its own, for a resumed run), each announced as a
    `customer.risk_changed` webhook event in the same transaction."""
    moment = now()
    rows = [
        {**row, "run_id": run_id, "status": "open", "created": moment}
        for row in alerts.to_dict("records")
    ]
    with writing(), engine.begin() as connection:
        known = {
            r[0]
            for r in connection.execute(
                select(risk_alerts.c.customer_id).where(risk_alerts.c.run_id == run_id)
            )
        }
        fresh = [row for row in rows if row["customer_id"] not in known]
        if fresh:
            connection.execute(insert(risk_alerts), fresh)
        for row in fresh:
            emit(
                connection,
                "customer.risk_changed",
                {k: row[k] for k in ("run_id", "customer_id", "kind", "owner")}
                | {
                    "probability_before": row["probability_before"],
                    "probability_after": row["probability_after"],
                    "risk_level_after": row["risk_level_after"],
                },
            )
    return len(fresh)


def open_alerts(engine: Engine, owner: str | None = None, limit: int = 200) -> list[dict]:
    """Open alerts, newest run first and the likeliest to leave first within it."""
    query = select(risk_alerts).where(risk_alerts.c.status == "open")
    if owner is not None:
        query = query.where(risk_alerts.c.owner == owner)
    query = query.order_by(
        risk_alerts.c.run_id.desc(), risk_alerts.c.probability_after.desc()
    ).limit(limit)
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(query).mappings()]


def close_alert(engine: Engine, run_id: int, customer_id: str, by: str) -> bool:
    """Mark an open alert done; False when there is no such open alert."""
    with writing(), engine.begin() as connection:
        done = connection.execute(
            update(risk_alerts)
            .where(
                risk_alerts.c.run_id == run_id,
                risk_alerts.c.customer_id == customer_id,
                risk_alerts.c.status == "open",
            )
            .values(status="done", closed=now(), closed_by=by)
        )
    return done.rowcount == 1
