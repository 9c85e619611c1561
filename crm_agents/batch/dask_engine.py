"""The batch on a `dask.distributed` cluster: a scheduler at `CRM_DASK_SCHEDULER`, or a
LocalCluster of `CRM_DASK_WORKERS` processes on this machine when none is given.

- Whole-base scoring: the base in partitions of `CRM_DASK_PARTITION_ROWS`, one task each; the
  models are broadcast once to every worker (a scattered object), not sent with each task.
- Analyses: one task per chunk of customers. A worker builds its own analyzer once (a worker
  plugin calls the composition root's factory with the driver's settings and data origin) and
  refuses to work when the data or model it finds differ from the driver's. With an LLM, a
  cluster-wide semaphore holds the requests in flight to `CRM_LLM_CONCURRENCY` in total, and
  each worker's threads bound its own share.
- Faults: a killed worker's tasks are run again elsewhere by the scheduler, and results are
  written only here, once per chunk, so nothing is lost or doubled; a task that keeps killing
  workers, or a lost scheduler, stops the run cleanly for `--resume`.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import CancelledError
from contextlib import contextmanager
from typing import Any

import pandas as pd
from distributed import Client, LocalCluster, Semaphore, WorkerPlugin, get_worker
from distributed.comm.core import CommClosedError
from distributed.scheduler import KilledWorker

from core.batch_settings import BatchEngine
from core.i18n import Phrase
from core.settings import Settings
from core.types import Language
from crm_agents.batch import workers
from crm_agents.batch.engines import AnalyzerFactory, Chunk
from crm_agents.batch.errors import BatchError
from data.loading import DataOrigin
from graph.analysis import Analyzer

PLUGIN = "crm-agents-analyzer"
LLM_SEMAPHORE = "crm-agents-llm-requests"


class DaskEngineError(BatchError):
    """The cluster cannot be reached or started; the message says what to do."""


class _AnalyzerPlugin(WorkerPlugin):
    """Each worker's analyzer, built on its first chunk and kept for the worker's life."""

    name = PLUGIN

    def __init__(
        self, factory: AnalyzerFactory, settings: Settings, origin: DataOrigin, version: str
    ) -> None:
        self.factory, self.settings, self.origin, self.version = factory, settings, origin, version

    def setup(self, worker) -> None:
        self._lock = threading.Lock()
        self._analyzer: Analyzer | None = None
        self._warm = False

    def analyzer(self, warm: bool) -> Analyzer:
        with self._lock:
            if self._analyzer is None:
                self._analyzer = self.factory(self.settings, self.origin, self.version)
            if warm and not self._warm:
                self._analyzer.kits.default.warm()
                self._warm = True
            return self._analyzer


def analyse_on_worker(
    chunk: list[str], language: Language, run_id: int, llm_leases: int | None, warm: bool
) -> tuple[list[dict], list[dict]]:
    """`workers.analyse_chunk` with this worker's analyzer (and, with an LLM, a lease of the
    cluster's request budget for the chunk's duration)."""
    plugin: _AnalyzerPlugin = get_worker().plugins[PLUGIN]
    workers._WORKER = plugin.analyzer(warm)  # the worker process's own, as a fork's would be
    if llm_leases is None:
        return workers.analyse_chunk(chunk, language, run_id)
    with Semaphore(max_leases=llm_leases, name=LLM_SEMAPHORE):
        return workers.analyse_chunk(chunk, language, run_id)


class _DaskPool:
    def __init__(self, client: Client, llm_leases: int | None, warm: bool) -> None:
        self._client, self._leases, self._warm = client, llm_leases, warm

    def submit(self, chunk: list[str], language: Language, run_id: int) -> Chunk:
        return self._client.submit(
            analyse_on_worker, chunk, language, run_id, self._leases, self._warm, pure=False
        )


class DaskEngine:
    name: BatchEngine = "dask"
    lost = (KilledWorker, CommClosedError, CancelledError)

    def __init__(self, client: Client, settings: Settings) -> None:
        self.client, self.settings = client, settings
        # Each shared object (a model, the settings) broadcast once per run, however many
        # partition maps use it (the scores, then the risk history's explanations). The object
        # is kept with its future so that its id cannot be reused by another.
        self._broadcast: dict[int, tuple[Any, Any]] = {}

    def _on_workers(self, obj: Any):
        if id(obj) not in self._broadcast:
            future = self.client.scatter(obj, broadcast=True, hash=False)
            self._broadcast[id(obj)] = (obj, future)
        return self._broadcast[id(obj)][1]

    def partition_map(self, task, frame: pd.DataFrame, *shared: Any) -> Iterator[pd.DataFrame]:
        """The parts' results in order, a window of parts on the cluster at a time: neither the
        cluster nor this process holds every part's input and result at once."""
        rows = self.settings.dask_partition_rows
        models = [self._on_workers(obj) for obj in shared]
        window = 2 * max(1, sum(self.client.nthreads().values()))
        starts = iter(range(0, max(len(frame), 1), rows))  # an empty frame is one empty part
        in_flight: deque = deque()
        while True:
            while len(in_flight) < window and (start := next(starts, None)) is not None:
                part = self.client.scatter(frame.iloc[start : start + rows])
                in_flight.append(self.client.submit(task, part, *models, pure=False))
            if not in_flight:
                return
            future = in_flight.popleft()
            result = future.result()
            future.release()
            yield result

    @contextmanager
    def analysis_pool(
        self, analyzer: Analyzer, workers_asked: int, warm: bool
    ) -> Iterator[tuple[Any, int]]:
        offline = workers.writes_offline(analyzer)
        leases = None if offline else analyzer.kits.default.settings.llm_concurrency
        threads = sum(self.client.nthreads().values()) or 1
        yield _DaskPool(self.client, leases, warm), 2 * threads


def _threads_per_worker(settings: Settings) -> int:
    """One per process for CPU-bound work; with an LLM, enough threads waiting on requests for
    the cluster to keep `llm_concurrency` of them in flight."""
    if not settings.llm_configured:
        return 1
    return max(1, math.ceil(settings.llm_concurrency / settings.dask_workers))


@contextmanager
def _client(settings: Settings) -> Iterator[Client]:
    if settings.dask_scheduler:
        try:
            client = Client(settings.dask_scheduler, timeout=settings.dask_connect_seconds)
        except (OSError, TimeoutError) as err:
            raise DaskEngineError(
                Phrase(
                    "batch.dask_unreachable",
                    {"address": settings.dask_scheduler, "error": f"{type(err).__name__}: {err}"},
                )
            ) from None
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(
        n_workers=settings.dask_workers,
        threads_per_worker=_threads_per_worker(settings),
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    try:
        with Client(cluster) as client:
            yield client
    finally:
        cluster.close()


@contextmanager
def dask_engine(
    settings: Settings, origin: DataOrigin, model_version: str, factory: AnalyzerFactory
) -> Iterator[DaskEngine]:
    with _client(settings) as client:
        # Workers use the driver's settings as they are (no retraining behind its back).
        shipped = settings.model_copy(update={"auto_retrain": False})
        client.register_plugin(_AnalyzerPlugin(factory, shipped, origin, model_version))
        yield DaskEngine(client, settings)
