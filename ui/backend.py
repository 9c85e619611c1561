"""What the app's handlers share, built once at start-up: data, model, graphs, a file folder."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from agents.present import phrases
from agents.present.health_words import drift_line
from core.i18n import t
from core.settings import Settings
from core.types import Language
from crm_agents.approvals import reviews_on
from crm_agents.composition import Assembly, assemble
from crm_agents.store.database import StoreError, open_store, store_url
from crm_agents.store.health import drift_history
from graph.analysis import Analyzer
from graph.review import Reviews
from tools.portfolio.thresholds import ThresholdSimulator
from tools.service.retention import RetentionService
from ui.escape import md
from ui.graph_svg import Edge, GraphShape


@dataclass
class Backend:
    """Everything the handlers share, built once at start-up."""

    assembly: Assembly
    files: Path

    @classmethod
    def start(cls, settings: Settings) -> Backend:
        assembly = assemble(
            settings, chat_db=settings.chat_db, say=lambda line: print(line, flush=True)
        )
        assembly.service.scores()  # the portfolio, the picker and the random button need it
        settings.downloads_dir.mkdir(parents=True, exist_ok=True)
        files = Path(tempfile.mkdtemp(prefix="app-", dir=settings.downloads_dir))
        backend = cls(assembly, files)
        _ = backend.store  # opened (and migrated) now, not by the first page's requests
        return backend

    @property
    def settings(self) -> Settings:
        return self.assembly.settings

    @property
    def service(self) -> RetentionService:
        return self.assembly.service

    @property
    def analyzer(self) -> Analyzer:
        return self.assembly.analyzer

    @property
    def chat(self) -> Any:
        return self.assembly.chat

    @cached_property
    def store(self) -> Engine:
        """The results database (campaigns, approvals, their checkpoints), opened on first use."""
        return open_store(store_url(self.settings))

    @cached_property
    def reviews(self) -> Reviews:
        """The analysis graph over the store's checkpoints: approvals made here or anywhere."""
        return reviews_on(self.assembly, self.store)

    @cached_property
    def thresholds(self) -> ThresholdSimulator:
        """Portfolio's threshold simulator (its out-of-fold predictions computed on first use)."""
        return ThresholdSimulator(self.service)

    @cached_property
    def graph_shape(self) -> GraphShape:
        """The analysis graph's nodes and edges, read once (every analysis shows its path)."""
        drawn = self.analyzer.graph.get_graph()
        edges = tuple(Edge(e.source, e.target, e.conditional) for e in drawn.edges)
        return GraphShape(tuple(drawn.nodes), edges)

    @property
    def nodes(self) -> tuple[str, ...]:
        """The analysis graph's nodes in order, as the compiled graph has them."""
        return self.assembly.analyzer.nodes

    def header(self, lang: Language | None = None) -> str:
        card, origin = self.service.card, self.service.data.origin
        lang = lang or self.settings.language
        rows = f"{origin.rows:,}"
        if origin.is_synthetic:
            data = t("ui.header.synthetic", lang, seed=origin.seed, rows=rows)
        else:
            data = t("ui.header.file", lang, name=md(Path(origin.path or "").name), rows=rows)
        if origin.simulated_signals:
            data += t("ui.header.signals_simulated", lang)
        line = t(
            "ui.header.line",
            lang,
            data=data,
            model=md(phrases.model_name(card.model, lang)),
            roc_auc=f"{card.metrics.roc_auc:.3f}",
            feature_set=t(f"feature_set.{card.feature_set}", lang),
            writer=md(phrases.writer_name(self.assembly.writer.describe(), lang)),
        )
        drift = self.drift_line(lang)
        return f"## {t('ui.title', lang)}\n{line}" + (f"\n\n{drift}" if drift else "")

    def drift_line(self, lang: Language) -> str | None:
        """The newest batch run's drift (flagged when its base moved from the model's training
        data), or None before any run or when the database cannot be read."""
        try:
            newest = drift_history(self.store, 1)
        except (StoreError, SQLAlchemyError):
            return None  # the header still shows the data and the model
        if not newest:
            return None
        row = newest[0]
        note = json.loads(row["drift_note"]) if row["drift_note"] else None
        words = md(drift_line(row["drift_shifted"], row["shifted_measures"], note, lang))
        key = "ui.header.drift_shifted" if row["drift_shifted"] else "ui.header.drift"
        return t(key, lang, run=row["id"], line=words)

    def save(self, name: str, text: str) -> str:
        """A file the browser may download, in a folder of its own: two users saving at once
        never get each other's file."""
        folder = Path(tempfile.mkdtemp(dir=self.files))
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return str(path)
