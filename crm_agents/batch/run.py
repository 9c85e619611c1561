"""The nightly batch: score the whole base, analyse the customers worth acting on, store it all.

Safe to kill: scores go in as one transaction, analyses in chunks of `CHUNK` per transaction.
SIGINT/SIGTERM finish the chunk in hand and mark the run interrupted; `--resume` (or a kill -9
followed by `--resume`) continues the same run and skips every customer already stored.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress

from pydantic import BaseModel

from agents.llm.writer import OfflineWriter
from core.types import Language
from crm_agents.batch.process_control import graceful_stop, init_worker
from crm_agents.store import database
from graph.analysis import AnalysisResult, Analyzer
from models.segments import RiskLevel
from tools.service.retention import RetentionService

CHUNK = 100
RISK_ORDER: dict[str, int] = {"low": 0, "medium": 1, "high": 2}

Progress = Callable[[int, int], None]


class BatchError(RuntimeError):
    """The batch cannot start or continue; the message says why and what to do."""


class Failure(BaseModel):
    customer_id: str
    reason: str


class BatchSummary(BaseModel):
    run_id: int
    status: str
    customers_scored: int
    customers_eligible: int
    customers_analysed: int
    analysed_this_time: int
    customers_failed: int = 0
    failures: list[Failure] = []
    seconds: float


def _model_version(service: RetentionService) -> str:
    card = service.card
    return f"{card.model}/{card.feature_set} sha256:{card.artifact_sha256[:12]}"


def _analysis_row(run_id: int, result: AnalysisResult) -> dict:
    plan, messages, lifetime = result.campaign, result.communications, result.risk.lifetime
    script = None
    if messages is not None:
        s = messages.call_script
        script = "\n".join(
            [s.greeting, s.reason_for_call, s.offer]
            + [f"{o.objection} — {o.answer}" for o in s.objections]
            + [s.close]
        )
    return {
        "run_id": run_id,
        "customer_id": result.customer_id,
        "churn_probability": result.risk.probability,
        "risk_level": result.risk.risk_level,
        "value_tier": result.risk.value_tier,
        "offer_id": plan.offer.offer_id if plan else None,
        "offer_title": plan.offer_title if plan else None,
        "total_cost": plan.offer.total_cost if plan else None,
        "expected_value": plan.offer.expected_value if plan else None,
        "worth_its_cost": plan.worth_its_cost if plan else None,
        "churn_within_90d": lifetime.churn_within_90d if lifetime else None,
        "clv": lifetime.lifetime_value if lifetime else None,
        "lifetime_value_saved": plan.offer.lifetime_value_saved if plan else None,
        "email_subject": messages.email.subject if messages else None,
        "email_body": messages.email.body if messages else None,
        "sms": messages.sms.text if messages else None,
        "call_script": script,
        "written_by": result.backend,
        "result_json": result.model_dump_json(),
    }


# A forked worker's copy of the parent's analyzer (set before the fork, never pickled).
_WORKER: Analyzer | None = None


def _analyse_chunk(
    chunk: list[str], language: Language, run_id: int
) -> tuple[list[dict], list[dict]]:
    """(analyses, failures) of one chunk: a customer that cannot be analysed is recorded with
    its reason, and the others go on."""
    assert _WORKER is not None
    redact = _WORKER.kits.default.settings.redact
    analysed, failed = [], []
    for customer_id in chunk:
        try:
            analysed.append(_analysis_row(run_id, _WORKER.run(customer_id, language=language)))
        except Exception as err:  # one customer's failure must not stop the run
            reason = redact(f"{type(err).__name__}: {err}")[:500]
            failed.append({"run_id": run_id, "customer_id": customer_id, "reason": reason})
    return analysed, failed


@contextmanager
def _executor(analyzer: Analyzer, workers: int) -> Iterator[Executor]:
    """Threads for an LLM backend (waiting on the network); forked processes for the offline
    writer (pure Python, so threads would share one core)."""
    global _WORKER
    _WORKER = analyzer
    offline = isinstance(analyzer.kits.default.writer, OfflineWriter)
    if offline and workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        pool: Executor = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=init_worker,
            initargs=(os.getpid(),),
        )
    else:
        pool = ThreadPoolExecutor(max_workers=workers)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _WORKER = None


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
) -> BatchSummary:
    started = time.perf_counter()
    kit = analyzer.kits.default
    service = kit.service
    engine = database.open_store(db_url)
    language = language or kit.settings.language
    origin = service.data.origin
    if resume:
        run = database.latest_unfinished_run(engine)
        if run is None:
            raise BatchError("there is no unfinished run to resume; start one without --resume")
        if run["data_sha256"] != origin.sha256 or run["model_version"] != _model_version(service):
            raise BatchError(
                f"run {run['id']} used other data or another model ({run['model_version']}); "
                "resume it with the same --data and model, or start a new run"
            )
        run_id = run["id"]
        min_risk, limit, budget = run["min_risk"], run["analysis_limit"], run["budget"]
        language = run["language"]
        database.update_run(engine, run_id, status="running", error=None)
    else:
        run_id = database.start_run(
            engine,
            data_origin=origin.describe(),
            data_sha256=origin.sha256,
            model_version=_model_version(service),
            backend=kit.writer.describe(),
            language=language,
            min_risk=min_risk,
            analysis_limit=limit,
            budget=budget,
        )
    try:
        scored = service.scores()
        if database.count_rows(engine, database.scores, run_id) < len(scored):
            rows = scored.assign(run_id=run_id).rename(columns={"customerID": "customer_id"})
            database.insert_frame(engine, database.scores, rows)
        floor = RISK_ORDER[min_risk]
        eligible = scored[scored["risk_level"].map(RISK_ORDER) >= floor]["customerID"].tolist()
        eligible = eligible[:limit] if limit else eligible
        done = database.stored_customers(
            engine, database.analyses, run_id
        ) | database.stored_customers(engine, database.failures, run_id)
        todo = [c for c in eligible if c not in done]
        database.update_run(
            engine, run_id, customers_scored=len(scored), customers_eligible=len(eligible)
        )
        if len(todo) > CHUNK:
            kit.warm()  # whole-base explanations and offer what-ifs, once, before any fork
        analysed = processed = 0
        progress(len(done), len(eligible))
        chunks = [todo[i : i + CHUNK] for i in range(0, len(todo), CHUNK)]
        with graceful_stop() as stop, _executor(analyzer, workers) as pool:
            # One task per chunk, at most two per worker in flight: memory stays bounded and a
            # stop request waits only for the chunks already running.
            pending: list = []
            queue = iter(chunks)
            while True:
                while len(pending) < 2 * workers and not stop.requested:
                    chunk = next(queue, None)
                    if chunk is None:
                        break
                    pending.append(pool.submit(_analyse_chunk, chunk, language, run_id))
                if not pending:
                    break
                try:
                    rows, failed = pending.pop(0).result()
                except BrokenProcessPool:
                    # A worker was killed (a SIGTERM to the whole group, or the OOM killer).
                    # Every stored chunk is whole; the rest waits for --resume.
                    time.sleep(0.2)  # let a pending SIGTERM/SIGINT handler record itself
                    stop.requested = stop.requested or "a worker's death"
                    break
                database.insert_chunk(engine, rows, failed)
                analysed += len(rows)
                processed += len(rows) + len(failed)
                progress(len(done) + processed, len(eligible))
        total = database.count_rows(engine, database.analyses, run_id)
        failures = database.failures_of(engine, run_id)
        status = "completed" if total + len(failures) >= len(eligible) else "interrupted"
        database.update_run(
            engine,
            run_id,
            status=status,
            finished=database.now() if status == "completed" else None,
            customers_analysed=total,
            error=None
            if status == "completed"
            else f"stopped by {stop.requested}; continue with --resume",
        )
    except Exception as err:
        with suppress(database.StoreError):  # a read-only or broken database cannot record it
            database.update_run(
                engine,
                run_id,
                status="failed",
                error=kit.settings.redact(f"{type(err).__name__}: {err}")[:2000],
            )
        raise BatchError(
            f"run {run_id} failed: {err}. Every chunk written before the failure is complete; "
            "continue with --resume."
        ) from err
    return BatchSummary(
        run_id=run_id,
        status=status,
        customers_scored=len(scored),
        customers_eligible=len(eligible),
        customers_analysed=total,
        analysed_this_time=analysed,
        customers_failed=len(failures),
        failures=[Failure(**f) for f in failures],
        seconds=time.perf_counter() - started,
    )
