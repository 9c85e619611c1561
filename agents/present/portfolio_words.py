"""The Portfolio's at-risk list in a user's words: the table on screen, with each time-to-churn
figure and its interval in one cell, and the file for spreadsheets, whose money headers name the
currency of their plain numbers."""

from __future__ import annotations

import pandas as pd

from agents.present import lifetime_words
from agents.present.phrases import actionable_driver
from core.formats import currency, currency_code
from core.i18n import t
from core.types import Language
from data.schema import feature_label


def _words(frame: pd.DataFrame, lang: Language) -> pd.DataFrame:
    words = frame.copy()
    for column, prefix in (("risk_level", "word"), ("value_tier", "word")):
        if column in words:
            words[column] = [t(f"{prefix}.{v}", lang) for v in words[column]]
    if "top_driver" in words:
        words["top_driver"] = [feature_label(f, lang) for f in words["top_driver"]]
    if "top_actionable_driver" in words:
        words["top_actionable_driver"] = [
            actionable_driver(f, lang) for f in words["top_actionable_driver"]
        ]
    return words.rename(columns={c: t(f"column.{c}", lang) for c in words.columns})


#: Table columns that hold amounts of money: their headers name the currency, so a number in a
#: spreadsheet cell is never read in the wrong one.
MONEY_TABLE_COLUMNS = frozenset(
    {
        "monthly_charges",
        "monthly_revenue",
        "monthly_revenue_at_risk",
        "lifetime_value",
        "revenue_lost",
        "lifetime_value_at_risk",
        "clv",
        "expected_loss_90d",
        "lifetime_value_low",
        "lifetime_value_high",
    }
)


def spreadsheet_header(column: str, lang: Language) -> str:
    """A column's header in a file for spreadsheets, whose cells hold plain numbers: a money
    column's names its currency."""
    header = t(f"column.{column}", lang)
    if column in MONEY_TABLE_COLUMNS:
        return t("format.money_header", lang, header=header, code=currency_code())
    return header


def at_risk_frame(table: pd.DataFrame, lang: Language, spreadsheet: bool = False) -> pd.DataFrame:
    """The at-risk list with headers and values in words: the table shown, or (`spreadsheet`)
    the file exported, whose money headers name the currency of their plain numbers."""
    if spreadsheet:
        words = _words(table, lang)
        words.columns = [spreadsheet_header(c, lang) for c in table.columns]
        return words
    return _words(_interval_shown(table, lang), lang)


#: Columns a file keeps as numbers and the screen folds into the figure they qualify.
_INTERVAL_PARTS = (
    "churn_within_90d_low_percent",
    "churn_within_90d_high_percent",
    "thin_support",
    "support_customers",
    "support_departures",
    "median_months_left_low",
    "median_months_left_high",
    "lifetime_value_low",
    "lifetime_value_high",
)


def _interval_shown(table: pd.DataFrame, lang: Language) -> pd.DataFrame:
    """On screen each time-to-churn figure is one cell with its 95 % interval ("3 months
    (2–4 months)", "$89.75 ($56.01–$141.21)"), the 90-day one marked where few comparable
    customers stand behind it, the support one column ("173 / 19") and a call this week a
    word; a file keeps them all as numbers."""
    if "churn_within_90d_low_percent" not in table:
        return table
    few = t("column.thin_support", lang)
    shown = table.drop(columns=[c for c in _INTERVAL_PARTS if c in table])
    rows = table.to_dict("records")
    shown.insert(
        shown.columns.get_loc("churn_within_90d_percent") + 1,
        "churn_within_90d_interval",
        [
            f"{r['churn_within_90d_low_percent']:.1f}–{r['churn_within_90d_high_percent']:.1f}%"
            + (f" ({few})" if r["thin_support"] else "")
            for r in rows
        ],
    )
    shown.insert(
        shown.columns.get_loc("churn_within_90d_interval") + 1,
        "support",
        [f"{r['support_customers']:,} / {r['support_departures']:,}" for r in rows],
    )
    shown["call_this_week"] = [t("word.yes", lang) if v else "" for v in table["call_this_week"]]
    shown["median_months_left"] = [
        t(
            "present.when.with_interval",
            lang,
            figure=lifetime_words.months_left(r["median_months_left"], lang),
            low=lifetime_words.months_left(r["median_months_left_low"], lang),
            high=lifetime_words.months_left(r["median_months_left_high"], lang),
        )
        for r in rows
    ]
    shown["lifetime_value"] = [
        t(
            "present.when.with_interval",
            lang,
            figure=currency(r["lifetime_value"], lang),
            low=currency(r["lifetime_value_low"], lang),
            high=currency(r["lifetime_value_high"], lang),
        )
        for r in rows
    ]
    return shown


#: Columns `_interval_shown` turns into words: the screen's formats leave them alone.
SHOWN_AS_WORDS = frozenset({"median_months_left", "lifetime_value", "call_this_week"})
