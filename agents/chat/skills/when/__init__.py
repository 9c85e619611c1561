"""When a customer is likely to leave: the time-to-churn model's median with its interval, the
chance of leaving within 30, 90, 180 and 365 days, and what stands behind them."""

from __future__ import annotations

from agents.chat.answers.common import Reference, Results, first_result
from agents.chat.answers.lifetime import when_answer
from agents.chat.intent import Intent
from agents.chat.skills.skill import Calls, Skill, about_the_customer


def calls(intent: Intent) -> Calls:
    return about_the_customer(intent, "predict_time_to_churn")


def answer(intent: Intent, results: Results, _reference: Reference) -> str:
    return when_answer(first_result(results, "predict_time_to_churn"), intent.language)


SKILL = Skill(("when",), calls, answer)
