"""The customers most likely to leave, optionally of one value tier or risk level; ordered by
urgency (the 90-day chance, high risk first) when the question names a time."""

from __future__ import annotations

from agents.chat.answers.common import Reference, Results, first_result
from agents.chat.answers.lifetime import urgent_list
from agents.chat.answers.tables import customer_rows, customer_table
from agents.chat.intent import Intent
from agents.chat.skills.skill import Calls, Skill
from agents.present import lifetime_words
from core.i18n import t
from tools.schemas import ValueBasis


def calls(intent: Intent) -> Calls:
    args: dict = {"limit": intent.limit}
    if intent.value_tier:
        args["value_tier"] = intent.value_tier
    if intent.risk_level:
        args["risk_level"] = intent.risk_level
    if intent.order != "probability":
        args["order"] = intent.order
    if intent.order == "urgency" and intent.risk_level in (None, "high"):
        # "likely to leave this quarter": those the 90-day figure and the gate pick, counted
        # in full — not the whole base ordered
        args["call_this_week_only"] = True
    return [("list_at_risk", args)]


def answer(intent: Intent, results: Results, _reference: Reference) -> str:
    lang, r = intent.language, first_result(results, "list_at_risk")
    if intent.order == "urgency":
        return urgent_list(r, lang)
    if not r["customers"]:
        return t("chat.no_match", lang)
    rows = customer_rows(r["customers"], lang)
    total = t("chat.matching", lang, count=f"{r['matching']:,}")
    basis = r.get("value_basis")
    tiers = (
        [lifetime_words.value_basis_line(ValueBasis.model_validate(basis), lang)] if basis else []
    )
    return "\n".join([customer_table(rows, lang), "", total, *tiers])


SKILL = Skill(("top",), calls, answer)
