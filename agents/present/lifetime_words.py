"""Time to churn and lifetime value in a reader's words: "likely to leave within …", the chance
over each window, CLV with its assumptions, and what the value tier is cut on. Every figure
comes from the tools; this module only words it."""

from __future__ import annotations

from core.formats import currency, duration_months, percent
from core.i18n import t
from core.languages import spec
from core.types import Language
from tools.schemas import ValueBasis
from tools.timing_schemas import Interval, NextStep, TimeToChurn


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
    interval = lifetime.median_months_left_interval

    def end(months: float | None) -> str:
        return (
            t("present.when.beyond", lang) if months is None else duration_months(int(months), lang)
        )

    return t(
        "present.when.leaves",
        lang,
        months=duration_months(lifetime.median_months_left, lang),
        low=end(interval.low),
        high=end(interval.high),
    )


def months_left(months: object, lang: Language) -> str:
    """A list cell: the median months left, or "over N months" when it is beyond the horizon
    (NaN in the scores)."""
    value = float(months)  # type: ignore[arg-type]
    if value != value:  # NaN: the curve stays above one half for the whole horizon
        return t("present.when.beyond", lang)
    return duration_months(int(value), lang)


def chance_between(figure: float, interval: Interval, lang: Language) -> str:
    """A chance with its 95 % interval: `12.3% (8.1%–18.4%)`."""
    return t(
        "present.when.between",
        lang,
        figure=percent(figure),
        low=percent(interval.low or 0.0),
        high=percent(interval.high or 0.0),
    )


def chances_line(lifetime: TimeToChurn, lang: Language) -> str:
    return t(
        "present.when.chances",
        lang,
        **{
            f"d{d}": chance_between(
                getattr(lifetime, f"churn_within_{d}d"),
                getattr(lifetime, f"churn_within_{d}d_interval"),
                lang,
            )
            for d in (30, 90, 180, 365)
        },
    )


def support_line(lifetime: TimeToChurn, lang: Language) -> str:
    """How many customers and departures stand behind the figures; where few, that the estimate
    is uncertain, pooled, and what that means for a call."""
    support = lifetime.support
    if not support.thin:
        return t(
            "present.when.support",
            lang,
            customers=f"{support.customers:,}",
            departures=f"{support.departures:,}",
        )
    return t(
        "present.when.thin",
        lang,
        customers=f"{support.customers:,}",
        departures=f"{support.departures:,}",
        first=support.pooled_from_month,
        last=support.pooled_to_month,
        pooled=f"{support.pooled_departures:,}",
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
        low=currency(lifetime.lifetime_value_interval.low or 0.0, lang),
        high=currency(lifetime.lifetime_value_interval.high or 0.0, lang),
        months=lifetime.horizon_months,
        margin=f"{lifetime.margin_rate:.0%}",
        discount=f"{lifetime.annual_discount_rate:.0%}",
    )


def action_word(step: NextStep, lang: Language) -> str:
    """The badge of what to do: call this week, offer this month, next campaign, monitor."""
    return t(f"present.next.{step.action}", lang)


def next_step_line(step: NextStep, lang: Language) -> str:
    """The one headline of what to do, and — when the 90-day figure says soon but the risk
    level is not high — which of the two the recommendation follows, and why."""
    within = percent(step.within_90d) if step.within_90d is not None else None
    key = f"present.next.{step.action}_line" + (
        "" if within or step.action != "offer_this_month" else "_plain"
    )
    line = t(key, lang, within=within or "", threshold=percent(step.threshold))
    if step.timing_disagrees:
        line += ("" if spec(lang).script == "han" else " ") + t(
            "present.next.follows_level",
            lang,
            within=within or "",
            level=t(f"risk_level.{step.risk_level}", lang),
        )
    return line
