"""Plotly figures for the app: the churn gauge, the survival curve, the driver chart, the
portfolio's revenue at risk and probability distribution."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from agents.outputs import RiskAssessment
from agents.present import phrases
from core import formats
from core.i18n import t
from core.settings import Settings
from core.types import Language
from models.segments import RISK_LEVELS, VALUE_TIERS
from tools.timing_schemas import TimeToChurn
from ui.theme import BLUE, GREEN, RED, RISK_COLORS, RISK_FILL


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
                    {"range": [0, settings.risk_medium * 100], "color": RISK_FILL["low"]},
                    {
                        "range": [settings.risk_medium * 100, settings.risk_high * 100],
                        "color": RISK_FILL["medium"],
                    },
                    {"range": [settings.risk_high * 100, 100], "color": RISK_FILL["high"]},
                ],
            },
        )
    )
    figure.update_layout(height=230, margin={"l": 20, "r": 20, "t": 40, "b": 10})
    return figure


def survival_curves(lifetime: TimeToChurn, lang: Language) -> go.Figure:
    """The customer's chance of still being a customer month by month from today, beside
    similar customers' (same contract and internet service, from the same tenure)."""
    months = list(range(len(lifetime.curve)))
    segment = t(
        "present.when.curve_segment",
        lang,
        contract=phrases.value_in_words("Contract", lifetime.segment_contract, lang),
        internet=phrases.value_in_words("InternetService", lifetime.segment_internet_service, lang),
    )
    figure = go.Figure()
    for name, curve, colour, dash in (
        (t("present.when.curve_customer", lang), lifetime.curve, RED, "solid"),
        (segment, lifetime.segment_curve, BLUE, "dash"),
    ):
        figure.add_trace(
            go.Scatter(
                x=months,
                y=[round(v * 100, 1) for v in curve],
                name=name,
                mode="lines",
                line={"color": colour, "dash": dash, "width": 3},
                hovertemplate="%{x}: %{y:.1f}%<extra>" + name.replace("<", "&lt;") + "</extra>",
            )
        )
    figure.add_hline(y=50, line_dash="dot", line_color="#888")
    figure.update_layout(
        title=t("present.when.curve_title", lang),
        height=300,
        margin={"l": 10, "r": 10, "t": 40, "b": 30},
        xaxis_title=t("present.when.months_ahead", lang),
        yaxis={"range": [0, 100], "ticksuffix": "%"},
        legend={"orientation": "h", "y": -0.25},
    )
    return figure


def driver_chart(risk: RiskAssessment, lang: Language) -> go.Figure:
    # Plotly draws the first bar at the bottom: strongest pull away from churn at the bottom,
    # strongest push towards it at the top.
    drivers = sorted([*risk.top_drivers, *risk.protective_drivers], key=lambda d: d.contribution)
    labels = [phrases.driver_label(d, lang) for d in drivers]
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


def revenue_at_risk(matrix: pd.DataFrame, lang: Language) -> go.Figure:
    """Monthly revenue at risk per value tier, one bar per risk level in its colour."""
    figure = go.Figure()
    for level in RISK_LEVELS:
        cells = matrix[matrix["risk_level"] == level].set_index("value_tier")
        at_risk = [float(cells.loc[tier, "monthly_revenue_at_risk"]) for tier in VALUE_TIERS]
        figure.add_bar(
            name=t(f"risk_level.{level}", lang),
            x=[t(f"value_tier.{tier}", lang) for tier in VALUE_TIERS],
            y=at_risk,
            marker_color=RISK_COLORS[level],
            text=[formats.currency(v, lang, 0) for v in at_risk],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x} · %{fullData.name}: %{text}<extra></extra>",
        )
    figure.update_layout(
        title=t("ui.portfolio.revenue_chart", lang),
        barmode="group",
        height=330,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        yaxis_title=t("ui.portfolio.revenue_axis", lang),
        legend={"orientation": "h", "y": -0.15},
    )
    return figure


def probability_distribution(
    probabilities: pd.Series, settings: Settings, lang: Language
) -> go.Figure:
    """A histogram of churn probability with the risk-level thresholds drawn on it."""
    figure = go.Figure(
        go.Histogram(
            x=probabilities * 100,
            xbins={"start": 0, "end": 100, "size": 2.5},
            marker_color=BLUE,
            hovertemplate="%{x}%: %{y}<extra></extra>",
        )
    )
    for level, threshold in (("medium", settings.risk_medium), ("high", settings.risk_high)):
        figure.add_vline(
            x=threshold * 100,
            line={"color": RISK_COLORS[level], "width": 2, "dash": "dash"},
            annotation_text=t(
                "ui.portfolio.threshold",
                lang,
                level=t(f"risk_level.{level}", lang),
                percent=formats.percent(threshold),
            ),
            annotation_position="top left" if level == "medium" else "top right",
        )
    figure.update_layout(
        title=t("ui.portfolio.distribution", lang),
        height=330,
        bargap=0.05,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        xaxis={"title": t("ui.portfolio.distribution_axis", lang), "ticksuffix": "%"},
        yaxis_title=t("ui.portfolio.distribution_count", lang),
    )
    return figure
