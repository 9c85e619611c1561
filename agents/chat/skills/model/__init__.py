"""How the model works and how good it is: the model card in words."""

from __future__ import annotations

from agents.chat.answers.common import Reference, Results, first_result
from agents.chat.answers.model import model_answer
from agents.chat.intent import Intent
from agents.chat.skills.skill import Calls, Skill


def calls(intent: Intent) -> Calls:
    return [("model_card", {"language": intent.language})]


def answer(intent: Intent, results: Results, _reference: Reference) -> str:
    return model_answer(first_result(results, "model_card"), intent.language)


SKILL = Skill(("model",), calls, answer)
