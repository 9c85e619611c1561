"""A customer's churn risk: probability and level, value tier, the strongest drivers (a table),
the driver an offer can change, and how similar customers fared."""

from __future__ import annotations

from agents.chat.answers.common import Reference, Results, first_result
from agents.chat.intent import Intent
from agents.chat.skills.skill import Calls, Skill, about_the_customer
from agents.present import lifetime_words, phrases
from core import formats
from core.i18n import t
from tools.schemas import ChurnPrediction, Driver, SegmentChurn, ValueBasis


def calls(intent: Intent) -> Calls:
    return about_the_customer(intent, "predict_churn", "segment_value")


def answer(intent: Intent, results: Results, _reference: Reference) -> str:
    lang = intent.language
    p, v = first_result(results, "predict_churn"), first_result(results, "segment_value")
    drivers = [Driver.model_validate(d) for d in p["drivers"] if d["contribution"] > 0][:3]
    head = t(
        "chat.risk",
        lang,
        customer_id=p["customer_id"],
        probability=formats.percent(p["probability"]),
        risk=t(f"risk_level.{p['risk_level']}", lang),
        tier=t(f"value_tier.{v['tier']}", lang),
        monthly=formats.currency(v["monthly_charges"], lang),
        clv=formats.currency(v["clv_estimate"], lang),
        months=v["clv_horizon_months"],
    )
    table = phrases.driver_table(drivers, lang).markdown()
    actionable = phrases.actionable_line(
        ChurnPrediction.model_validate(p).top_actionable_driver(), lang
    )
    lines = [head]
    if v.get("basis"):
        lines.append(lifetime_words.value_basis_line(ValueBasis.model_validate(v["basis"]), lang))
    lines += ["", t("chat.drivers", lang), "", table, "", actionable]
    if v.get("similar"):
        lines.append(phrases.similar_line(SegmentChurn.model_validate(v["similar"]), lang))
    return "\n".join(lines)


SKILL = Skill(("risk",), calls, answer)
