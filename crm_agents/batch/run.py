"""The nightly batch: score the whole base, analyse the customers worth acting on, store it all.

Safe to kill: scores go in as one transaction, analyses in chunks of `CHUNK` per transaction.
SIGINT/SIGTERM finish the chunk in hand and mark the run interrupted; `--resume` (or a kill -9
followed by `--resume`) continues the same run and skips every customer already stored.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass

import pandas as pd
from pydantic import BaseModel
from sqlalchemy.engine import Engine as SqlEngine

from core.i18n import Phrase, WordedError
from core.types import Language
from crm_agents.batch.engines import Engine, LocalEngine
from crm_agents.batch.errors import BatchError
from crm_agents.batch.health_steps import judge_accuracy, measure_drift_of, raise_alerts
from crm_agents.batch.process_control import graceful_stop
from crm_agents.batch.workers import writes_offline
from crm_agents.store import database
from graph.analysis import Analyzer
from models.churn.model import ChurnModel
from models.health.history import run_records
from models.segments import RiskLevel
from tools.service.retention import RetentionService

CHUNK = 100
#: Customers per chunk with an LLM: a chunk is one thread's work, stored in one transaction.
LLM_CHUNK = 4
RISK_ORDER: dict[str, int] = {"low": 0, "medium": 1, "high": 2}

Progress = Callable[[int, int], None]


class Failure(BaseModel):
    customer_id: str
    reason: str


class BatchSummary(BaseModel):
    run_id: int
    status: str
    #: Whether the base moved from the model's training data; None when not measured (`drift_note`).
    drift_shifted: bool | None = None
    drift_note: dict | None = None  # a phrase as JSON carries it: {"phrase", "values"}
    shifted_measures: list[str] = []
    customers_scored: int
    customers_eligible: int
    customers_analysed: int
    analysed_this_time: int
    customers_failed: int = 0
    failures: list[Failure] = []
    seconds: float


@dataclass
class _Run:
    """The run being worked on and the choices it was started with (a resumed run keeps its
    own)."""

    id: int
    min_risk: RiskLevel
    limit: int | None
    budget: float | None
    language: Language


@dataclass
class _Selection:
    """Who this run is about: the base scored, the customers eligible for an analysis, those
    already stored (analysed or failed) and those still to do."""

    scored: int
    eligible: list[str]
    done: set[str]
    todo: list[str]


def run_batch(
    analyzer: Analyzer,
    db_url: str,
    *,
    min_risk: RiskLevel = "medium",
    limit: int | None = None,
    workers: int = 1,
    budget: float | None = None,
    resume: bool = False,
    language: Language | None = None,
    progress: Progress = lambda done, total: None,
    engine: Engine | None = None,
) -> BatchSummary:
    """One run (or the rest of one, with `resume`) on `engine`: this process and its pool by
    default, or a cluster (`engines.open_engine`); the figures stored are the same."""
    started = time.perf_counter()
    kit = analyzer.kits.default
    work = engine or LocalEngine()
    store = database.open_store(db_url)
    run = _open(store, analyzer, resume, min_risk, limit, budget, language)
    # The service scores the base where the engine works, for this run only.
    kept = kit.service.partition_map
    try:
        kit.service.use_partition_map(work.partition_map)
        chosen = _select(store, kit.service, run, work)
        drift, drift_note = measure_drift_of(store, kit.service, run)
        judge_accuracy(store, kit.service, run)
        analysed, stopped_by = _drain(analyzer, store, run, chosen, workers, progress, work)
        status, total, failures = _finish(store, run, chosen, stopped_by)
    except Exception as err:
        with suppress(database.StoreError):  # a read-only or broken database cannot record it
            database.update_run(
                store,
                run.id,
                status="failed",
                error=kit.settings.redact(f"{type(err).__name__}: {err}")[:2000],
            )
        said = err.words if isinstance(err, WordedError) else str(err)
        raise BatchError(
            Phrase("batch.failed", {"run": run.id, "error": said, "next": _next_step(err)})
        ) from err
    finally:
        kit.service.use_partition_map(kept)
    return BatchSummary(
        run_id=run.id,
        status=status,
        drift_shifted=drift.shifted if drift else None,
        drift_note=drift_note,
        shifted_measures=[m.name for m in drift.measures if m.shifted] if drift else [],
        customers_scored=chosen.scored,
        customers_eligible=len(chosen.eligible),
        customers_analysed=total,
        analysed_this_time=analysed,
        customers_failed=len(failures),
        failures=[Failure(**f) for f in failures],
        seconds=time.perf_counter() - started,
    )


#: Failures that may pass by themselves (a database or a disk away for a moment, a slow network):
#: resuming can finish the run. Any other failure comes from the data, the model or the code and
#: would repeat on resume.
_PASSING = (database.StoreError, OSError, ConnectionError, TimeoutError)


def _next_step(err: Exception) -> Phrase:
    return Phrase("batch.resume_after_fix" if isinstance(err, _PASSING) else "batch.start_new")


def _open(
    engine: SqlEngine,
    analyzer: Analyzer,
    resume: bool,
    min_risk: RiskLevel,
    limit: int | None,
    budget: float | None,
    language: Language | None,
) -> _Run:
    """A new run, or the latest unfinished one when resuming (same data and model only)."""
    kit = analyzer.kits.default
    service = kit.service
    origin = service.data.origin
    if not resume:
        language = language or kit.settings.language
        run_id = database.start_run(
            engine,
            data_origin=origin.describe(),
            data_sha256=origin.sha256,
            model_version=service.card.version,
            backend=kit.writer.describe(),
            language=language,
            min_risk=min_risk,
            analysis_limit=limit,
            budget=budget,
        )
        return _Run(run_id, min_risk, limit, budget, language)
    run = database.latest_unfinished_run(engine)
    if run is None:
        raise BatchError(Phrase("batch.nothing_to_resume"))
    if run["data_sha256"] != origin.sha256 or run["model_version"] != service.card.version:
        raise BatchError(
            Phrase("batch.other_data", {"run": run["id"], "model": run["model_version"]})
        )
    database.update_run(engine, run["id"], status="running", error=None)
    return _Run(run["id"], run["min_risk"], run["analysis_limit"], run["budget"], run["language"])


def _records_part(customers: pd.DataFrame, model: ChurnModel) -> pd.DataFrame:
    return run_records(model, customers)


def _explained(
    scored: pd.DataFrame, service: RetentionService, run: _Run, work: Engine
) -> Iterator[pd.DataFrame]:
    """The run's score rows, a part of the base at a time, each with its explanation."""
    rows_of = pd.Index(scored["customerID"])
    for records in work.partition_map(_records_part, service.customers, service.model):
        # The part's score rows in the records' order: their columns sit side by side.
        part = scored.take(rows_of.get_indexer(records["customerID"])).reset_index(drop=True)
        part = pd.concat([part, records.drop(columns="customerID")], axis=1)
        yield part.assign(run_id=run.id).rename(columns={"customerID": "customer_id"})


def _select(engine: SqlEngine, service: RetentionService, run: _Run, work: Engine) -> _Selection:
    """Store the scores (once per run) and choose the customers to analyse, riskiest level
    first in the scores' order, skipping those already stored."""
    scored = service.scores()
    if database.count_rows(engine, database.scores, run.id) < len(scored):
        # Each score with what explains it, so a later run can say why the risk changed: the
        # explanations come part by part and are stored as they come (a million customers'
        # are gigabytes), in one transaction.
        database.insert_frames(engine, database.scores, _explained(scored, service, run, work))
    # Again on resume: a run killed between its scores and its alerts still raises each once.
    alerting = scored[["customerID", "churn_probability", "risk_level", "value_tier"]]
    raise_alerts(engine, service, run, alerting.rename(columns={"customerID": "customer_id"}))
    floor = RISK_ORDER[run.min_risk]
    eligible = scored[scored["risk_level"].map(RISK_ORDER) >= floor]["customerID"].tolist()
    eligible = eligible if run.limit is None else eligible[: run.limit]
    done = database.stored_customers(engine, database.analyses, run.id)
    done |= database.stored_customers(engine, database.failures, run.id)
    database.update_run(
        engine, run.id, customers_scored=len(scored), customers_eligible=len(eligible)
    )
    todo = [c for c in eligible if c not in done]
    return _Selection(len(scored), eligible, done, todo)


def _drain(
    analyzer: Analyzer,
    engine: SqlEngine,
    run: _Run,
    chosen: _Selection,
    workers: int,
    progress: Progress,
    work: Engine,
) -> tuple[int, str | None]:
    """Analyse the customers to do, a chunk per task, each chunk stored in one transaction as
    it comes back. Returns the customers analysed now and what stopped the run early (None when
    nothing did)."""
    analysed = processed = 0
    progress(len(chosen.done), len(chosen.eligible))
    # With an LLM, small chunks keep every thread busy (a chunk runs its customers in turn);
    # offline, large ones keep the transactions few.
    size = CHUNK if writes_offline(analyzer) else LLM_CHUNK
    chunks = iter([chosen.todo[i : i + size] for i in range(0, len(chosen.todo), size)])
    # Many customers: the whole base explained and re-scored under every offer in one pass
    # each, before any customer, instead of customer by customer.
    warm = len(chosen.todo) > CHUNK
    pool_of = work.analysis_pool(analyzer, workers, warm)
    with graceful_stop() as stop, pool_of as (pool, in_flight):
        # One task per chunk, a bounded number in flight: memory stays bounded and a stop
        # request waits only for the chunks already running.
        pending: list = []
        while True:
            while len(pending) < in_flight and not stop.requested:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                pending.append(pool.submit(chunk, run.language, run.id))
            if not pending:
                break
            try:
                rows, failed = pending.pop(0).result()
            except work.lost:
                # A worker was killed (a SIGTERM to the whole group, or the OOM killer) and
                # its work could not go elsewhere. Every stored chunk is whole; the rest waits
                # for --resume.
                time.sleep(0.2)  # let a pending SIGTERM/SIGINT handler record itself
                stop.requested = stop.requested or "a worker's death"
                break
            database.insert_chunk(engine, rows, failed)
            analysed += len(rows)
            processed += len(rows) + len(failed)
            progress(len(chosen.done) + processed, len(chosen.eligible))
    return analysed, stop.requested or None


def _finish(
    engine: SqlEngine, run: _Run, chosen: _Selection, stopped_by: str | None
) -> tuple[str, int, list[dict]]:
    """Record how the run ended: completed when every eligible customer is stored, else
    interrupted with what to do next. Returns (status, customers analysed, failures)."""
    total = database.count_rows(engine, database.analyses, run.id)
    failures = database.failures_of(engine, run.id)
    completed = total + len(failures) >= len(chosen.eligible)
    database.update_run(
        engine,
        run.id,
        status="completed" if completed else "interrupted",
        finished=database.now() if completed else None,
        customers_analysed=total,
        error=None if completed else f"stopped by {stopped_by}; continue with --resume",
    )
    return ("completed" if completed else "interrupted"), total, failures
