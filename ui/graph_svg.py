"""The analysis graph drawn as SVG on the server: nodes top to bottom in the graph's order,
plain arrows to the next node, skips (a low-risk customer's, say) as arcs on the right, dashed
where the edge is conditional; after a run, the nodes it went through in green and the nodes it
skipped grey and dashed.

Drawn here rather than by Mermaid in the page: Mermaid draws asynchronously and measures the
page, so a drawing made while the Trace tab was hidden, or two drawings racing on a busy
machine, left an empty 80×80 box. An SVG string has no such states."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ui.escape import html_text
from ui.theme import GREEN, RISK_FILL, TEXT_ON_FILL

_HEIGHT, _GAP, _TOP, _LEFT = 40, 34, 12, 12
_CELL = 8.5  # pixels per terminal cell of 14 px text; a CJK character is two cells
_ARC = 22  # horizontal step between skip arcs
_STYLES = {
    "taken": {"fill": RISK_FILL["low"], "stroke": GREEN, "width": 3, "text": TEXT_ON_FILL},
    "skipped": {"fill": "#f2f2f2", "stroke": "#bbbbbb", "width": 1.5, "text": "#9a9a9a"},
    "idle": {"fill": "#f2f0ff", "stroke": "#9a8cf0", "width": 1.5, "text": TEXT_ON_FILL},
}


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    conditional: bool


@dataclass(frozen=True)
class GraphShape:
    """A graph's nodes in order and its edges (LangGraph's `get_graph()`, read once)."""

    nodes: tuple[str, ...]
    edges: tuple[Edge, ...]

    #: LangGraph's names of the entry and exit, drawn as pills.
    ends: frozenset[str] = frozenset({"__start__", "__end__"})


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def graph_svg(
    shape: GraphShape, names: dict[str, str], statuses: dict[str, str] | None = None
) -> str:
    """The graph as an SVG element. `names`: each node in the reader's words; `statuses`: a
    run's "ran" or "skipped" per node (none before a run)."""
    statuses = statuses or {}
    nodes, edges, ends = shape.nodes, shape.edges, shape.ends
    width = max(150, int(max(_cells(names[n]) for n in nodes) * _CELL) + 32)
    row = {node: i for i, node in enumerate(nodes)}
    skips = [e for e in edges if row[e.target] != row[e.source] + 1]
    right = _LEFT + width
    total_width = right + _ARC * (len(skips) + 1)
    total_height = _TOP * 2 + len(nodes) * _HEIGHT + (len(nodes) - 1) * _GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_width}" '
        f'height="{total_height}" viewBox="0 0 {total_width} {total_height}" role="img" '
        'class="analysis-graph">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#666666"/></marker></defs>',
    ]

    def top(node: str) -> int:
        return _TOP + row[node] * (_HEIGHT + _GAP)

    def line(path: str, conditional: bool) -> str:
        dash = ' stroke-dasharray="5 4"' if conditional else ""
        return (
            f'<path d="{path}" fill="none" stroke="#666666" stroke-width="1.5"{dash} '
            'marker-end="url(#arrow)"/>'
        )

    middle = _LEFT + width / 2
    for edge in edges:
        if edge in skips:
            continue
        parts.append(
            line(
                f"M{middle},{top(edge.source) + _HEIGHT} L{middle},{top(edge.target)}",
                edge.conditional,
            )
        )
    for step, edge in enumerate(skips, start=1):
        x = right + _ARC * step
        y1, y2 = top(edge.source) + _HEIGHT / 2, top(edge.target) + _HEIGHT / 2
        parts.append(line(f"M{right},{y1} L{x},{y1} L{x},{y2} L{right},{y2}", edge.conditional))
    for node in nodes:
        style = _STYLES[{"ran": "taken", "skipped": "skipped"}.get(statuses.get(node, ""), "idle")]
        dash = ' stroke-dasharray="4 3"' if statuses.get(node) == "skipped" else ""
        radius = _HEIGHT / 2 if node in ends else 6
        parts.append(
            f'<g class="node" data-node="{html_text(node)}">'
            f'<rect x="{_LEFT}" y="{top(node)}" width="{width}" height="{_HEIGHT}" '
            f'rx="{radius}" fill="{style["fill"]}" stroke="{style["stroke"]}" '
            f'stroke-width="{style["width"]}"{dash}/>'
            f'<text x="{middle}" y="{top(node) + _HEIGHT / 2}" text-anchor="middle" '
            f'dominant-baseline="central" font-size="14" fill="{style["text"]}">'
            f"{html_text(names[node])}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)
