"""A figure over many customers: the typed analytics query (filters × group-by × measures ×
list) that `queries.py` reads from the question, answered by `query_customers`."""

from __future__ import annotations

from agents.chat.answers.common import Reference, Results, first_result
from agents.chat.answers.query import query_answer
from agents.chat.intent import Intent
from agents.chat.skills.skill import Calls, Skill


def calls(intent: Intent) -> Calls:
    return [("query_customers", dict(intent.query))]


def answer(intent: Intent, results: Results, _reference: Reference) -> str:
    result = dict(first_result(results, "query_customers"))
    return query_answer(result, intent.query, intent.language, intent.view)


SKILL = Skill(("query",), calls, answer)
