"""What a skill is: the intent kinds it answers, its tool calls and its answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from agents.chat.answers.common import Reference, Results
from agents.chat.intent import Intent, IntentKind

Calls = list[tuple[str, dict]]


@dataclass(frozen=True)
class Skill:
    #: The intent kinds it answers (a message skill answers email, SMS and call script).
    kinds: tuple[IntentKind, ...]
    #: (tool name, arguments) the intent needs, in order; [] when it cannot be answered yet.
    calls: Callable[[Intent], Calls]
    #: The reply, from this turn's results of those calls (refusals are answered before).
    answer: Callable[[Intent, Results, Reference], str]


def customer_argument(intent: Intent) -> dict:
    """The first customer's ID as a tool's argument (none when the question names none)."""
    return {"customer_id": intent.customer_ids[0]} if intent.customer_ids else {}


def about_the_customer(intent: Intent, *tools: str) -> Calls:
    """Each of `tools` called about the question's first customer; none without one."""
    return [(tool, customer_argument(intent)) for tool in tools] if intent.customer_ids else []


def analysis_of_the_customer(intent: Intent) -> Calls:
    """The whole analysis of the question's first customer, in the question's language."""
    if not intent.customer_ids:
        return []
    return [("analyze_customer", {**customer_argument(intent), "language": intent.language})]
