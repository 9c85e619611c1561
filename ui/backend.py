"""What the app's handlers share, built once at start-up: data, model, graphs, a file folder."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agents.context import AnalysisContext
from core.settings import Settings
from crm_agents.model_check import ensure_model
from data.loading import load_customers
from graph.chat import build_chat_graph, make_chat_model, open_checkpointer
from tools.service import RetentionService
from ui.escape import md


@dataclass
class Backend:
    """Everything the handlers share, built once at start-up."""

    settings: Settings
    service: RetentionService
    context: AnalysisContext
    chat: Any
    files: Path

    @classmethod
    def start(cls, settings: Settings) -> Backend:
        data = load_customers(settings.data_path, settings)
        model, card = ensure_model(data, settings, say=lambda line: print(line, flush=True))
        service = RetentionService(data, model, card, settings)
        service.scores()  # the portfolio, the picker and the random button need the base scored
        context = AnalysisContext.build(service)
        chat = build_chat_graph(
            context,
            checkpointer=open_checkpointer(settings.chat_db),
            model=make_chat_model(settings),
        )
        settings.downloads_dir.mkdir(parents=True, exist_ok=True)
        files = Path(tempfile.mkdtemp(prefix="app-", dir=settings.downloads_dir))
        return cls(settings, service, context, chat, files)

    def header(self) -> str:
        card = self.service.card
        origin = self.service.data.origin
        if origin.is_synthetic:
            data = f"⚠️ **synthetic demo data** (seed {origin.seed}, {origin.rows:,} customers)"
        else:
            data = f"**{md(Path(origin.path or '').name)}** ({origin.rows:,} customers)"
        if origin.simulated_signals:
            data += " · behaviour signals simulated"
        return (
            "## CRM Retention Agents\n"
            f"Data: {data} · Model: **{md(card.model)}** (CV ROC-AUC {card.metrics.roc_auc:.3f}, "
            f"{card.feature_set} features) · Writer: **{md(self.context.writer.describe())}**"
        )

    def save(self, name: str, text: str) -> str:
        """A file the browser may download, in a folder of its own: two users saving at once
        never get each other's file."""
        folder = Path(tempfile.mkdtemp(dir=self.files))
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return str(path)
