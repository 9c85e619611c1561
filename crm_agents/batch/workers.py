"""Where the batch's analyses run: forked processes for the offline writer (pure Python, so
threads would share one core), threads for an LLM backend (waiting on the network); and the row
one analysis becomes in the results database.

A forked worker uses the parent's analyzer as it was at the fork (`_WORKER`, set before the pool
starts): nothing is pickled, and the models are not loaded again per worker.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager

from agents.llm.writer import OfflineWriter
from core.types import Language
from crm_agents.batch.process_control import init_worker
from graph.analysis import AnalysisResult, Analyzer
from tools.timing_schemas import TimeToChurn


def analysis_row(run_id: int, result: AnalysisResult) -> dict:
    plan, messages, lifetime = result.campaign, result.communications, result.risk.lifetime
    script = messages.call_script.as_text() if messages is not None else None
    return {
        "run_id": run_id,
        "customer_id": result.customer_id,
        "churn_probability": result.risk.probability,
        "risk_level": result.risk.risk_level,
        "value_tier": result.risk.value_tier,
        "offer_id": plan.offer.offer_id if plan else None,
        "offer_title": plan.offer_title if plan else None,
        "total_cost": plan.offer.total_cost if plan else None,
        # What the offer was chosen by: the what-if's expected value, or uplift × CLV − cost.
        "expected_value": (
            plan.uplift_value if plan.estimate == "uplift" else plan.offer.expected_value
        )
        if plan
        else None,
        "worth_its_cost": plan.worth_its_cost if plan else None,
        "next_step": result.risk.next_step.action if result.risk.next_step else None,
        **_timing(lifetime),
        "lifetime_value_saved": plan.offer.lifetime_value_saved if plan else None,
        "risk_reduction": plan.offer.risk_reduction if plan else None,
        "email_subject": messages.email.subject if messages else None,
        "email_body": messages.email.body if messages else None,
        "sms": messages.sms.text if messages else None,
        "call_script": script,
        "written_by": result.backend,
        "result_json": result.model_dump_json(),
    }


_TIMING_COLUMNS = (
    "churn_within_90d",
    "churn_within_90d_low",
    "churn_within_90d_high",
    "thin_support",
    "clv",
    "clv_low",
    "clv_high",
)


def _timing(lifetime: TimeToChurn | None) -> dict:
    """The 90-day chance and lifetime value with their intervals and support (empty without
    the time-to-churn model)."""
    if lifetime is None:  # every row has every key: a chunk is inserted as one statement
        return dict.fromkeys(_TIMING_COLUMNS)
    within, value = lifetime.churn_within_90d_interval, lifetime.lifetime_value_interval
    return {
        "churn_within_90d": lifetime.churn_within_90d,
        "churn_within_90d_low": within.low,
        "churn_within_90d_high": within.high,
        "thin_support": lifetime.support.thin,
        "clv": lifetime.lifetime_value,
        "clv_low": value.low,
        "clv_high": value.high,
    }


# A forked worker's copy of the parent's analyzer (set before the fork, never pickled).
_WORKER: Analyzer | None = None


def analyse_chunk(
    chunk: list[str], language: Language, run_id: int
) -> tuple[list[dict], list[dict]]:
    """(analyses, failures) of one chunk: a customer that cannot be analysed is recorded with
    its reason, and the others go on."""
    assert _WORKER is not None
    redact = _WORKER.kits.default.settings.redact
    analysed, failed = [], []
    for customer_id in chunk:
        try:
            analysed.append(analysis_row(run_id, _WORKER.run(customer_id, language=language)))
        except Exception as err:  # one customer's failure must not stop the run
            reason = redact(f"{type(err).__name__}: {err}")[:500]
            failed.append({"run_id": run_id, "customer_id": customer_id, "reason": reason})
    return analysed, failed


def writes_offline(analyzer: Analyzer) -> bool:
    return isinstance(analyzer.kits.default.writer, OfflineWriter)


def pool_size(analyzer: Analyzer, workers: int) -> int:
    """Analyses running at once: `workers` processes for the offline writer (CPU-bound); with
    an LLM, the settings' `llm_concurrency` threads — each analysis waits on one request at a
    time, so that many requests are in flight and never more."""
    if writes_offline(analyzer):
        return workers
    return analyzer.kits.default.settings.llm_concurrency


@contextmanager
def executor(analyzer: Analyzer, workers: int) -> Iterator[Executor]:
    """`workers` (see `pool_size`) threads for an LLM backend (waiting on the network); forked
    processes for the offline writer (pure Python, so threads would share one core)."""
    global _WORKER
    _WORKER = analyzer
    offline = writes_offline(analyzer)
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
