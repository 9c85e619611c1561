"""The composition root: the one place the product's object graph is built from settings.

    data → models (churn, time to churn) → service → playbook, writer → kits → graphs

The app, every CLI command, the batch job, the benchmarks and the `langgraph dev` entry point
call `assemble`; nothing else builds these objects or keeps a default copy of them. Tests and
benchmarks may hand in parts they made themselves (a service over a small table, a writer
pointed at a scripted server).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph.state import CompiledStateGraph

from agents.kit import AgentKit, Kits
from agents.llm.endpoint import Endpoint
from agents.llm.writer import Writer, make_writer
from core.formats import use_currency
from core.i18n import Phrase, WordedError
from core.settings import Settings
from crm_agents.model_check import same_data
from crm_agents.outcomes import latest_learned_uplift
from crm_agents.service_root import build_service
from crm_agents.store.database import open_store, store_url
from data.loading import CustomerData, DataOrigin, load_customers
from graph.analysis import Analyzer, build_analysis_graph
from graph.chat import build_chat_graph, make_chat_model, open_checkpointer
from tools.campaigns.targeting import LearnedUplift
from tools.offers.playbook import Playbook, load_playbook
from tools.service.retention import RetentionService


@dataclass(frozen=True)
class Assembly:
    """Everything a run needs, built once."""

    settings: Settings
    kits: Kits
    analyzer: Analyzer
    chat: CompiledStateGraph

    @property
    def kit(self) -> AgentKit:
        """The objects of a run with the settings as they are (no context overrides)."""
        return self.kits.default

    @property
    def service(self) -> RetentionService:
        return self.kits.default.service

    @property
    def data(self) -> CustomerData:
        return self.kits.default.service.data

    @property
    def playbook(self) -> Playbook:
        return self.kits.default.playbook

    @property
    def writer(self) -> Writer:
        return self.kits.default.writer


def assemble(
    settings: Settings,
    *,
    data: CustomerData | None = None,
    service: RetentionService | None = None,
    writer: Writer | None = None,
    playbook: Playbook | None = None,
    chat_db: Path | None = None,
    checkpointer: BaseCheckpointSaver | None = None,
    chat_model: Any | None = None,
    learned_uplift: LearnedUplift | None = None,
    say: Callable[[str], None] = lambda line: None,
    progress: Callable[[str], None] = lambda stage: None,
) -> Assembly:
    """The product's objects from settings. `chat_db` gives the chat a SQLite checkpointer
    (the app's conversations); without it and without `checkpointer` the chat keeps no
    history (a CLI question, or `langgraph dev`, which brings its own persistence). `say` and
    `progress` report a model trained on the way."""
    use_currency(settings.currency)
    if service is None:
        service = build_service(settings, data, say=say, progress=progress)
    # One endpoint object for the writer and the chat: one breaker, one memory of its refusals.
    endpoint = writer.endpoint if writer is not None and writer.endpoint else None
    endpoint = endpoint or Endpoint(service.settings)
    writer = writer or make_writer(service.settings, endpoint)
    learned = learned_uplift
    if learned is None and service.settings.offer_ranking == "uplift":
        # What the newest measured campaign taught; the campaign agent ranks offers by it.
        learned = latest_learned_uplift(open_store(store_url(service.settings)), service)
    kits = Kits(service, playbook or load_playbook(), writer, learned)
    analyzer = Analyzer(build_analysis_graph(kits), kits)
    if checkpointer is None and chat_db is not None:
        checkpointer = open_checkpointer(chat_db)
    model = chat_model if chat_model is not None else make_chat_model(service.settings, endpoint)
    chat = build_chat_graph(kits, analyzer, checkpointer, model, endpoint)
    return Assembly(settings=service.settings, kits=kits, analyzer=analyzer, chat=chat)


class BatchWorkerError(WordedError, RuntimeError):
    """A cluster worker found other data or another model than the batch's driver runs."""


def batch_worker_analyzer(settings: Settings, origin: DataOrigin, model_version: str) -> Analyzer:
    """The batch's analyzer rebuilt on a cluster worker: the driver's data (the same file, or
    the same demo data), the saved models, the driver's settings. A worker that finds other
    data or another model refuses: its analyses would not be the run's."""
    path = Path(origin.path) if origin.kind == "file" and origin.path else None
    data = load_customers(path, settings)
    if not same_data(origin, data.origin):
        raise BatchWorkerError(
            Phrase(
                "batch.worker_other_data",
                {"expected": origin.describe(), "found": data.origin.describe()},
            )
        )
    assembly = assemble(settings, data=data)
    found = assembly.service.card.version
    if found != model_version:
        raise BatchWorkerError(
            Phrase("batch.worker_other_model", {"expected": model_version, "found": found})
        )
    return assembly.analyzer
