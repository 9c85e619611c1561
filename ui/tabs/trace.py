"""Trace tab: the analysis graph with the last run's path, its timeline, nodes, tool calls, LLM
calls and fallbacks, and the raw JSON behind a toggle.

The tab draws itself from the last analysis it is given (`analyze.last_result`) when an
analysis finishes and on every visit; its diagram is an SVG drawn on the server
(`ui/graph_svg.py`), the same whether the tab is shown or hidden.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from core.types import Language
from graph.analysis import AnalysisResult
from ui import trace_views
from ui.backend import Backend
from ui.labels import Words
from ui.manager import Manager

NAME = "trace"
#: The panels `render` fills, by their names in this tab.
PANELS = ("diagram", "timeline", "table", "fallbacks", "tools", "llm", "json")


def diagram_html(backend: Backend, lang, trace=None) -> str:
    """The graph with the run's path."""
    return trace_views.graph_diagram(backend.graph_shape, lang, trace)


def render(backend: Backend, result: AnalysisResult | None, lang: Language) -> dict[str, Any]:
    """What each panel shows for `result` (the bare graph and empty panels for None)."""
    if result is None:
        return {
            "diagram": diagram_html(backend, lang),
            "timeline": gr.Plot(value=None, visible=False),
            **{name: None for name in PANELS[2:]},
        }
    trace = result.trace
    return {
        "diagram": diagram_html(backend, lang, trace),
        "timeline": gr.Plot(trace_views.timeline(trace, lang), visible=True),
        "table": trace_views.node_table(trace, lang),
        "fallbacks": trace_views.fallbacks(trace, lang),
        "tools": trace_views.tool_calls(trace, lang),
        "llm": trace_views.llm_calls(trace, lang),
        "json": result.model_dump(
            mode="json", include={"customer_id", "backend", "skipped", "trace"}
        ),
    }


def build(manager: Manager) -> None:
    backend, make = manager.backend, manager.labels.make
    with make(gr.Tab, label=Words("ui.trace.tab")) as tab:
        diagram = make(
            gr.HTML,
            value=Words(lambda lang: diagram_html(backend, lang)),
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
    manager.add_elems(
        NAME,
        {
            "tab": tab,
            "diagram": diagram,
            "timeline": timeline,
            "table": table,
            "fallbacks": fallbacks,
            "tools": tools,
            "llm": llm,
            "json": detail,
        },
    )


def wire(manager: Manager, demo: gr.Blocks) -> None:
    backend = manager.backend
    panels = manager.get_elems(f"{NAME}.{name}" for name in PANELS)

    def shown(result: AnalysisResult | None, lang: Language) -> list[Any]:
        values = render(backend, result, lang)
        return [values[name] for name in PANELS]

    manager.get_elem(f"{NAME}.tab").select(
        shown,
        [manager.get_elem("analyze.last_result"), manager.language],
        panels,
        api_name=False,
    )
