"""The chat's table of customers: one header row in the user's words, one row per customer."""

from __future__ import annotations

from agents.present import lifetime_words, phrases
from core import formats
from core.i18n import t
from core.types import Language
from data.schema import feature_label
from tools.timing_schemas import Interval

#: Headers of figures shown with their % sign, so the header does not repeat it.
_COLUMNS = (
    "customer_id",
    "churn_probability",
    "risk_level",
    "value_tier",
    "monthly_charges",
    "top_driver",
    "top_actionable_driver",
)


#: The urgent list adds the chance of leaving within 90 days and lifetime value.
_URGENT_COLUMNS = (*_COLUMNS[:2], "churn_within_90d", "lifetime_value", *_COLUMNS[2:])


def customer_table(rows: list[tuple[str, ...]], lang: Language, urgent: bool = False) -> str:
    headers = tuple(t(f"column.{c}", lang) for c in (_URGENT_COLUMNS if urgent else _COLUMNS))
    return phrases.Table(headers, tuple(rows)).markdown()


def urgent_row(c: dict, driver: str, lang: Language) -> tuple[str, ...]:
    """A row of the urgent list: the customer row with the 90-day chance and CLV after the
    probability."""
    row = customer_row(
        c, c["value_tier"], c["monthly_charges"], driver, c.get("top_actionable_driver"), lang
    )
    within = c.get("churn_within_90d")
    interval = c.get("churn_within_90d_interval")
    shown = (
        lifetime_words.chance_between(within, Interval.model_validate(interval), lang)
        if within is not None and interval
        else formats.percent(within)
        if within is not None
        else ""
    )
    if c.get("thin_support"):
        shown += f" ({t('column.thin_support', lang)})"
    extra = (
        shown,
        _value_with_interval(c, lang),
    )
    return (*row[:2], *extra, *row[2:])


def _value_with_interval(c: dict, lang: Language) -> str:
    """The lifetime value cell: the figure and its 95 % interval."""
    if c.get("lifetime_value") is None:
        return ""
    interval = c.get("lifetime_value_interval")
    if not interval:
        return formats.currency(c["lifetime_value"], lang)
    return t(
        "present.when.with_interval",
        lang,
        figure=formats.currency(c["lifetime_value"], lang),
        low=formats.currency(interval["low"], lang),
        high=formats.currency(interval["high"], lang),
    )


def customer_row(
    c: dict, tier: str, monthly: float, driver: str, actionable: str | None, lang: Language
) -> tuple[str, ...]:
    """`actionable`: the feature of the strongest driver an offer can change, if any."""
    return (
        c["customer_id"],
        formats.percent(c["probability"]),
        t(f"word.{c['risk_level']}", lang),
        t(f"word.{tier}", lang),
        formats.currency(monthly, lang),
        driver,
        phrases.actionable_driver(actionable, lang),
    )


def customer_rows(customers: list[dict], lang: Language) -> list[tuple[str, ...]]:
    """One row per customer of an `AtRiskList` or a query's result, likeliest first."""
    return [
        customer_row(
            c,
            c["value_tier"],
            c["monthly_charges"],
            feature_label(c["top_driver"], lang),
            c.get("top_actionable_driver"),
            lang,
        )
        for c in customers
    ]
