"""The engine a run uses, from the settings (`CRM_BATCH_ENGINE`, `--engine`): dask is imported
only when chosen, so the default costs a single-machine user nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from core.settings import Settings
from crm_agents.batch.engines import AnalyzerFactory, Engine, LocalEngine
from data.loading import DataOrigin


@contextmanager
def open_engine(
    settings: Settings, origin: DataOrigin, model_version: str, factory: AnalyzerFactory
) -> Iterator[Engine]:
    """The engine the settings name, started for one run and stopped after it."""
    if settings.batch_engine == "local":
        yield LocalEngine()
        return
    from crm_agents.batch.dask_engine import dask_engine  # dask is loaded only when used

    with dask_engine(settings, origin, model_version, factory) as engine:
        yield engine
