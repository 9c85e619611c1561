"""What a customer is worth: lifetime value (with its interval), value tier and timing."""

from __future__ import annotations

from agents.chat.answers.common import Reference, Results, first_result
from agents.chat.answers.lifetime import lifetime_answer
from agents.chat.intent import Intent
from agents.chat.skills.skill import Calls, Skill, about_the_customer


def calls(intent: Intent) -> Calls:
    return about_the_customer(intent, "predict_time_to_churn", "segment_value")


def answer(intent: Intent, results: Results, _reference: Reference) -> str:
    timing = first_result(results, "predict_time_to_churn")
    return lifetime_answer(timing, first_result(results, "segment_value"), intent.language)


SKILL = Skill(("lifetime_value",), calls, answer)
