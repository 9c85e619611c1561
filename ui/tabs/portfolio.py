"""Portfolio tab: the risk × value matrix (click a cell to list its customers), revenue at risk
and the spread of churn probability, and the customers most likely to churn, filterable,
sortable and downloadable."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import gradio as gr

from agents.present import portfolio_words
from agents.present.lifetime_words import value_basis_line
from core import formats
from core.i18n import t
from core.types import Language
from data.spreadsheet import to_csv_text
from tools.portfolio.overview import (
    at_risk_over_time,
    at_risk_table,
    calls_this_week,
    matching_count,
    risk_value_matrix,
)
from tools.refusals import Refusal
from ui import charts, tables
from ui.backend import Backend
from ui.labels import Words
from ui.manager import Manager
from ui.tabs import threshold_panel

NAME = "portfolio"
ANY = "any"
ORDERS = ("probability", "urgency")
#: The panels that show the whole base (worded again on a language switch).
OVERVIEW = ("matrix_table", "revenue_chart", "distribution_chart", "over_time", "value_basis")


def _choices(keys: tuple[str, ...], lang: Language) -> list[tuple[str, str]]:
    return [(t("ui.any", lang), ANY), *[(t(f"word.{k}", lang), k) for k in keys]]


def build(manager: Manager) -> None:
    make = manager.labels.make
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
        # Its title follows its order: the list handler words it (and again on a switch).
        top_table = make(
            gr.Dataframe,
            label=t("ui.portfolio.top", manager.labels.language),
            interactive=False,
            max_height=520,
            elem_id="at-risk",
        )
        export = make(gr.DownloadButton, label=Words("ui.portfolio.export"), value=None)
        thresholds = threshold_panel.build(make)
    manager.add_elems(
        NAME,
        {
            **thresholds,
            "matrix_table": matrix_table,
            "revenue_chart": revenue_chart,
            "distribution_chart": distribution_chart,
            "over_time": over_time,
            "value_basis": value_basis,
            "order": order,
            "risk_level": risk_level,
            "value_tier": value_tier,
            "how_many": how_many,
            "matching": matching,
            "top_table": top_table,
            "export": export,
        },
    )


def matching_line(
    matching: int,
    shown: int,
    level: str | None,
    tier: str | None,
    lang: Language,
    order: str = "probability",
    calls: int = 0,
    threshold: float = 0.0,
) -> str:
    """How many customers match the filters, how many of them the list shows, in which order,
    and (by urgency) how many of them to call this week."""
    words = [t(f"risk_level.{level}", lang)] if level else []
    words += [t(f"value_tier.{tier}", lang)] if tier else []
    filters = t("list.separator", lang).join(words)
    return t(
        f"ui.portfolio.matching_{order}",
        lang,
        matching=f"{matching:,}",
        shown=f"{shown:,}",
        filters=filters or t("ui.portfolio.every", lang),
        calls=f"{calls:,}",
        threshold=formats.percent(threshold),
    )


def wire(manager: Manager, demo: gr.Blocks) -> None:
    backend, language = manager.backend, manager.language
    tab = SimpleNamespace(**manager.elems_of(NAME))

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
        calls = (
            calls_this_week(backend.service, chosen_level, chosen_tier) if order == "urgency" else 0
        )
        csv = to_csv_text(portfolio_words.at_risk_frame(table, lang, spreadsheet=True))
        title = t("ui.portfolio.order_urgency" if order == "urgency" else "ui.portfolio.top", lang)
        return (
            gr.Dataframe(value=tables.readable(table, lang), label=title),
            backend.save("at-risk-customers.csv", csv),
            matching_line(
                matching,
                len(table),
                chosen_level,
                chosen_tier,
                lang,
                order,
                calls,
                backend.service.settings.urgent_within_90d,
            )
            + refused,
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
    _wire_thresholds(backend, tab, language)
    # A new language words the matrix, the charts and the list again.
    language.change(portfolio, filters, listed, api_name=False)
    language.change(
        lambda lang: list(matrix(backend, lang).values()),
        language,
        manager.get_elems(f"{NAME}.{name}" for name in OVERVIEW),
        api_name=False,
    )


def _wire_thresholds(backend: Backend, tab: SimpleNamespace, language: gr.Dropdown) -> None:
    """The simulator computes when its section opens (out-of-fold predictions take a moment),
    and again as any control moves or the language changes."""
    controls = [tab.threshold_cutoff, tab.threshold_cost, tab.threshold_save_rate, language]
    shown = [tab.threshold_outcome, tab.threshold_table]

    def simulate(cutoff: float, cost: float | None, save_rate: float, lang: Language):
        return threshold_panel.simulated(backend, cutoff, cost, save_rate, lang)

    tab.threshold_accordion.expand(simulate, controls, shown, api_name=False)
    for control in controls:
        control.change(simulate, controls, shown, api_name=False)
    language.change(
        lambda lang: threshold_panel.starting_point(backend, lang)["threshold_intro"],
        language,
        tab.threshold_intro,
        api_name=False,
    )


def matrix(backend: Backend, lang: Language | None = None) -> dict[str, Any]:
    """The matrix, the two portfolio charts, revenue and CLV at risk over time (with the
    time-to-churn model) and the value tiers' basis, by panel name."""
    lang = lang or backend.settings.language
    table = risk_value_matrix(backend.service)
    probabilities = backend.service.scores()["churn_probability"]
    over_time = at_risk_over_time(backend.service)
    return {
        "matrix_table": tables.matrix_grid(table, lang),
        "revenue_chart": charts.revenue_at_risk(table, lang),
        "distribution_chart": charts.probability_distribution(
            probabilities, backend.settings, lang
        ),
        "over_time": gr.Dataframe(
            value=tables.over_time(over_time, backend.settings, lang) if len(over_time) else None,
            visible=bool(len(over_time)),
        ),
        "value_basis": value_basis_line(backend.service.value_basis(), lang),
    }


#: What `session_start` fills, loaded per session (after login).
SESSION_PANELS = (*OVERVIEW, *threshold_panel.STARTING_POINT)


def session_start(backend: Backend, lang: Language) -> dict[str, Any]:
    """The overview of the data in use and where the threshold simulator starts, loaded per
    session (after login)."""
    return matrix(backend, lang) | threshold_panel.starting_point(backend, lang)
