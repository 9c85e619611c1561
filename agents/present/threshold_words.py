"""The threshold simulator in words: the chosen cut-off's line, the best one, and every cut-off
as a table (money as money, in the reader's language)."""

from __future__ import annotations

from agents.present.phrases import Table
from core.formats import currency, percent
from core.i18n import t
from core.types import Language
from tools.portfolio.thresholds import ThresholdRow, best_cutoff

COLUMNS = ("cutoff", "contacted", "tp", "fp", "missed", "cost", "saves", "value", "net")


def chosen_line(row: ThresholdRow, lang: Language) -> str:
    return t(
        "ui.thresholds.chosen",
        lang,
        cutoff=percent(row.cutoff),
        contacted=f"{row.contacted:,}",
        tp=f"{row.true_positives:,}",
        precision=percent(row.precision),
        fp=f"{row.false_positives:,}",
        missed=f"{row.missed:,}",
        cost=currency(row.cost, lang, 0),
        saves=f"{row.expected_saves:,.0f}",
        value=currency(row.value_saved, lang, 0),
        net=currency(row.net_value, lang, 0),
    )


def best_line(rows: list[ThresholdRow], current: float, lang: Language) -> str:
    best = best_cutoff(rows)
    return t(
        "ui.thresholds.best",
        lang,
        cutoff=percent(best.cutoff),
        net=currency(best.net_value, lang, 0),
        current=percent(current),
    )


def threshold_table(rows: list[ThresholdRow], lang: Language) -> Table:
    shown = tuple(
        (
            percent(r.cutoff),
            f"{r.contacted:,}",
            f"{r.true_positives:,}",
            f"{r.false_positives:,}",
            f"{r.missed:,}",
            currency(r.cost, lang, 0),
            f"{r.expected_saves:,.0f}",
            currency(r.value_saved, lang, 0),
            currency(r.net_value, lang, 0),
        )
        for r in rows
    )
    headers = tuple(t(f"ui.thresholds.column_{c}", lang) for c in COLUMNS)
    return Table(headers=headers, rows=shown)
