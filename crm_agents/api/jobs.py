"""Analyses run for the API as jobs: one row per job in the results database (what `GET
/analyses/{id}` reads, from any server on that database), run on the context's pool, each
node's update kept in memory while it runs for the event stream (`/analyses/{id}/events`)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from cachetools import LRUCache
from fastapi.encoders import jsonable_encoder
from sqlalchemy.engine import Engine

from crm_agents.api.metrics import Metrics
from crm_agents.api.schemas import AnalysisJob
from crm_agents.store.analysis_jobs import Job, create_job, get_job, set_status
from crm_agents.store.outbox import emit_now
from graph.analysis import AnalysisResult, Analyzer

#: Jobs whose events are remembered (running ones and the latest finished).
REMEMBERED = 1_000


def job_view(job: Job) -> AnalysisJob:
    result = AnalysisResult.model_validate_json(job.result) if job.result else None
    return AnalysisJob(
        id=job.id,
        customer_id=job.customer_id,
        language=job.language,  # type: ignore[arg-type]
        status=job.status,  # type: ignore[arg-type]
        created=job.created,
        finished=job.finished,
        error=job.error,
        result=result,
    )


def _announced(job: Job, result: AnalysisResult) -> dict[str, Any]:
    """What `analysis.completed` says: enough to act on, the rest at the job's address."""
    plan = result.campaign
    return {
        "job_id": job.id,
        "customer_id": result.customer_id,
        "risk_level": result.risk.risk_level,
        "probability": result.risk.probability,
        "value_tier": result.risk.value_tier,
        "offer_id": plan.offer.offer_id if plan is not None else None,
        "messages_written": result.communications is not None,
        "url": f"/api/v1/analyses/{job.id}",
    }


@dataclass
class _Events:
    items: list[tuple[str, Any]] = field(default_factory=list)
    done: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)


class Jobs:
    def __init__(
        self,
        store: Engine,
        analyzer: Analyzer,
        pool: ThreadPoolExecutor,
        metrics: Metrics,
        redact: Callable[[str], str],
    ) -> None:
        self.store, self.analyzer, self.pool = store, analyzer, pool
        self.metrics, self.redact = metrics, redact
        self._events: LRUCache[str, _Events] = LRUCache(maxsize=REMEMBERED)
        self._lock = threading.Lock()

    def start(self, customer_id: str, language: str, key_id: str) -> tuple[Job, Future]:
        """A queued job for the customer (an ID the service knows), and its run."""
        job = create_job(self.store, customer_id, language, key_id)
        with self._lock:
            self._events[job.id] = _Events()
        return job, self.pool.submit(self._run, job)

    def _add(self, job_id: str, kind: str, data: Any, done: bool = False) -> None:
        with self._lock:
            events = self._events.get(job_id)
        if events is None:
            return
        with events.changed:
            events.items.append((kind, data))
            events.done = events.done or done
            events.changed.notify_all()

    def _run(self, job: Job) -> Job:
        store = self.store
        set_status(store, job.id, "running")
        try:
            result = None
            for item in self.analyzer.stream(job.customer_id, language=job.language):
                if isinstance(item, AnalysisResult):
                    result = item
                else:
                    node, update = item
                    self._add(job.id, "node", {"node": node, "update": jsonable_encoder(update)})
            assert result is not None  # the stream always ends with the result
            set_status(store, job.id, "completed", result=result.model_dump_json())
            self.metrics.analysed(result)
            emit_now(store, "analysis.completed", _announced(job, result))
        except Exception as err:  # the job says why; the server goes on
            set_status(store, job.id, "failed", error=self.redact(str(err))[:2000])
            self.metrics.analyses.labels("failed").inc()
        finished = get_job(store, job.id)
        assert finished is not None
        self._add(job.id, finished.status, jsonable_encoder(job_view(finished)), done=True)
        return finished

    def events(self, job: Job, wait: float = 15.0) -> Iterator[tuple[str, Any]]:
        """The job's events as they come: each node's update, then `completed` or `failed`
        with the job. A job run elsewhere (or long ago) gives its end state alone. Between
        events, None every `wait` seconds (a keep-alive for the stream)."""
        with self._lock:
            events = self._events.get(job.id)
        if events is None:
            current = get_job(self.store, job.id) or job
            yield current.status, jsonable_encoder(job_view(current))
            return
        seen = 0
        while True:
            with events.changed:
                if seen == len(events.items) and not events.done:
                    events.changed.wait(timeout=wait)
                fresh, finished = events.items[seen:], events.done
            seen += len(fresh)
            if not fresh and not finished:
                yield "keep-alive", None
            yield from fresh
            if finished and seen == len(events.items):
                return
