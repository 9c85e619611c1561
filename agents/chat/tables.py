"""The chat's table of customers: one header row in the user's words, one row per customer."""

from __future__ import annotations

from agents import present
from core.i18n import t
from core.types import Language

_COLUMNS = (
    "customer_id",
    "churn_probability_percent",
    "risk_level",
    "value_tier",
    "monthly_charges",
    "top_driver",
)


def customer_table(rows: list[tuple[str, ...]], lang: Language) -> str:
    headers = tuple(t(f"column.{c}", lang) for c in _COLUMNS)
    return present.Table(headers, tuple(rows)).markdown()


def customer_row(
    c: dict, tier: str, monthly: float, driver: str, lang: Language
) -> tuple[str, ...]:
    return (
        c["customer_id"],
        present.percent(c["probability"]),
        t(f"word.{c['risk_level']}", lang),
        t(f"word.{tier}", lang),
        f"{monthly:.2f}",
        driver,
    )
