"""Where the batch's work runs: the engine.

`local` (the default) scores the base in this process and analyses with the process pool of
`workers.py` — nothing to install, configure or start. `dask` runs both on a `dask.distributed`
cluster (`dask_engine.py`). Either way the store is the source of truth: results come back to
this process, which writes them idempotently by run and customer, so a lost worker or a lost
driver costs time, never a customer or a duplicate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

from core.batch_settings import BatchEngine
from core.settings import Settings
from core.types import Language
from crm_agents.batch.workers import analyse_chunk, executor, pool_size
from data.loading import DataOrigin
from graph.analysis import Analyzer
from tools.service.base_scores import PartitionMap, in_parts

#: Builds the analyzer on a cluster worker: (settings, the data's origin, the model version the
#: driver runs) → an Analyzer over the same data and models. The composition root provides it.
AnalyzerFactory = Callable[[Settings, DataOrigin, str], Analyzer]


class Chunk(Protocol):
    def result(self) -> tuple[list[dict], list[dict]]: ...


class AnalysisPool(Protocol):
    def submit(self, chunk: list[str], language: Language, run_id: int) -> Chunk: ...


class Engine(Protocol):
    name: BatchEngine
    #: Errors meaning a place of work was lost: the run stops cleanly and --resume finishes it.
    lost: tuple[type[BaseException], ...]
    partition_map: PartitionMap

    def analysis_pool(
        self, analyzer: Analyzer, workers: int, warm: bool
    ) -> AbstractContextManager[tuple[AnalysisPool, int]]:
        """A pool for chunks of customers and how many chunks to keep in flight. `warm`: the
        analyzers explain and re-score the whole base first (`AgentKit.warm`), wherever they
        run — vectorised figures can differ from one-row ones in the last bit, so every engine
        computes them the same way."""
        ...


class _LocalPool:
    def __init__(self, pool) -> None:
        self._pool = pool

    def submit(self, chunk: list[str], language: Language, run_id: int) -> Chunk:
        return self._pool.submit(analyse_chunk, chunk, language, run_id)


class LocalEngine:
    name: BatchEngine = "local"
    lost = (BrokenProcessPool,)

    def __init__(self) -> None:
        # Parts, not the whole base at once: a run's explanations are stored part by part.
        self.partition_map: PartitionMap = in_parts()

    @contextmanager
    def analysis_pool(
        self, analyzer: Analyzer, workers: int, warm: bool
    ) -> Iterator[tuple[AnalysisPool, int]]:
        if warm:
            analyzer.kits.default.warm()  # once, before any fork: the workers inherit it
        size = pool_size(analyzer, workers)
        # At most two chunks per worker in flight: memory stays bounded and a stop request
        # waits only for the chunks already running.
        with executor(analyzer, size) as pool:
            yield _LocalPool(pool), 2 * size
