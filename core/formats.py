"""How a figure is written, once for every screen: percentages, money in the data's currency
as the reader's language writes it, counts of people, durations in months and years, and dates
the way the reader's language writes them.

Money goes through Babel (CLDR): US dollars are `$1,234.50` in English and `US$1,234.50` in
Traditional Chinese, where a bare `$` or 元 would be read as New Taiwan dollars. The currency is
the data's, one per deployment (`CRM_CURRENCY`, default USD: the Telco file is in US dollars);
the composition root sets it once (`use_currency`). A bare `$` that CLDR gives a currency other
than the US dollar in some locales (New Taiwan dollars in zh_Hant_TW) is written as English
writes it (`NT$`): the reader always sees which dollar.
"""

from __future__ import annotations

import math
import os
from datetime import datetime
from functools import lru_cache

from babel.numbers import format_currency, get_currency_symbol, list_currencies

from core.i18n import t
from core.languages import spec
from core.types import Language

__all__ = [
    "currency",
    "currency_problem",
    "date_time",
    "duration_months",
    "people",
    "percent",
    "use_currency",
]

DEFAULT_CURRENCY = "USD"


def currency_problem(code: str) -> str | None:
    """Why `code` is not a currency Babel can write, or None."""
    if code in list_currencies():
        return None
    return f"{code!r} is not an ISO 4217 currency code; e.g. USD, TWD, EUR"


def _from_environment() -> str:
    """The currency before the settings set it; an invalid one is the settings' error to
    report, so it is not used here."""
    code = os.environ.get("CRM_CURRENCY", DEFAULT_CURRENCY).strip().upper()
    return code if currency_problem(code) is None else DEFAULT_CURRENCY


#: Checked once, when set: every amount written reads it.
_CURRENCY = {"code": _from_environment()}


def use_currency(code: str) -> None:
    """Write every amount from now on in `code` (the data's currency, from the settings)."""
    problem = currency_problem(code)
    if problem is not None:
        raise ValueError(problem)
    _CURRENCY["code"] = code


def currency_code() -> str:
    return _CURRENCY["code"]


def percent(probability: float) -> str:
    return f"{probability:.1%}"


@lru_cache(maxsize=64)
def _symbol(code: str, locale: str) -> tuple[str, str]:
    """(CLDR's symbol, the one written): a bare "$" for another dollar than the US one is
    written as English writes it (NT$, CA$, A$)."""
    symbol = get_currency_symbol(code, locale)
    if symbol == "$" and code != "USD":
        return symbol, get_currency_symbol(code, "en_US")
    return symbol, symbol


def currency(amount: float, lang: Language, digits: int = 2) -> str:
    """An amount of the data's currency, as `lang` writes money: symbol, thousands, sign in
    front (`$1,234.50`, `-US$3.20`, `NT$1,235` with `digits=0`)."""
    if not math.isfinite(amount):
        return "—"
    code, locale = currency_code(), spec(lang).locale
    pattern = None if digits else "¤#,##0"
    shown = format_currency(
        round(amount, digits), code, format=pattern, locale=locale, currency_digits=digits == 2
    )
    cldr, written = _symbol(code, locale)
    return shown.replace(cldr, written, 1) if cldr != written else shown


def people(expected: float, lang: Language) -> str:
    """An expected number of people as whole people: "about 304" (304.1 people cannot leave)."""
    return t("format.about_people", lang, n=f"{round(expected):,}")


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
