"""Answers to questions over many customers, from `query_customers` results: who matched,
each measure in words, a table by group, and the likeliest churners with the true total."""

from __future__ import annotations

from agents.chat.answers.tables import customer_rows, customer_table
from agents.present import lifetime_words, phrases
from core import formats
from core.i18n import t
from core.types import Language
from data.schema import MONEY_COLUMNS, feature_label
from tools.schemas import ValueBasis


def top_driver(customer: dict, lang: Language) -> str:
    return feature_label(customer["top_driver"], lang)


#: The columns whose figures are money (the rest are months, counts or rates).
_MONEY = (*MONEY_COLUMNS, "clv")


def _figure(measure: str, value: float, lang: Language, column: str | None = None) -> str:
    if measure in ("share", "churn_rate", "mean_probability") or (
        column in ("churn_probability", "churn_within_90d") and measure in ("mean", "median")
    ):
        return formats.percent(value)
    if measure == "count":
        return f"{int(value):,}"
    if measure in ("revenue_at_risk", "high_risk_revenue_at_risk") or column in _MONEY:
        return formats.currency(value, lang)
    if column == "usage_drop_rate":
        return formats.percent(value)
    return f"{value:,.1f}"  # months, logins, complaints: a count, averaged


def _with_interval(g: dict, measure: str, lang: Language, column: str | None) -> str:
    """A figure, and its 95 % interval when it comes from the time-to-churn model."""
    shown = _figure(measure, g["figures"][measure], lang, column)
    interval = (g.get("intervals") or {}).get(measure)
    if not interval:
        return shown
    return t(
        "present.when.with_interval",
        lang,
        figure=shown,
        low=_figure(measure, interval["low"], lang, column),
        high=_figure(measure, interval["high"], lang, column),
    )


def filter_words(f: dict, lang: Language) -> str:
    column = f["column"]
    if f.get("values"):
        if column in ("risk_level", "value_tier"):  # "high risk", not "risk: high"
            return t("list.or", lang).join(t(f"{column}.{v}", lang) for v in f["values"])
        shown = [phrases.value_in_words(column, v, lang) for v in f["values"]]
        values = t("list.or", lang).join(shown)
        return t("chat.query.is", lang, column=phrases.column_label(column, lang), values=values)
    low, high = f.get("at_least"), f.get("at_most")
    return t(
        "chat.query.range",
        lang,
        column=phrases.column_label(column, lang),
        low="…" if low is None else f"{low:g}",
        high="…" if high is None else f"{high:g}",
    )


#: Which figure a comparison ranks its groups by, the first the answer holds.
_RANKED_BY = ("churn_rate", "mean_probability", "revenue_at_risk", "mean", "median", "sum", "count")


def _headline(r: dict, view: dict, segment: str, lang: Language) -> list[str]:
    """The sentence a comparison or a share-within question asks for, before the table."""
    groups = [g for g in r["groups"] if g["group"] is not None]
    if not r["group_by"] or not groups:
        return []
    column = r["group_by"]
    if view.get("focus"):
        value = view["focus"][1]
        found = next((g for g in groups if g["group"] == value), None)
        count = found["figures"].get("count", 0.0) if found else 0.0
        share = found["figures"].get("share", 0.0) if found else 0.0
        return [
            t(
                "chat.query.within",
                lang,
                count=f"{int(count):,}",
                share=formats.percent(share),
                matching=f"{r['matching']:,}",
                segment=segment,
                value=filter_words({"column": column, "values": [value]}, lang),
            ),
            "",
        ]
    measure = next((m for m in _RANKED_BY if m in groups[0]["figures"]), None)
    if not view.get("rank") or measure is None:
        return []
    pick = max if view["rank"] == "most" else min
    chosen = pick(groups, key=lambda g: g["figures"][measure])
    of = phrases.column_label(r["column"], lang) if r["column"] else ""
    label = t(f"chat.measure.{measure}", lang, column=of)
    return [
        t(
            f"chat.query.{view['rank']}",
            lang,
            group=phrases.group_in_words(column, chosen["group"], lang),
            measure=label,
            figure=_figure(measure, chosen["figures"][measure], lang, r["column"]),
        ),
        "",
    ]


def query_answer(r: dict, arguments: dict, lang: Language, view: dict | None = None) -> str:
    """The answer to a question over many customers, from `query_customers`' result; `view`
    asks for the group a comparison names, or a share within the segment."""
    segment = t("list.separator", lang).join(
        filter_words(f, lang) for f in arguments["filters"]
    ) or t("chat.query.everyone", lang)
    matching = t(
        "chat.query.matching",
        lang,
        matching=f"{r['matching']:,}",
        total=f"{r['total_customers']:,}",
        segment=segment,
    )
    lines = [*_headline(r, view or {}, segment, lang), matching]
    measures = list(r["groups"][0]["figures"])
    column = phrases.column_label(r["column"], lang) if r["column"] else ""
    headers = tuple(t(f"chat.measure.{m}", lang, column=column) for m in measures)
    if r["group_by"]:
        group_header = phrases.column_label(r["group_by"], lang)
        rows = [
            (
                t("chat.query.all", lang)
                if g["group"] is None
                else phrases.group_in_words(r["group_by"], g["group"], lang),
                *(_with_interval(g, m, lang, r["column"]) for m in measures),
            )
            for g in r["groups"]
        ]
        lines += ["", phrases.Table((group_header, *headers), tuple(rows)).markdown()]
    else:
        everyone = r["groups"][0]
        lines += [
            f"- {h}: **{_with_interval(everyone, m, lang, r['column'])}**"
            for h, m in zip(headers, measures, strict=True)
        ]
    if r["customers"]:
        rows = customer_rows(r["customers"], lang)
        shown = t(
            "chat.query.shown",
            lang,
            shown=f"{r['customers_shown']:,}",
            matching=f"{r['matching']:,}",
        )
        lines += ["", customer_table(rows, lang), "", shown]
    if r.get("value_basis"):
        basis = ValueBasis.model_validate(r["value_basis"])
        lines += ["", lifetime_words.value_basis_line(basis, lang)]
    return "\n".join(lines)
