"""The chat's table of customers: one header row in the user's words, one row per customer."""

from __future__ import annotations

from agents import figures, present
from core.i18n import t
from core.types import Language

_COLUMNS = (
    "customer_id",
    "churn_probability_percent",
    "risk_level",
    "value_tier",
    "monthly_charges",
    "top_driver",
    "top_actionable_driver",
)


def customer_table(rows: list[tuple[str, ...]], lang: Language) -> str:
    headers = tuple(t(f"column.{c}", lang) for c in _COLUMNS)
    return present.Table(headers, tuple(rows)).markdown()


def customer_row(
    c: dict, tier: str, monthly: float, driver: str, actionable: str | None, lang: Language
) -> tuple[str, ...]:
    """`actionable`: the feature of the strongest driver an offer can change, if any."""
    return (
        c["customer_id"],
        figures.percent(c["probability"]),
        t(f"word.{c['risk_level']}", lang),
        t(f"word.{tier}", lang),
        figures.currency(monthly, lang),
        driver,
        present.actionable_driver(actionable, lang),
    )
