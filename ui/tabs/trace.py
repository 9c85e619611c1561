"""Trace tab: the analysis graph as a diagram, and what the last run did (the Analyze tab fills
the run's table and JSON)."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from core.i18n import t
from ui import views
from ui.backend import Backend
from ui.labels import Labels, Words


@dataclass(frozen=True)
class TraceTab:
    table: gr.Dataframe
    detail: gr.JSON


def build(backend: Backend, labels: Labels) -> TraceTab:
    make = labels.make
    diagram = backend.analyzer.graph.get_graph().draw_mermaid()
    with make(gr.Tab, label=Words("ui.trace.tab")):
        make(
            gr.Markdown,
            value=Words(
                lambda lang: (
                    f"{t('ui.trace.graph', lang)}\n"
                    f"```mermaid\n{views.graph_diagram(diagram, lang)}\n```"
                )
            ),
        )
        make(gr.Markdown, value=Words("ui.trace.last_run"))
        table = gr.Dataframe(interactive=False, elem_id="trace")
        # Raw JSON is for a developer who needs it: closed until asked for.
        with make(gr.Accordion, label=Words("ui.trace.raw"), open=False):
            detail = make(gr.JSON, label=Words("ui.trace.detail"))
    return TraceTab(table=table, detail=detail)
