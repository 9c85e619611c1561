"""Plotly figures for the app: the churn gauge, the driver chart, the portfolio matrix."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from agents import present
from agents.outputs import RiskAssessment
from core.i18n import t
from core.settings import Settings
from core.types import Language
from models.segments import RISK_LEVELS, VALUE_TIERS

RED, AMBER, GREEN, BLUE = "#d64545", "#f0a202", "#3c9d5d", "#3b6ea8"


def churn_gauge(risk: RiskAssessment, settings: Settings, lang: Language) -> go.Figure:
    figure = go.Figure(
        go.Indicator(
            mode="gauge+number",
            value=round(risk.probability * 100, 1),
            number={"suffix": "%"},
            title={"text": t("ui.chart.churn_probability", lang)},
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


def driver_chart(risk: RiskAssessment, lang: Language) -> go.Figure:
    # Plotly draws the first bar at the bottom: strongest pull away from churn at the bottom,
    # strongest push towards it at the top.
    drivers = sorted([*risk.top_drivers, *risk.protective_drivers], key=lambda d: d.contribution)
    labels = [present.driver_label(d, lang) for d in drivers]
    values = [d.contribution for d in drivers]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker_color=[RED if v > 0 else GREEN for v in values],
            hovertemplate=f"%{{y}}: %{{x:+.3f}} {t('ui.chart.log_odds', lang)}<extra></extra>",
        )
    )
    figure.update_layout(
        title=t("ui.chart.drivers", lang),
        height=320,
        margin={"l": 10, "r": 10, "t": 40, "b": 30},
        xaxis_title=t("ui.chart.drivers_axis", lang),
    )
    return figure


def portfolio_matrix(matrix: pd.DataFrame, lang: Language) -> go.Figure:
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
            t(
                "ui.chart.cell",
                lang,
                customers=f"{int(counts.loc[r, tier]):,}",
                revenue=f"{revenue.loc[r, tier]:,.0f}",
                at_risk=f"{at_risk.loc[r, tier]:,.0f}",
            )
            for tier in VALUE_TIERS
        ]
        for r in RISK_LEVELS
    ]
    figure = go.Figure(
        go.Heatmap(
            z=at_risk.to_numpy(),
            x=[t(f"value_tier.{tier}", lang) for tier in VALUE_TIERS],
            y=[t(f"risk_level.{r}", lang) for r in RISK_LEVELS],
            text=text,
            texttemplate="%{text}",
            colorscale="Reds",
            showscale=False,
            hovertemplate="%{y}, %{x}<br>%{text}<extra></extra>",
        )
    )
    figure.update_layout(
        title=t("ui.chart.matrix", lang),
        height=330,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        yaxis={"autorange": "reversed"},
    )
    return figure
