"""Trace tab: the analysis graph as a diagram, and what the last run did (the Analyze tab fills
the run's table and JSON)."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from core.i18n import t
from ui.backend import Backend


@dataclass(frozen=True)
class TraceTab:
    table: gr.Dataframe
    detail: gr.JSON


def build(backend: Backend) -> TraceTab:
    lang = backend.settings.language
    with gr.Tab(t("ui.trace.tab", lang)):
        diagram = backend.analyzer.graph.get_graph().draw_mermaid()
        gr.Markdown(f"{t('ui.trace.graph', lang)}\n```mermaid\n{diagram}\n```")
        gr.Markdown(t("ui.trace.last_run", lang))
        table = gr.Dataframe(interactive=False, elem_id="trace")
        detail = gr.JSON(label=t("ui.trace.detail", lang))
    return TraceTab(table=table, detail=detail)
