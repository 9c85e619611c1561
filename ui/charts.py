"""Plotly figures for the app: the churn gauge, the driver chart, the portfolio matrix."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from agents.outputs import RiskAssessment
from core.settings import Settings
from data.schema import FEATURE_LABELS
from models.segments import RISK_LEVELS, VALUE_TIERS

RED, AMBER, GREEN, BLUE = "#d64545", "#f0a202", "#3c9d5d", "#3b6ea8"


def churn_gauge(risk: RiskAssessment, settings: Settings) -> go.Figure:
    figure = go.Figure(
        go.Indicator(
            mode="gauge+number",
            value=round(risk.probability * 100, 1),
            number={"suffix": "%"},
            title={"text": "churn probability"},
            gauge={
                "axis": {"range": [0, 100]},
                "bar": {"color": "#222"},
                "steps": [
                    {"range": [0, settings.risk_medium * 100], "color": "#d8f0df"},
                    {
                        "range": [settings.risk_medium * 100, settings.risk_high * 100],
                        "color": "#fbe7b5",
                    },
                    {"range": [settings.risk_high * 100, 100], "color": "#f6c9c9"},
                ],
            },
        )
    )
    figure.update_layout(height=230, margin={"l": 20, "r": 20, "t": 40, "b": 10})
    return figure


def driver_chart(risk: RiskAssessment) -> go.Figure:
    # Plotly draws the first bar at the bottom: strongest pull away from churn at the bottom,
    # strongest push towards it at the top.
    drivers = sorted([*risk.top_drivers, *risk.protective_drivers], key=lambda d: d.contribution)
    labels = [
        f"{FEATURE_LABELS[d.feature]} = {d.value}" + (" (simulated)" if d.simulated else "")
        for d in drivers
    ]
    values = [d.contribution for d in drivers]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker_color=[RED if v > 0 else GREEN for v in values],
            hovertemplate="%{y}: %{x:+.3f} log-odds<extra></extra>",
        )
    )
    figure.update_layout(
        title="What moves this customer's score (log-odds vs. a typical customer)",
        height=320,
        margin={"l": 10, "r": 10, "t": 40, "b": 30},
        xaxis_title="← lowers churn risk · raises churn risk →",
    )
    return figure


def portfolio_matrix(matrix: pd.DataFrame) -> go.Figure:
    """Heatmap of monthly revenue at risk by risk level × value tier, counts in the cells."""

    def grid(column: str) -> pd.DataFrame:
        table = matrix.pivot(index="risk_level", columns="value_tier", values=column)
        return table.reindex(index=list(RISK_LEVELS), columns=list(VALUE_TIERS))

    counts, revenue, at_risk = (
        grid("customers"),
        grid("monthly_revenue"),
        grid("monthly_revenue_at_risk"),
    )
    text = [
        [
            f"{int(counts.loc[r, t]):,} customers<br>{revenue.loc[r, t]:,.0f} / month"
            f"<br><b>{at_risk.loc[r, t]:,.0f} / month at risk</b>"
            for t in VALUE_TIERS
        ]
        for r in RISK_LEVELS
    ]
    figure = go.Figure(
        go.Heatmap(
            z=at_risk.to_numpy(),
            x=[f"{t} value" for t in VALUE_TIERS],
            y=[f"{r} risk" for r in RISK_LEVELS],
            text=text,
            texttemplate="%{text}",
            colorscale="Reds",
            showscale=False,
            hovertemplate="%{y}, %{x}<br>%{text}<extra></extra>",
        )
    )
    figure.update_layout(
        title="Monthly revenue at risk (Σ churn probability × monthly charges)",
        height=330,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        yaxis={"autorange": "reversed"},
    )
    return figure
