"""Why a customer's risk changed: the churn probability run by run and, when the last two runs
differ by the margin or more, the drivers that moved it and whose change it was (the customer's
data or a new model version)."""

from __future__ import annotations

from agents.chat.answers.common import Reference, Results, first_result
from agents.chat.intent import Intent
from agents.chat.skills.skill import Calls, Skill, about_the_customer
from agents.present.health_words import history_lines
from tools.service.risk_history import RiskHistory


def calls(intent: Intent) -> Calls:
    return about_the_customer(intent, "risk_history")


def answer(intent: Intent, results: Results, _reference: Reference) -> str:
    history = RiskHistory.model_validate(first_result(results, "risk_history"))
    return "\n".join(history_lines(history, intent.language))


SKILL = Skill(("risk_change",), calls, answer)
