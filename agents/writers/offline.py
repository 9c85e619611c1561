"""The offline writer: drafts built from the node's facts with templates, in every language of
the phrase catalogue.

Varied by what is true of the customer — their drivers, value tier and offer — so two customers
rarely read the same. Every figure it writes is taken from the facts it was given.
"""

from __future__ import annotations

from agents.outputs import (
    AnalystDraft,
    CampaignDraft,
    ReasoningDraft,
)
from agents.present.phrases import value_in_words
from core.formats import currency
from core.i18n import first, has, t
from core.types import Language
from data.schema import CATEGORICAL_VALUES, MONEY_COLUMNS, SIGNAL_WINDOW_DAYS, feature_label


def evidence(feature: str, value: object, language: Language) -> str:
    """The customer's own value of a feature, in words."""
    days = SIGNAL_WINDOW_DAYS.get(feature)
    # Numbers stay numbers: the phrases format them (`{v:.0%}`); money is written as money.
    if feature in CATEGORICAL_VALUES:
        shown = value_in_words(feature, value, language)
    elif feature in MONEY_COLUMNS:
        shown = currency(float(value), language)  # type: ignore[arg-type]
    else:
        shown = value
    keys = [f"evidence.{feature}={value}", f"evidence.{feature}"]
    if not any(has(k, language) for k in keys):
        return t("format.labelled", language, label=feature_label(feature, language), value=shown)
    return first(keys, language, v=shown, days=days)


def reason_title(feature: str, language: Language) -> str:
    return first(
        [f"reason.title.{feature}", "reason.title.other"],
        language,
        label=feature_label(feature, language),
    )


def reason_why(feature: str, language: Language) -> str:
    return first([f"reason.why.{feature}", "reason.why.other"], language)


def join(items: list[str], language: Language) -> str:
    """`a, b and c` in English, `a、b、c` in Chinese."""
    if len(items) <= 1:
        return "".join(items)
    return t("list.separator", language).join(items[:-1]) + t("list.last", language) + items[-1]


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---- analyst -------------------------------------------------------------------------------


def analyst(facts: dict, language: Language) -> AnalystDraft:
    values = {
        "customer_id": facts["customer_id"],
        "percent": f"{facts['probability_percent']:.1f}%",
        "risk": t(f"word.{facts['risk_level']}", language),
        "tier": t(f"word.{facts['value_tier']}", language),
        "at_stake": currency(facts["value_at_risk"], language),
        "months": facts["horizon_months"],
        "monthly": currency(facts["monthly_charges"], language),
    }
    if facts["risk_level"] == "low":
        summary = t("analyst.summary_low", language, **values)
    elif facts["value_tier"] == "high":
        summary = t("analyst.summary_high_value", language, **values)
    else:
        summary = t("analyst.summary", language, **values)
    detail = t("analyst.detail", language, **values)
    if "lifetime_value" in facts:
        timing = {
            "within_90": f"{facts['leave_within_90d_percent']:.1f}%",
            "clv": currency(facts["lifetime_value"], language),
            "lifetime_months": facts["lifetime_months"],
            "median": facts["median_months_left"],
        }
        key = "analyst.when" if facts["median_months_left"] is not None else "analyst.when_stays"
        detail += t(key, language, **timing)
    up = [d["evidence"] for d in facts["drivers_up"][:3]]
    down = [d["evidence"] for d in facts["drivers_down"][:2]]
    if up:
        detail += t("analyst.pushes", language, items=join(up, language))
    if down:
        detail += t("analyst.holds", language, items=join(down, language))
    return AnalystDraft(summary=summary, detail=detail)


# ---- reasoning -----------------------------------------------------------------------------


def _addons(count: int, language: Language) -> str:
    key = {0: "addons_none", 1: "addons_one"}.get(count, "addons_many")
    return t(f"reasoning.{key}", language, n=count)


def warning_lines(facts: dict, language: Language) -> list[str]:
    """Each warning sign with what the model does with it for this customer."""
    simulated = t("present.simulated_mark", language)
    return [
        t(
            f"reasoning.signal_{s['effect']}",
            language,
            evidence=s["evidence"] + (simulated if s["simulated"] else ""),
        )
        for s in facts["signals"]
    ]


def reasoning(facts: dict, language: Language) -> ReasoningDraft:
    texts = [
        t(
            "reasoning.explanation",
            language,
            evidence=r["evidence"],
            why=reason_why(r["feature"], language),
        )
        for r in facts["reasons"]
    ]
    warnings = warning_lines(facts, language)
    p = facts["profile"]
    background = t(
        "reasoning.background",
        language,
        tenure=capitalised(p["tenure"]),
        contract=p["contract"],
        internet=p["internet"],
        addons=_addons(p["addons"], language),
        charges=p["charges"],
        payment=p["payment"],
    )
    return ReasoningDraft(explanations=texts, warning_signs=warnings, background=background)


# ---- campaign ------------------------------------------------------------------------------


def campaign(facts: dict, language: Language) -> CampaignDraft:
    c = facts["chosen"]
    targets = join(c["addresses"], language)
    if targets:
        text = t("campaign.targets", language, title=c["title"], targets=targets)
    else:
        text = t("campaign.best_in_budget", language, title=c["title"])
    text += t(
        "campaign.rescored",
        language,
        before=f"{c['probability_before_percent']:.1f}%",
        after=f"{c['probability_after_percent']:.1f}%",
        cost=currency(c["total_cost"], language),
    )
    verdict = "campaign.worth" if facts["worth_its_cost"] else "campaign.not_worth"
    text += t(verdict, language, value=currency(abs(c["expected_value"]), language))
    text += t("campaign.estimate", language)
    return CampaignDraft(why_it_fits=text)
