"""What to offer a customer: the best offer by expected value, its cost and effect, the next
two, or why none (low risk: nothing is meant for them; else none pays within the budget)."""

from __future__ import annotations

from agents.chat.answers.common import Reference, Results, first_result
from agents.chat.intent import Intent
from agents.chat.skills.skill import Calls, Skill, about_the_customer
from core import formats
from core.i18n import t


def calls(intent: Intent) -> Calls:
    return about_the_customer(intent, "evaluate_offers")


def answer(intent: Intent, results: Results, reference: Reference) -> str:
    lang, e, playbook = (
        intent.language,
        first_result(results, "evaluate_offers"),
        reference.playbook,
    )
    if not e["options"]:
        if e["risk_level"] == "low":  # no offer is meant for them: not a budget question
            return t("chat.low_risk_no_offer", lang, customer_id=e["customer_id"])
        return t("chat.no_offer", lang, customer_id=e["customer_id"])
    best, rest = e["options"][0], e["options"][1:3]
    lines = [
        t(
            "chat.best_offer",
            lang,
            customer_id=e["customer_id"],
            title=playbook.get(best["offer_id"]).title_in(lang),
        ),
        t(
            "chat.offer_figures",
            lang,
            cost=formats.currency(best["total_cost"], lang),
            before=formats.percent(e["probability"]),
            after=formats.percent(best["probability_after"]),
            value=formats.currency(best["expected_value"], lang),
        ),
    ]
    if best["expected_value"] <= 0:
        lines.append(t("chat.none_pays", lang))
    lines += [
        t(
            "chat.runner_up",
            lang,
            title=playbook.get(o["offer_id"]).title_in(lang),
            value=formats.currency(o["expected_value"], lang),
        )
        for o in rest
    ]
    lines.append(t("chat.estimates", lang))
    return "\n".join(lines)


SKILL = Skill(("offer",), calls, answer)
