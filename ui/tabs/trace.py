"""Trace tab: the analysis graph as a diagram, and what the last run did (the Analyze tab fills
the run's table and JSON)."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from ui.backend import Backend


@dataclass(frozen=True)
class TraceTab:
    table: gr.Dataframe
    detail: gr.JSON


def build(backend: Backend) -> TraceTab:
    with gr.Tab("Trace"):
        diagram = backend.analyzer.graph.get_graph().draw_mermaid()
        gr.Markdown(f"### The analysis graph\n```mermaid\n{diagram}\n```")
        gr.Markdown("### Last run")
        table = gr.Dataframe(interactive=False, elem_id="trace")
        detail = gr.JSON(label="Tool calls, LLM calls and fallbacks of the last run")
    return TraceTab(table=table, detail=detail)
