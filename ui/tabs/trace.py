"""Trace tab: the analysis graph with the last run's path, its timeline, nodes, tool calls, LLM
calls and fallbacks (the Analyze tab fills them), and the raw JSON behind a toggle."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from core.i18n import t
from ui import trace_views
from ui.backend import Backend
from ui.labels import Labels, Words


@dataclass(frozen=True)
class TraceTab:
    diagram: gr.Markdown
    timeline: gr.Plot
    table: gr.Dataframe
    fallbacks: gr.HTML
    tools: gr.HTML
    llm: gr.Dataframe
    detail: gr.JSON

    def outputs(self) -> dict[str, object]:
        """The Analyze tab's outputs that land here, by their names in its `OUTPUTS`."""
        return {
            "trace_diagram": self.diagram,
            "trace_timeline": self.timeline,
            "trace_table": self.table,
            "trace_fallbacks": self.fallbacks,
            "trace_tools": self.tools,
            "trace_llm": self.llm,
            "trace_json": self.detail,
        }


def diagram_markdown(backend: Backend, lang, trace=None) -> str:
    """The graph in Mermaid (Gradio draws it in the page, offline), with the run's path."""
    return (
        f"{t('ui.trace.graph', lang)}\n"
        f"```mermaid\n{trace_views.graph_diagram(backend.graph_mermaid, lang, trace)}\n```\n"
        f"{t('ui.trace.legend', lang) if trace else ''}"
    )


def build(backend: Backend, labels: Labels) -> TraceTab:
    make = labels.make
    with make(gr.Tab, label=Words("ui.trace.tab")):
        diagram = make(
            gr.Markdown,
            value=Words(lambda lang: diagram_markdown(backend, lang)),
            elem_id="trace-diagram",
        )
        make(gr.Markdown, value=Words("ui.trace.last_run"))
        fallbacks = gr.HTML(elem_id="trace-fallbacks")
        timeline = gr.Plot(show_label=False, visible=False)
        # Wide tables scroll inside their panel, not the page.
        table = gr.Dataframe(interactive=False, elem_id="trace", max_height=360)
        with make(gr.Accordion, label=Words("ui.trace.tool_calls"), open=True):
            tools = gr.HTML(elem_id="trace-tools")
        with make(gr.Accordion, label=Words("ui.trace.llm_calls_heading"), open=True):
            llm = gr.Dataframe(interactive=False, elem_id="trace-llm", max_height=360)
        # Raw JSON is for a developer who needs it: closed until asked for.
        with make(gr.Accordion, label=Words("ui.trace.raw"), open=False):
            detail = make(gr.JSON, label=Words("ui.trace.detail"))
    return TraceTab(diagram, timeline, table, fallbacks, tools, llm, detail)
