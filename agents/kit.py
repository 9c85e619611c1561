"""The live objects a node works with, chosen for the run's context.

The composition root builds one `Kits` from the settings and binds it to the nodes when it
builds a graph; each node asks it for the kit of its run's context. A context that changes
nothing gets the root's own objects; one that sets thresholds gets a service scored under those
thresholds (sharing the data and the model), built once and kept for the next run like it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from cachetools import LRUCache

from agents.context import Context, ContextError
from agents.llm.writer import OfflineWriter, Writer
from core.settings import Settings
from core.thresholds import THRESHOLDS, threshold_order_problem
from core.types import Language
from tools.campaigns.targeting import LearnedUplift
from tools.offers.desk import OfferDesk
from tools.offers.playbook import Playbook
from tools.registry import RetentionTools, build_tools
from tools.service.retention import RetentionService

#: Distinct threshold sets kept at once (each holds a re-scored base).
VARIANTS = 8


@dataclass(frozen=True)
class AgentKit:
    """Everything one node needs besides the state."""

    settings: Settings
    service: RetentionService
    desk: OfferDesk
    tools: RetentionTools
    writer: Writer
    playbook: Playbook
    #: What the newest measured campaign taught about each offer (`CRM_OFFER_RANKING=uplift`).
    learned_uplift: LearnedUplift | None = None

    def language(self, context: Context | None) -> Language:
        return (context.language if context else None) or self.settings.language

    def warm(self) -> None:
        """Explain the whole base and re-score it under every offer now, in one vectorised pass
        each, instead of customer by customer later (for batch runs and benchmarks)."""
        scored = self.service.scores()
        if len(scored):
            self.service.predict(scored["customerID"].iloc[0])  # explains the whole base
        self.desk.precompute()


class Kits:
    """The kit for each context, built from one service, playbook and writer."""

    def __init__(
        self,
        service: RetentionService,
        playbook: Playbook,
        writer: Writer,
        learned_uplift: LearnedUplift | None = None,
    ) -> None:
        self.learned_uplift = learned_uplift
        self.default = self._kit(service, playbook, writer)
        self._offline_writer = OfflineWriter()
        self._variants: LRUCache[tuple, AgentKit] = LRUCache(maxsize=VARIANTS)
        self._lock = threading.Lock()

    def _kit(self, service: RetentionService, playbook: Playbook, writer: Writer) -> AgentKit:
        desk = OfferDesk(service, playbook)
        return AgentKit(
            settings=service.settings,
            service=service,
            desk=desk,
            tools=build_tools(service, desk),
            writer=writer,
            playbook=playbook,
            learned_uplift=self.learned_uplift,
        )

    def kit_for(self, context: Context | None) -> AgentKit:
        context = context or Context()
        overrides = context.overrides()
        offline = context.backend == "offline" and not isinstance(
            self.default.writer, OfflineWriter
        )
        if not overrides and not offline:
            return self.default
        key = (offline, tuple(sorted(overrides.items())))
        with self._lock:
            kit = self._variants.get(key)
            if kit is None:
                kit = self._variant(overrides, offline)
                self._variants[key] = kit
        return kit

    def _variant(self, overrides: dict[str, float], offline: bool) -> AgentKit:
        base = self.default
        settings = _with_thresholds(base.settings, overrides)
        service = base.service
        if settings is not base.settings:
            service = RetentionService(
                service.data,
                service.model,
                service.card,
                settings,
                history=service.history,
            )
        writer = self._offline_writer if offline else base.writer
        return self._kit(service, base.playbook, writer)


def _with_thresholds(settings: Settings, overrides: dict[str, float]) -> Settings:
    if not overrides:
        return settings
    merged = {name: overrides.get(name, getattr(settings, name)) for name in THRESHOLDS}
    problem = threshold_order_problem(merged)
    if problem is not None:
        raise ContextError(problem)
    return settings.model_copy(update=merged)
