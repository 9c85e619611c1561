"""Time to churn and lifetime value in a reader's words: "likely to leave within …", the chance
over each window, CLV with its assumptions, and what the value tier is cut on. Every figure
comes from the tools; this module only words it."""

from __future__ import annotations

from core.formats import currency, duration_months, percent
from core.i18n import t
from core.types import Language
from tools.schemas import TimeToChurn, ValueBasis


def value_basis_line(basis: ValueBasis, lang: Language) -> str:
    """What the value tier is cut on, shown wherever a tier is shown."""
    return t(
        f"present.value_basis.{basis.measure}_{basis.source}",
        lang,
        high=currency(basis.high, lang, 0 if basis.measure == "lifetime_value" else 2),
        mid=currency(basis.mid, lang, 0 if basis.measure == "lifetime_value" else 2),
    )


def when_line(lifetime: TimeToChurn, lang: Language) -> str:
    """Likely to leave within … (the median of the curve from today), or likely to stay."""
    if lifetime.median_months_left is None:
        return t(
            "present.when.stays",
            lang,
            months=duration_months(lifetime.horizon_months, lang),
        )
    return t(
        "present.when.leaves",
        lang,
        months=duration_months(lifetime.median_months_left, lang),
    )


def months_left(months: object, lang: Language) -> str:
    """A list cell: the median months left, or "over N months" when it is beyond the horizon
    (NaN in the scores)."""
    value = float(months)  # type: ignore[arg-type]
    if value != value:  # NaN: the curve stays above one half for the whole horizon
        return t("present.when.beyond", lang)
    return duration_months(int(value), lang)


def chances_line(lifetime: TimeToChurn, lang: Language) -> str:
    return t(
        "present.when.chances",
        lang,
        d30=percent(lifetime.churn_within_30d),
        d90=percent(lifetime.churn_within_90d),
        d180=percent(lifetime.churn_within_180d),
        d365=percent(lifetime.churn_within_365d),
    )


def two_figures_line(lang: Language) -> str:
    """Why the chance of leaving within a year can sit far from the churn probability: the
    churn model learned the file's snapshot label, the time-to-churn model counts months."""
    return t("present.when.two_figures", lang)


def lifetime_value_line(lifetime: TimeToChurn, lang: Language) -> str:
    return t(
        "present.when.clv",
        lang,
        clv=currency(lifetime.lifetime_value, lang),
        months=lifetime.horizon_months,
        margin=f"{lifetime.margin_rate:.0%}",
        discount=f"{lifetime.annual_discount_rate:.0%}",
    )


def urgency_word(lifetime: TimeToChurn, lang: Language) -> str:
    """The badge of a customer to call this week; empty when not urgent."""
    return t("present.when.urgent", lang) if lifetime.urgent else ""
