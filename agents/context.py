"""What every node needs besides the state: the tools, the writer and the rules of this run."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from langchain_core.tools import BaseTool
from langgraph.runtime import Runtime

from agents.llm import Writer, make_writer
from core.settings import Settings, get_settings
from data.loading import load_customers
from models.persistence import load_model
from tools.customer_tools import build_tools
from tools.offer_desk import OfferDesk
from tools.playbook import Playbook, load_playbook
from tools.service import RetentionService


@dataclass
class AnalysisContext:
    service: RetentionService
    desk: OfferDesk
    tools: dict[str, BaseTool]
    writer: Writer
    playbook: Playbook

    @property
    def settings(self) -> Settings:
        return self.service.settings

    def warm(self) -> None:
        """Explain the whole base and re-score it under every offer now, in one vectorised pass
        each, instead of customer by customer later (for batch runs and benchmarks)."""
        scored = self.service.scores()
        if len(scored):
            self.service.predict(scored["customerID"].iloc[0])  # explains the whole base
        self.desk.precompute()

    @classmethod
    def build(
        cls,
        service: RetentionService,
        writer: Writer | None = None,
        playbook: Playbook | None = None,
    ) -> AnalysisContext:
        playbook = playbook or load_playbook()
        desk = OfferDesk(service, playbook)
        return cls(
            service=service,
            desk=desk,
            tools=build_tools(service, desk),
            writer=writer or make_writer(service.settings),
            playbook=playbook,
        )


@lru_cache(maxsize=1)
def default_context() -> AnalysisContext:
    """The context from settings alone, for runners that pass none (e.g. `langgraph dev`)."""
    settings = get_settings()
    model, card = load_model(settings.artifacts_dir)
    service = RetentionService(load_customers(settings.data_path, settings), model, card, settings)
    return AnalysisContext.build(service)


def context_of(runtime: Runtime[AnalysisContext] | None) -> AnalysisContext:
    context = runtime.context if runtime is not None else None
    return context if context is not None else default_context()
