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
from ui.labels import Labels, Words

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


def build(labels: Labels) -> PortfolioTab:
    make = labels.make
    with make(gr.Tab, label=Words("ui.portfolio.tab")):
        matrix_chart = gr.Plot(show_label=False)
        matrix_table = make(gr.Dataframe, label=Words("ui.portfolio.matrix"), interactive=False)
        with gr.Row():
            risk_level = make(
                gr.Dropdown,
                choices=Words(lambda lang: _choices(("high", "medium", "low"), lang)),
                value=ANY,
                label=Words("ui.portfolio.risk_level"),
            )
            value_tier = make(
                gr.Dropdown,
                choices=Words(lambda lang: _choices(("high", "mid", "low"), lang)),
                value=ANY,
                label=Words("ui.portfolio.value_tier"),
            )
            how_many = make(
                gr.Slider,
                minimum=5,
                maximum=500,
                value=50,
                step=5,
                label=Words("ui.portfolio.how_many"),
            )
        top_table = make(gr.Dataframe, label=Words("ui.portfolio.top"), interactive=False)
        export = make(gr.DownloadButton, label=Words("ui.portfolio.export"), value=None)
    return PortfolioTab(
        matrix_chart, matrix_table, risk_level, value_tier, how_many, top_table, export
    )


def wire(tab: PortfolioTab, backend: Backend, language: gr.Radio, demo: gr.Blocks) -> None:
    def portfolio(level: str, tier: str, n: float, lang: Language):
        """The top at-risk customers, filtered, and a CSV of the same rows."""
        table = at_risk_table(
            backend.service,
            int(n),
            None if level == ANY else level,
            None if tier == ANY else tier,
        )
        shown = present.at_risk_frame(table, lang)
        return shown, backend.save("at-risk-customers.csv", to_csv_text(shown))

    filters = [tab.risk_level, tab.value_tier, tab.how_many, language]
    listed = [tab.top_table, tab.export]
    for control in filters[:-1]:
        control.change(portfolio, filters, listed, api_name=False)
    demo.load(portfolio, filters, listed, api_name="portfolio")
    # A new language words the matrix and the list again.
    language.change(portfolio, filters, listed, api_name=False)
    language.change(
        lambda lang: matrix(backend, lang),
        language,
        [tab.matrix_chart, tab.matrix_table],
        api_name=False,
    )


def matrix(backend: Backend, lang: Language | None = None) -> tuple:
    """The risk × value matrix as a chart and a table (loaded per session, after login)."""
    lang = lang or backend.settings.language
    table = risk_value_matrix(backend.service)
    return charts.portfolio_matrix(table, lang), present.matrix_frame(table, lang)
