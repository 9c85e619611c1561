"""Portfolio tab: the risk × value matrix (click a cell to list its customers), revenue at risk
and the spread of churn probability, and the customers most likely to churn, filterable,
sortable and downloadable."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from agents.present import phrases
from agents.present.lifetime_words import value_basis_line
from core.i18n import t
from core.types import Language
from data.spreadsheet import to_csv_text
from tools.portfolio.overview import (
    at_risk_over_time,
    at_risk_table,
    matching_count,
    risk_value_matrix,
)
from tools.refusals import Refusal
from ui import charts, tables
from ui.backend import Backend
from ui.labels import Labels, Words

ANY = "any"
ORDERS = ("probability", "urgency")


def _choices(keys: tuple[str, ...], lang: Language) -> list[tuple[str, str]]:
    return [(t("ui.any", lang), ANY), *[(t(f"word.{k}", lang), k) for k in keys]]


@dataclass(frozen=True)
class PortfolioTab:
    matrix_table: gr.Dataframe
    revenue_chart: gr.Plot
    distribution_chart: gr.Plot
    over_time: gr.Dataframe
    value_basis: gr.Markdown
    order: gr.Dropdown
    risk_level: gr.Dropdown
    value_tier: gr.Dropdown
    how_many: gr.Slider
    matching: gr.Markdown
    top_table: gr.Dataframe
    export: gr.DownloadButton


def build(labels: Labels) -> PortfolioTab:
    make = labels.make
    with make(gr.Tab, label=Words("ui.portfolio.tab")):
        make(gr.HTML, value=Words(tables.legend))
        matrix_table = make(
            gr.Dataframe,
            label=Words("ui.portfolio.matrix"),
            interactive=False,
            wrap=True,
            column_widths=["16%", "28%", "28%", "28%"],
            elem_id="matrix",
        )
        value_basis = gr.Markdown(elem_id="value-basis")
        with gr.Row():
            revenue_chart = gr.Plot(show_label=False)
            distribution_chart = gr.Plot(show_label=False)
        over_time = make(
            gr.Dataframe,
            label=Words("ui.portfolio.over_time"),
            interactive=False,
            visible=False,
            elem_id="at-risk-over-time",
        )
        with gr.Row():
            order = make(
                gr.Dropdown,
                choices=Words(
                    lambda lang: [(t(f"ui.portfolio.order_{o}", lang), o) for o in ORDERS]
                ),
                value="probability",
                label=Words("ui.portfolio.order"),
                elem_id="order",
            )
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
        matching = gr.Markdown(elem_id="matching")
        # Wide tables scroll inside their panel, not the page.
        top_table = make(
            gr.Dataframe,
            label=Words("ui.portfolio.top"),
            interactive=False,
            max_height=520,
            elem_id="at-risk",
        )
        export = make(gr.DownloadButton, label=Words("ui.portfolio.export"), value=None)
    return PortfolioTab(
        matrix_table,
        revenue_chart,
        distribution_chart,
        over_time,
        value_basis,
        order,
        risk_level,
        value_tier,
        how_many,
        matching,
        top_table,
        export,
    )


def matching_line(
    matching: int,
    shown: int,
    level: str | None,
    tier: str | None,
    lang: Language,
    order: str = "probability",
) -> str:
    """How many customers match the filters, and how many of them the list shows, in which
    order."""
    words = [t(f"risk_level.{level}", lang)] if level else []
    words += [t(f"value_tier.{tier}", lang)] if tier else []
    filters = t("list.separator", lang).join(words)
    return t(
        f"ui.portfolio.matching_{order}",
        lang,
        matching=f"{matching:,}",
        shown=f"{shown:,}",
        filters=filters or t("ui.portfolio.every", lang),
    )


def wire(tab: PortfolioTab, backend: Backend, language: gr.Radio, demo: gr.Blocks) -> None:
    def portfolio(order: str, level: str, tier: str, n: float, lang: Language):
        """The top at-risk (or most urgent) customers, filtered; how many match in all; a CSV
        of the rows shown."""
        chosen_level = None if level == ANY else level
        chosen_tier = None if tier == ANY else tier
        refused = ""
        try:
            table = at_risk_table(backend.service, int(n), chosen_level, chosen_tier, order)
        except Refusal as err:  # urgency without the time-to-churn model: say so, list by risk
            refused, order = f"\n\n⚠️ {err.words(lang)}", "probability"
            table = at_risk_table(backend.service, int(n), chosen_level, chosen_tier)
        matching = matching_count(backend.service, chosen_level, chosen_tier)
        csv = to_csv_text(phrases.at_risk_frame(table, lang))
        return (
            tables.readable(table, lang),
            backend.save("at-risk-customers.csv", csv),
            matching_line(matching, len(table), chosen_level, chosen_tier, lang, order) + refused,
        )

    def pick_cell(event: gr.SelectData) -> tuple[str, str]:
        """A click on a matrix cell lists that cell's customers (on a level: the whole row)."""
        row, column = event.index
        level, tier = tables.cell_of(row, column)
        return level, tier or ANY

    filters = [tab.order, tab.risk_level, tab.value_tier, tab.how_many, language]
    listed = [tab.top_table, tab.export, tab.matching]
    for control in filters[:-1]:
        control.change(portfolio, filters, listed, api_name=False)
    demo.load(portfolio, filters, listed, api_name="portfolio")
    tab.matrix_table.select(pick_cell, None, [tab.risk_level, tab.value_tier], api_name=False)
    # A new language words the matrix, the charts and the list again.
    language.change(portfolio, filters, listed, api_name=False)
    language.change(
        lambda lang: matrix(backend, lang),
        language,
        [
            tab.matrix_table,
            tab.revenue_chart,
            tab.distribution_chart,
            tab.over_time,
            tab.value_basis,
        ],
        api_name=False,
    )


def matrix(backend: Backend, lang: Language | None = None) -> tuple:
    """The matrix, the two portfolio charts, revenue and CLV at risk over time (with the
    time-to-churn model) and the value tiers' basis (loaded per session, after login)."""
    lang = lang or backend.settings.language
    table = risk_value_matrix(backend.service)
    probabilities = backend.service.scores()["churn_probability"]
    over_time = at_risk_over_time(backend.service)
    return (
        tables.matrix_grid(table, lang),
        charts.revenue_at_risk(table, lang),
        charts.probability_distribution(probabilities, backend.settings, lang),
        gr.Dataframe(
            value=tables.over_time(over_time, backend.settings, lang) if len(over_time) else None,
            visible=bool(len(over_time)),
        ),
        value_basis_line(backend.service.value_basis(), lang),
    )
