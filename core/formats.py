"""How a figure is written, once for every screen: percentages, money (inside a phrase that
carries its currency, or standing alone with it), durations in months and years, and dates the
way the reader's language writes them."""

from __future__ import annotations

from datetime import datetime

from core.i18n import t
from core.types import Language

__all__ = ["currency", "date_time", "duration_months", "money", "percent"]


def percent(probability: float) -> str:
    return f"{probability:.1%}"


def money(amount: float) -> str:
    """An amount for a phrase that carries its own currency words (`${at_stake}`, `{cost} 元`)."""
    return f"{amount:,.2f}"


def currency(amount: float, lang: Language, digits: int = 2) -> str:
    """An amount standing alone (a table cell, a badge): currency, thousands, sign in front."""
    shown = t("format.money", lang, amount=f"{abs(amount):,.{digits}f}")
    return f"-{shown}" if round(amount, digits) < 0 else shown


def duration_months(months: int, lang: Language) -> str:
    """Months in words; from a year on, in years and months too: `27 months (2 years 3 months)`."""
    months = int(months)
    said = t("format.month_one" if months == 1 else "format.months", lang, n=months)
    if months < 12:
        return said
    years, rest = divmod(months, 12)
    in_years = t("format.year_one" if years == 1 else "format.years", lang, n=years)
    if rest:
        in_years = t("format.years_and", lang, years=in_years, months=duration_months(rest, lang))
    return t("format.long_duration", lang, months=said, years=in_years)


def date_time(moment: str | datetime | None, lang: Language) -> str:
    """An ISO time stamp as the reader's language writes dates (time zone kept, e.g. UTC)."""
    if not moment:
        return ""
    when = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    zone = when.tzname() or ""
    month = t(f"format.month_name.{when.month}", lang)
    return t("format.date_time", lang, d=when, month=month, zone=zone).strip()
