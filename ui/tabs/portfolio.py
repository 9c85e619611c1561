"""Portfolio tab: the risk × value matrix and the customers most likely to churn, filterable and
downloadable."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from data.spreadsheet import to_csv_text
from tools.portfolio import at_risk_table, risk_value_matrix
from ui import charts
from ui.backend import Backend

ANY = "any"


@dataclass(frozen=True)
class PortfolioTab:
    matrix_chart: gr.Plot
    matrix_table: gr.Dataframe
    risk_level: gr.Dropdown
    value_tier: gr.Dropdown
    how_many: gr.Slider
    top_table: gr.Dataframe
    export: gr.DownloadButton


def build() -> PortfolioTab:
    with gr.Tab("Portfolio"):
        matrix_chart = gr.Plot(show_label=False)
        matrix_table = gr.Dataframe(
            label="Risk × value: customers, monthly revenue and revenue at risk",
            interactive=False,
        )
        with gr.Row():
            risk_level = gr.Dropdown([ANY, "high", "medium", "low"], value=ANY, label="Risk level")
            value_tier = gr.Dropdown([ANY, "high", "mid", "low"], value=ANY, label="Value tier")
            how_many = gr.Slider(5, 500, value=50, step=5, label="How many")
        top_table = gr.Dataframe(label="Most likely to churn", interactive=False)
        export = gr.DownloadButton("⬇ Export CSV", value=None)
    return PortfolioTab(
        matrix_chart, matrix_table, risk_level, value_tier, how_many, top_table, export
    )


def wire(tab: PortfolioTab, backend: Backend, demo: gr.Blocks) -> None:
    def portfolio(level: str, tier: str, n: float):
        """The top at-risk customers, filtered, and a CSV of the same rows."""
        table = at_risk_table(
            backend.service,
            int(n),
            None if level == ANY else level,
            None if tier == ANY else tier,
        )
        return table, backend.save("at-risk-customers.csv", to_csv_text(table))

    filters = [tab.risk_level, tab.value_tier, tab.how_many]
    for control in filters:
        control.change(portfolio, filters, [tab.top_table, tab.export], api_name=False)
    demo.load(portfolio, filters, [tab.top_table, tab.export], api_name="portfolio")


def matrix(backend: Backend) -> tuple:
    """The risk × value matrix as a chart and a table (loaded per session, after login)."""
    table = risk_value_matrix(backend.service)
    return charts.portfolio_matrix(table), table
