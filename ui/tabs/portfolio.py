"""Portfolio tab: the risk × value matrix and the customers most likely to churn, filterable and
downloadable."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from agents import present
from core.i18n import t
from core.types import Language
from data.spreadsheet import to_csv_text
from tools.portfolio import at_risk_table, risk_value_matrix
from ui import charts
from ui.backend import Backend

ANY = "any"


def _choices(keys: tuple[str, ...], lang: Language) -> list[tuple[str, str]]:
    return [(t("ui.any", lang), ANY), *[(t(f"word.{k}", lang), k) for k in keys]]


@dataclass(frozen=True)
class PortfolioTab:
    matrix_chart: gr.Plot
    matrix_table: gr.Dataframe
    risk_level: gr.Dropdown
    value_tier: gr.Dropdown
    how_many: gr.Slider
    top_table: gr.Dataframe
    export: gr.DownloadButton


def build(lang: Language) -> PortfolioTab:
    with gr.Tab(t("ui.portfolio.tab", lang)):
        matrix_chart = gr.Plot(show_label=False)
        matrix_table = gr.Dataframe(
            label=t("ui.portfolio.matrix", lang),
            interactive=False,
        )
        with gr.Row():
            risk_level = gr.Dropdown(
                _choices(("high", "medium", "low"), lang),
                value=ANY,
                label=t("ui.portfolio.risk_level", lang),
            )
            value_tier = gr.Dropdown(
                _choices(("high", "mid", "low"), lang),
                value=ANY,
                label=t("ui.portfolio.value_tier", lang),
            )
            how_many = gr.Slider(5, 500, value=50, step=5, label=t("ui.portfolio.how_many", lang))
        top_table = gr.Dataframe(label=t("ui.portfolio.top", lang), interactive=False)
        export = gr.DownloadButton(t("ui.portfolio.export", lang), value=None)
    return PortfolioTab(
        matrix_chart, matrix_table, risk_level, value_tier, how_many, top_table, export
    )


def wire(tab: PortfolioTab, backend: Backend, demo: gr.Blocks) -> None:
    def portfolio(level: str, tier: str, n: float):
        """The top at-risk customers, filtered, and a CSV of the same rows."""
        lang = backend.settings.language
        table = at_risk_table(
            backend.service,
            int(n),
            None if level == ANY else level,
            None if tier == ANY else tier,
        )
        shown = present.at_risk_frame(table, lang)
        return shown, backend.save("at-risk-customers.csv", to_csv_text(shown))

    filters = [tab.risk_level, tab.value_tier, tab.how_many]
    for control in filters:
        control.change(portfolio, filters, [tab.top_table, tab.export], api_name=False)
    demo.load(portfolio, filters, [tab.top_table, tab.export], api_name="portfolio")


def matrix(backend: Backend) -> tuple:
    """The risk × value matrix as a chart and a table (loaded per session, after login)."""
    table, lang = risk_value_matrix(backend.service), backend.settings.language
    return charts.portfolio_matrix(table, lang), present.matrix_frame(table, lang)
