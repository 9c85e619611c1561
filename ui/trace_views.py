"""What the Trace tab shows of a run: the graph with the path taken, a per-node timeline, the
node table, tool calls with their arguments and results, LLM calls, and fallbacks in red.
Every string from a run (arguments, results, errors) is escaped before it reaches HTML."""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go

from agents.present import phrases
from agents.trace import TraceStep
from core import formats
from core.i18n import has, t
from core.types import Language
from ui.escape import html_text
from ui.graph_svg import GraphShape, graph_svg
from ui.theme import FALLBACK_RED, GREEN

_NODE_COLUMNS = (
    "node",
    "status",
    "started",
    "duration",
    "tools",
    "llm_calls",
    "tokens",
    "written_by",
    "note",
)
_LLM_COLUMNS = (
    "node",
    "model",
    "attempt",
    "outcome",
    "answer",
    "input_tokens",
    "output_tokens",
    "latency",
)


def milliseconds(value: float, lang: Language) -> str:
    return t("ui.trace.ms", lang, value=f"{value:,.1f}")


_END_NAMES = {"__start__": "node.start", "__end__": "node.end"}


def graph_diagram(shape: GraphShape, lang: Language, trace: list[TraceStep] | None = None) -> str:
    """The analysis graph (HTML: heading, SVG, legend) with nodes named in words of `lang`;
    given a run's trace, the nodes it ran are highlighted and the nodes it skipped greyed."""
    names = {
        node: t(_END_NAMES[node], lang) if node in _END_NAMES else phrases.node_name(node, lang)
        for node in shape.nodes
    }
    statuses = {s.node: s.status for s in trace} if trace else None
    legend = f'<p class="trace-legend">{html_text(t("ui.trace.legend", lang))}</p>' if trace else ""
    return (
        f"<h3>{html_text(t('ui.trace.graph', lang))}</h3>"
        f"{graph_svg(shape, names, statuses)}{legend}"
    )


def _offsets_ms(trace: list[TraceStep]) -> list[float | None]:
    """Each step's start in milliseconds after the run's first start (None: it did not run)."""
    starts = [datetime.fromisoformat(s.started_at) if s.started_at else None for s in trace]
    first = min((s for s in starts if s), default=None)
    return [(s - first).total_seconds() * 1e3 if s and first else None for s in starts]


def timeline(trace: list[TraceStep], lang: Language) -> go.Figure:
    """One bar per node from its start to its end; skipped nodes named, with no bar."""
    offsets = _offsets_ms(trace)
    names = [phrases.node_name(s.node, lang) for s in trace]
    colours = [FALLBACK_RED if s.fallback else GREEN for s in trace]
    figure = go.Figure(
        go.Bar(
            y=names,
            x=[s.duration_ms if o is not None else 0 for s, o in zip(trace, offsets, strict=True)],
            base=[o or 0 for o in offsets],
            orientation="h",
            marker_color=colours,
            customdata=[
                [f"{o:.1f}" if o is not None else "—", f"{s.duration_ms:.1f}"]
                for s, o in zip(trace, offsets, strict=True)
            ],
            hovertemplate="%{y}: "
            + t(
                "ui.trace.timeline_hover",
                lang,
                start="%{customdata[0]}",
                duration="%{customdata[1]}",
            )
            + "<extra></extra>",
        )
    )
    figure.update_layout(
        title=t("ui.trace.timeline", lang),
        height=80 + 45 * max(len(trace), 1),
        margin={"l": 10, "r": 10, "t": 40, "b": 30},
        xaxis_title=t("ui.trace.timeline_axis", lang),
        yaxis={"autorange": "reversed"},
    )
    return figure


def node_table(trace: list[TraceStep], lang: Language) -> pd.DataFrame:
    offsets = _offsets_ms(trace)
    rows = [
        (
            phrases.node_name(s.node, lang),
            t(f"trace.{s.status}", lang) if has(f"trace.{s.status}", lang) else s.status,
            formats.date_time(s.started_at, lang) + (f" (+{milliseconds(o, lang)})" if o else ""),
            round(s.duration_ms, 1),
            len(s.tool_calls),
            len(s.llm_calls),
            sum(c.total_tokens for c in s.llm_calls),
            phrases.writer_name(s.written_by, lang) if s.written_by else "",
            s.fallback or phrases.trace_note(s, lang),
        )
        for s, o in zip(trace, offsets, strict=True)
    ]
    return pd.DataFrame(rows, columns=[t(f"ui.trace.{c}", lang) for c in _NODE_COLUMNS])


def _json(value: object, limit: int = 4000) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=1, default=str)
    return text if len(text) <= limit else text[:limit] + "\n…"


def tool_calls(trace: list[TraceStep], lang: Language) -> str:
    """Every tool call as a row that opens to show its arguments and its result."""
    rows = []
    for step in trace:
        for call in step.tool_calls:
            # The run's language is the page's: only the other arguments are shown.
            args = {k: v for k, v in call.args.items() if k != "language"}
            said = ", ".join(str(v) for v in args.values())
            result = call.result.model_dump(mode="json")
            rows.append(
                "<details class='tool-call'><summary>"
                f"<b>{html_text(phrases.node_name(step.node, lang))}</b> · "
                f"{html_text(phrases.tool_name(call.tool, lang))}({html_text(said)}) · "
                f"{html_text(milliseconds(call.duration_ms, lang))}</summary>"
                f"<div class='scroll'><b>{html_text(t('ui.trace.arguments', lang))}</b>"
                f"<pre>{html_text(_json(args))}</pre>"
                f"<b>{html_text(t('ui.trace.result', lang))}</b>"
                f"<pre>{html_text(_json(result))}</pre></div></details>"
            )
    if not rows:
        return f"<p>{html_text(t('ui.trace.no_tools', lang))}</p>"
    return "<div id='tool-calls'>" + "".join(rows) + "</div>"


def llm_calls(trace: list[TraceStep], lang: Language) -> pd.DataFrame:
    rows = [
        (
            phrases.node_name(s.node, lang),
            c.model,
            c.attempt,
            c.outcome,
            c.answer,
            c.input_tokens,
            c.output_tokens,
            round(c.duration_ms, 1),
        )
        for s in trace
        for c in s.llm_calls
    ]
    return pd.DataFrame(rows, columns=[t(f"ui.trace.llm.{c}", lang) for c in _LLM_COLUMNS])


def fallbacks(trace: list[TraceStep], lang: Language) -> str:
    """Every node whose LLM text was replaced by the offline writer, in red, with the reason."""
    notes = [
        f"<li><b>{html_text(phrases.node_name(s.node, lang))}</b>: "
        f"{html_text(t('present.fallback', lang, reason=s.fallback))}</li>"
        for s in trace
        if s.fallback
    ]
    if not notes:
        return f"<p id='fallbacks'>{html_text(t('ui.trace.no_fallbacks', lang))}</p>"
    return (
        f"<div id='fallbacks' style='color:{FALLBACK_RED};border-left:4px solid {FALLBACK_RED};"
        f"padding:4px 10px'><b>⚠ {html_text(t('ui.trace.fallbacks', lang))}</b>"
        f"<ul>{''.join(notes)}</ul></div>"
    )
