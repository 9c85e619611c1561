"""The offline writer: drafts built from the node's facts with templates, English and zh-TW.

Varied by what is true of the customer — their drivers, value tier and offer — so two customers
rarely read the same. Every figure it writes is taken from the facts it was given.
"""

from __future__ import annotations

from agents.outputs import (
    AnalystDraft,
    CampaignDraft,
    ReasoningDraft,
)
from agents.writers.phrases import EVIDENCE, EXPLANATIONS, REASON_TITLES, WORDS, YES_NO
from core.types import Language
from data.schema import CATEGORICAL_VALUES, FEATURE_LABELS, SIGNAL_WINDOW_DAYS


def evidence(feature: str, value: object, language: Language) -> str:
    """The customer's own value of a feature, in words."""
    table = EVIDENCE[language]
    days = SIGNAL_WINDOW_DAYS.get(feature)
    keyed = table.get(f"{feature}={value}")
    if keyed is not None:
        return keyed.format(days=days)
    shown = YES_NO[language].get(str(value), value) if feature in CATEGORICAL_VALUES else value
    template = table.get(feature, "{label}: {v}")
    return template.format(v=shown, label=FEATURE_LABELS[feature], days=days)


def reason_title(feature: str, language: Language) -> str:
    titles = REASON_TITLES[language]
    return titles.get(feature, titles["*"]).format(label=FEATURE_LABELS[feature])


def _join(items: list[str], language: Language) -> str:
    if language == "zh-TW":
        return "、".join(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# ---- analyst -------------------------------------------------------------------------------


def analyst(facts: dict, language: Language) -> AnalystDraft:
    w = WORDS[language]
    cid, pct = facts["customer_id"], f"{facts['probability_percent']:.1f}%"
    risk, tier = w[facts["risk_level"]], w[facts["value_tier"]]
    up = [d["evidence"] for d in facts["drivers_up"][:3]]
    down = [d["evidence"] for d in facts["drivers_down"][:2]]
    at_stake = f"{facts['value_at_risk']:,.2f}"
    months = facts["horizon_months"]
    if language == "zh-TW":
        if facts["risk_level"] == "low":
            summary = f"{cid} 流失風險{risk}（{pct}），持續觀察即可，暫不需行動。"
        else:
            summary = f"{cid} 流失風險{risk}（{pct}），屬{tier}價值客戶，需要安排挽留。"
        detail = (
            f"模型估計流失機率為 {pct}。未來 {months} 個月約 {at_stake} 元營收面臨風險"
            f"（月費 {facts['monthly_charges']:.2f} 元）。"
        )
        if up:
            detail += f"最主要的流失因素：{_join(up, language)}。"
        if down:
            detail += f"留住客戶的因素：{_join(down, language)}。"
        return AnalystDraft(summary=summary, detail=detail)
    if facts["risk_level"] == "low":
        summary = f"{cid} is at low risk of leaving ({pct}): monitor, no action needed."
    elif facts["value_tier"] == "high":
        summary = f"{cid} is a high-value customer at {risk} risk of leaving ({pct}): act first."
    else:
        summary = f"{cid} is at {risk} risk of leaving ({pct}), a {tier}-value customer."
    detail = (
        f"The model puts the churn probability at {pct}. ${at_stake} of revenue is at stake over "
        f"the next {months} months (${facts['monthly_charges']:.2f} a month)."
    )
    if up:
        detail += f" The strongest pushes towards leaving: {_join(up, language)}."
    if down:
        detail += f" Holding them back: {_join(down, language)}."
    return AnalystDraft(summary=summary, detail=detail)


# ---- reasoning -----------------------------------------------------------------------------


def reasoning(facts: dict, language: Language) -> ReasoningDraft:
    explanations = EXPLANATIONS[language]
    texts = [
        f"{r['evidence']}: {explanations.get(r['feature'], explanations['*'])}"
        if language == "en"
        else f"{r['evidence']}：{explanations.get(r['feature'], explanations['*'])}"
        for r in facts["reasons"]
    ]
    simulated = f" ({WORDS[language]['simulated']})"
    warnings = [s["evidence"] + (simulated if s["simulated"] else "") for s in facts["signals"]]
    p = facts["profile"]
    if language == "zh-TW":
        background = (
            f"客戶{p['tenure']}，{p['contract']}，{p['internet']}，加購 {p['addons']} 項加值服務。"
            f"{p['charges']}，{p['payment']}。"
        )
    else:
        addons = {0: "no add-on services", 1: "1 add-on service"}.get(
            p["addons"], f"{p['addons']} add-on services"
        )
        background = (
            f"{p['tenure'][0].upper() + p['tenure'][1:]}, on a {p['contract']} with "
            f"{p['internet']} and {addons}. Pays {p['charges']}; {p['payment']}."
        )
    return ReasoningDraft(explanations=texts, warning_signs=warnings, background=background)


# ---- campaign ------------------------------------------------------------------------------


def campaign(facts: dict, language: Language) -> CampaignDraft:
    c = facts["chosen"]
    before, after = (
        f"{c['probability_before_percent']:.1f}%",
        f"{c['probability_after_percent']:.1f}%",
    )
    cost, value = f"{c['total_cost']:,.2f}", f"{abs(c['expected_value']):,.2f}"
    targets = _join(c["addresses"], language)
    if language == "zh-TW":
        text = f"「{c['title']}」"
        text += f"針對{targets}。" if targets else "是預算內期望價值最高的方案。"
        text += f"依模型重新評分，流失機率由 {before} 降至 {after}；成本 {cost} 元，"
        text += f"期望價值 {value} 元。" if facts["worth_its_cost"] else f"期望損失 {value} 元。"
        if not facts["worth_its_cost"]:
            text += "沒有任何方案在模型下能回本，建議改以客服關懷電話為主。"
        text += "模型僅呈現相關性，並非因果保證。"
        return CampaignDraft(why_it_fits=text)
    text = f"{c['title']} "
    text += f"targets {targets}." if targets else "has the best expected value within budget."
    text += f" Re-scored with the offer, churn probability goes from {before} to {after}; "
    if facts["worth_its_cost"]:
        text += f"after its ${cost} cost the expected value is ${value}."
    else:
        text += (
            f"after its ${cost} cost it loses ${value} in expectation: no eligible offer pays for "
            "itself under the model, so use it in a service call rather than a mass send."
        )
    text += " The model is correlational: these effects are estimates, not promises."
    return CampaignDraft(why_it_fits=text)


# ---- communication -------------------------------------------------------------------------
