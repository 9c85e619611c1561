"""The app's one look: the Gradio theme, the page's few CSS rules, and the palette every badge,
chart, table and diagram draws with — a risk level has the same colour everywhere."""

from __future__ import annotations

import gradio as gr

RED, AMBER, GREEN, BLUE = "#d64545", "#f0a202", "#3c9d5d", "#3b6ea8"
#: Strong colours of the risk levels (badges, bars, threshold lines) and their pale fills
#: (table cells, the gauge's bands), light enough for dark text on them.
RISK_COLORS = {"high": RED, "medium": AMBER, "low": GREEN}
RISK_FILL = {"high": "#f6c9c9", "medium": "#fbe7b5", "low": "#d8f0df"}
#: Value tiers in shades of one blue, so a tier never reads as a risk level.
VALUE_COLORS = {"high": "#1f4e8c", "mid": BLUE, "low": "#7f9cc4"}
#: What to do, coloured as the risk level it rests on; a call this week in the darkest red.
ACTION_COLORS = {
    "call_this_week": "#8f1d1d",
    "offer_this_month": RED,
    "next_campaign": AMBER,
    "monitor": GREEN,
}
TEXT_ON_FILL = "#1f1f1f"
FALLBACK_RED = "#b42318"

#: Local fonts only (Debian's Noto, CJK included): nothing is fetched from the network.
THEME = gr.themes.Soft(
    primary_hue="blue",
    neutral_hue="slate",
    font=["Noto Sans", "Noto Sans CJK TC", "ui-sans-serif", "system-ui", "sans-serif"],
    font_mono=["Noto Sans Mono", "Noto Sans Mono CJK TC", "ui-monospace", "monospace"],
)

CSS = """
#tool-calls, #trace-fallbacks { overflow-x: auto; }
#tool-calls details { border-bottom: 1px solid var(--border-color-primary); padding: 4px 0; }
#tool-calls pre { max-height: 320px; overflow: auto; white-space: pre; font-size: 12px; }
"""
