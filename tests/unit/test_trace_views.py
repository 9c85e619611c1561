"""The Trace tab's views: the path taken on the diagram, a timeline, tool and LLM calls a
developer can read, fallbacks in red — every string from a run shown as text."""

from __future__ import annotations

import pytest

from agents.trace import LLMCall, ToolCall, TraceStep
from tools.schemas import ValueBasis, ValueSegment
from ui import trace_views
from ui.graph_svg import Edge, GraphShape
from ui.theme import FALLBACK_RED, GREEN

SHAPE = GraphShape(
    ("__start__", "analyst", "campaign", "__end__"),
    (
        Edge("__start__", "analyst", False),
        Edge("analyst", "campaign", True),
        Edge("analyst", "__end__", True),
        Edge("campaign", "__end__", False),
    ),
)


def _run(fallback: str | None = None) -> list[TraceStep]:
    segment = ValueSegment(
        customer_id="0001-<b>X</b>",
        tier="high",
        basis=ValueBasis(measure="monthly_charges", high=80, mid=40, source="settings"),
        monthly_charges=90.0,
        clv_estimate=1080.0,
        clv_horizon_months=12,
    )
    call = ToolCall(
        tool="segment_value", args={"customer_id": "0001-<b>X</b>"}, result=segment, duration_ms=2
    )
    llm = LLMCall(
        model="gemma-3",
        attempt=1,
        outcome="ok",
        input_tokens=900,
        output_tokens=80,
        total_tokens=980,
        duration_ms=1234.5,
    )
    return [
        TraceStep(
            node="analyst",
            status="ran",
            started_at="2026-11-26T01:00:00.000+00:00",
            duration_ms=40,
            tool_calls=[call],
            llm_calls=[llm],
            fallback=fallback,
        ),
        TraceStep(node="campaign", status="skipped"),
    ]


def _node(diagram: str, node: str) -> str:
    start = diagram.index(f'data-node="{node}"')
    return diagram[start : diagram.index("</g>", start)]


def test_the_diagram_highlights_the_path_taken_and_greys_the_skipped_nodes():
    diagram = trace_views.graph_diagram(SHAPE, "en", _run())
    assert f'stroke="{GREEN}"' in _node(diagram, "analyst")
    assert 'stroke-dasharray="4 3"' in _node(diagram, "campaign")
    assert "Green: the nodes this run went through" in diagram


def test_before_a_run_the_diagram_has_no_path():
    diagram = trace_views.graph_diagram(SHAPE, "en")
    assert GREEN not in diagram and 'stroke-dasharray="4 3"' not in diagram


def test_the_diagram_names_every_node_in_the_readers_language():
    diagram = trace_views.graph_diagram(SHAPE, "zh-TW", _run())
    assert "分析師" in _node(diagram, "analyst") and "開始" in _node(diagram, "__start__")
    assert diagram.count("<text") == len(SHAPE.nodes)


def test_a_skip_is_drawn_as_an_arc_and_a_conditional_edge_dashed():
    diagram = trace_views.graph_diagram(SHAPE, "en")
    assert diagram.count('marker-end="url(#arrow)"') == len(SHAPE.edges)
    assert diagram.count('stroke-dasharray="5 4"') == 2  # the two conditional edges


def test_the_timeline_starts_each_node_where_it_started():
    run = _run()
    run.append(
        TraceStep(
            node="reasoning",
            status="ran",
            started_at="2026-11-26T01:00:00.250+00:00",
            duration_ms=5,
        )
    )
    bar = trace_views.timeline(run, "en").data[0]
    assert list(bar.base) == pytest.approx([0, 0, 250])
    assert list(bar.x) == pytest.approx([40, 0, 5])


def test_tool_calls_open_to_their_arguments_and_result_as_text():
    shown = trace_views.tool_calls(_run(), "en")
    assert "<details" in shown and "Arguments" in shown and "Result" in shown
    assert "<b>X</b>" not in shown and "&lt;b&gt;X&lt;/b&gt;" in shown
    assert "value segment" in shown  # the tool by what it does


def test_llm_calls_show_model_tokens_and_latency():
    table = trace_views.llm_calls(_run(), "en")
    assert table.iloc[0].tolist() == ["analyst", "gemma-3", 1, "ok", "", 900, 80, 1234.5]


def test_a_fallback_is_shown_in_red_with_its_reason_escaped():
    shown = trace_views.fallbacks(_run(fallback="HTTP 500 <script>"), "en")
    assert FALLBACK_RED in shown and "HTTP 500 &lt;script&gt;" in shown
    assert "No fallbacks" in trace_views.fallbacks(_run(), "en")


def test_the_trace_is_in_chinese_for_a_chinese_reader():
    table = trace_views.node_table(_run(), "zh-TW")
    assert list(table.columns)[:2] == ["節點", "狀態"]
    assert table.iloc[1, 1] == "已略過"
