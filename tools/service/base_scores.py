"""The whole base scored — probability, risk, value, drivers, time to churn, CLV and who to
call first — as row-independent parts and one finishing step, so the parts can be computed
anywhere (this process, or the partitions of a cluster) with the same figures.

Only the finish looks at the whole base: CLV tiers cut at the base's terciles, and the order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

import numpy as np
import pandas as pd

from core.memory import release_freed_memory
from core.settings import Settings
from models.churn.model import ChurnModel
from models.churn.scoring import score_customers
from models.segments import tiers_by
from models.survival.card import SurvivalCard
from models.survival.scoring import lifetime_columns
from models.urgency import with_urgency
from tools.schemas import ValueBasis
from tools.service.value_basis import retier_on_lifetime_value, value_basis

#: The months ahead the portfolio reads chances and revenue at risk for.
AT_RISK_MONTHS = (3, 6, 12)

#: Rows per part of the base worked on at once (a run's explanations): big enough for
#: vectorised work, small enough that a part's intermediate arrays stay a small fraction of the
#: loaded base.
PART_ROWS = 100_000
#: A scored file's parts are computed `SCORING_THREADS` at a time — numpy's work on one beside
#: the Python-bound work (the encoder's category lookups) on the other — so half as large, for
#: the same memory. Measured at 1M (`benchmarks/bench_scale.py`, section 1): one part of 100,000
#: at a time 17.1 s, 1.16 GB; two of 50,000, 15.9 s, 1.23 GB.
FILE_PART_ROWS = 50_000
SCORING_THREADS = 2


class PartitionMap(Protocol):
    """Apply `task(part, *shared)` to parts of `frame` and give the results in the parts'
    (the rows') order, as they are consumed: a caller that stores each result and lets it go
    holds one part's result at a time. `shared` objects (the models) go to each place of work
    once."""

    def __call__(
        self, task: Callable[..., pd.DataFrame], frame: pd.DataFrame, *shared: Any
    ) -> Iterable[pd.DataFrame]: ...


def in_process(
    task: Callable[..., pd.DataFrame], frame: pd.DataFrame, *shared: Any
) -> Iterator[pd.DataFrame]:
    """The whole frame as one part, here."""
    yield task(frame, *shared)


def in_parts(rows: int = PART_ROWS, threads: int = 1) -> PartitionMap:
    """Parts of `rows` rows, here: for results too large to hold for the whole base at once (a
    run's explanations, a scored file). With `threads` > 1 the next parts are computed while
    the caller handles this one, `threads` at a time: numpy's work on one part runs beside the
    Python-bound work on another (the same results, in the same order)."""

    def partition_map(
        task: Callable[..., pd.DataFrame], frame: pd.DataFrame, *shared: Any
    ) -> Iterator[pd.DataFrame]:
        # An empty frame is one empty part.
        parts = (frame.iloc[s : s + rows] for s in range(0, max(len(frame), 1), rows))
        if threads == 1:
            # On this thread: a part freed here is reused by the next (see core/memory.py).
            yield from (task(part, *shared) for part in parts)
            return
        with ThreadPoolExecutor(threads, thread_name_prefix="part") as pool:
            pending: deque[Future] = deque()
            for part in parts:
                pending.append(pool.submit(task, part, *shared))
                if len(pending) == threads:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()

    return partition_map


def score_part(
    customers: pd.DataFrame,
    model: ChurnModel,
    survival: SurvivalCard | None,
    settings: Settings,
) -> pd.DataFrame:
    """Each customer's scores and time-to-churn columns; each row depends on its own customer
    only."""
    scored = score_customers(model, customers, settings)
    scored["monthly_charges"] = customers["MonthlyCharges"].to_numpy()
    if survival is None:
        return scored
    lifetime = lifetime_columns(survival, customers, settings, AT_RISK_MONTHS)
    return pd.concat([scored, lifetime], axis=1)


def finish_scores(
    parts: Iterable[pd.DataFrame], settings: Settings, with_lifetime: bool
) -> tuple[pd.DataFrame, ValueBasis | None]:
    """The parts as one base: CLV tiers re-cut when the settings ask (their basis is known
    only now), who to call first, riskiest first. Returns the base and its CLV basis."""
    scored = pd.concat(parts, ignore_index=True)
    basis = None
    if with_lifetime:
        basis = retier_on_lifetime_value(scored, settings)
        with_urgency(scored, settings.urgent_within_90d)
    ordered = scored.sort_values(
        ["churn_probability", "customerID"], ascending=[False, True], ignore_index=True
    )
    return ordered, basis


def _file_part(
    chunk: pd.DataFrame, model: ChurnModel, survival: SurvivalCard | None, settings: Settings
) -> pd.DataFrame:
    part = score_customers(model, chunk, settings)
    if survival is not None:
        part = pd.concat([part, lifetime_columns(survival, chunk, settings)], axis=1)
        with_urgency(part, settings.urgent_within_90d)
    release_freed_memory()  # the part's intermediate arrays, freed on this thread
    return part


def scored_file_parts(
    customers: pd.DataFrame,
    model: ChurnModel,
    survival: SurvivalCard | None,
    settings: Settings,
    progress: Callable[[int], None] = lambda _: None,
    rows: int = FILE_PART_ROWS,
) -> Iterator[pd.DataFrame]:
    """The scored base of `crm-agents score`, part by part in input order: churn columns, then
    (with a time-to-churn model) time to churn, CLV, value tiers and who to call first.

    Each part is final when it comes, so a caller can write it and let it go — except when
    tiers are cut at the base's CLV terciles, which exist only once every part's CLV does: then
    the parts are held and come after the last one is computed."""
    at_terciles = (
        survival is not None
        and settings.value_basis == "lifetime_value"
        and (settings.clv_value_high is None or settings.clv_value_mid is None)
    )
    held: list[pd.DataFrame] = []
    parts = in_parts(rows, SCORING_THREADS)(_file_part, customers, model, survival, settings)
    for part in parts:
        progress(len(part))
        if at_terciles:
            held.append(part)
            continue
        retier_on_lifetime_value(part, settings)  # thresholds from the settings, if CLV
        yield part
    if held:
        basis = value_basis(settings, np.concatenate([p["clv"].to_numpy() for p in held]))
        for part in held:
            part["value_tier"] = tiers_by(part["clv"], basis.high, basis.mid)
            yield part
