"""Tables as the app shows them: headers in words, figures formatted for reading, numbers kept as
numbers underneath (a click on a header sorts by value, not by text), and the risk × value
matrix coloured by risk level."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from pandas.io.formats.style import Styler

from agents.present import lifetime_words, phrases, portfolio_words
from core import formats
from core.i18n import t
from core.settings import Settings
from core.types import Language
from models.segments import RISK_LEVELS, VALUE_TIERS
from ui.escape import html_text
from ui.theme import RISK_FILL, TEXT_ON_FILL


def _formats(lang: Language) -> dict[str, Callable[[object], str]]:
    def money(v: object) -> str:
        return formats.currency(float(v), lang)  # type: ignore[arg-type]

    return {
        "churn_probability_percent": lambda v: f"{float(v):.1f}%",  # type: ignore[arg-type]
        "monthly_charges": money,
        "monthly_revenue": money,
        "monthly_revenue_at_risk": money,
        "tenure": lambda v: formats.duration_months(int(v), lang),  # type: ignore[call-overload]
        "churn_within_90d_percent": lambda v: f"{float(v):.1f}%",  # type: ignore[arg-type]
        "lifetime_value": money,
        "expected_loss_90d": money,
        "median_months_left": lambda v: lifetime_words.months_left(v, lang),
    }


def readable(table: pd.DataFrame, lang: Language) -> Styler:
    """`table` (raw column names, numeric values) with words for headers and levels, and each
    figure shown with its unit."""
    words = portfolio_words.at_risk_frame(table, lang)
    formats = {
        phrases.column_label(c, lang): f
        for c, f in _formats(lang).items()
        if c in table and c not in portfolio_words.SHOWN_AS_WORDS
    }
    return words.style.format(formats).hide(axis="index")


def matrix_grid(matrix: pd.DataFrame, lang: Language) -> Styler:
    """Risk levels down, value tiers across; each cell says how many customers, their share of
    the base and the monthly revenue at risk, on the colour of its risk level."""
    total = max(int(matrix["customers"].sum()), 1)
    cells = matrix.set_index(["risk_level", "value_tier"])
    rows = []
    for level in RISK_LEVELS:
        row = [t(f"risk_level.{level}", lang)]
        for tier in VALUE_TIERS:
            cell = cells.loc[(level, tier)]
            row.append(
                t(
                    "ui.portfolio.cell",
                    lang,
                    customers=f"{int(cell['customers']):,}",
                    share=formats.percent(cell["customers"] / total),
                    at_risk=formats.currency(float(cell["monthly_revenue_at_risk"]), lang, 0),
                )
            )
        rows.append(row)
    headers = [t("ui.portfolio.risk_level", lang)] + [
        t(f"value_tier.{tier}", lang) for tier in VALUE_TIERS
    ]
    grid = pd.DataFrame(rows, columns=headers)
    fills = [
        f"background-color: {RISK_FILL[level]}; color: {TEXT_ON_FILL}" for level in RISK_LEVELS
    ]
    return grid.style.apply(lambda column: fills, axis=0).hide(axis="index")


def over_time(table: pd.DataFrame, settings: Settings, lang: Language) -> Styler:
    """Revenue and lifetime value at risk over the next 3, 6 and 12 months, in words. The
    headers say what each sums: bills are revenue, CLV is discounted margin, so a year's CLV
    at risk can be below a year's lost bills."""
    rows = [
        (
            t("ui.portfolio.next_months", lang, months=int(r["months"])),
            t(
                "present.when.with_interval",
                lang,
                figure=formats.people(float(r["expected_leavers"]), lang),
                low=f"{round(r['expected_leavers_low']):,}",
                high=f"{round(r['expected_leavers_high']):,}",
            ),
            *(
                t(
                    "present.when.with_interval",
                    lang,
                    figure=formats.currency(float(r[c]), lang, 0),
                    low=formats.currency(float(r[f"{c}_low"]), lang, 0),
                    high=formats.currency(float(r[f"{c}_high"]), lang, 0),
                )
                for c in ("revenue_lost", "lifetime_value_at_risk")
            ),
        )
        for r in table.to_dict("records")
    ]
    basis = {"margin": f"{settings.margin_rate:.0%}", "months": settings.lifetime_months}
    headers = [
        t(f"ui.portfolio.over_time_{c}", lang, **basis)
        for c in ("window", "leavers", "revenue", "lifetime_value")
    ]
    return pd.DataFrame(rows, columns=headers).style.hide(axis="index")


def cell_of(row: int, column: int) -> tuple[str, str | None]:
    """The risk level and value tier of a clicked matrix cell (the first column: every tier)."""
    level = RISK_LEVELS[row]
    return level, VALUE_TIERS[column - 1] if column > 0 else None


def legend(lang: Language) -> str:
    """Which colour is which risk level, as HTML swatches (the words are ours, escaped)."""
    swatches = "".join(
        f'<span style="display:inline-block;margin-right:14px">'
        f'<span style="display:inline-block;width:14px;height:14px;border-radius:3px;'
        f"vertical-align:middle;margin-right:5px;background:{RISK_FILL[level]};"
        f'border:1px solid #999"></span>{html_text(t(f"risk_level.{level}", lang))}</span>'
        for level in RISK_LEVELS
    )
    hint = html_text(t("ui.portfolio.legend_hint", lang))
    return f'<div id="matrix-legend">{swatches}<span style="opacity:.75">{hint}</span></div>'
