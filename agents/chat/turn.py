"""One turn of a chat thread: its question, the messages after it, the tool results they hold,
and what those results back — the figures (and their kinds) an answer of this turn may use."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage

from agents.checks.answers import answer_problems, with_durations_in_digits
from agents.checks.claims import claim_problems_in, facts_by_kind
from agents.checks.grounding import numbers_in, ungrounded_numbers


def this_turn(messages: list[AnyMessage]) -> tuple[HumanMessage, list[AnyMessage]]:
    """The latest question and every message after it."""
    for i in range(len(messages) - 1, -1, -1):
        if isinstance(messages[i], HumanMessage):
            return messages[i], messages[i + 1 :]  # type: ignore[return-value]
    raise ValueError("the conversation has no question yet")


def tool_results(turn: list[AnyMessage]) -> list[tuple[str, dict, Any]]:
    """(tool, arguments, payload) of every tool call answered this turn; errors as strings."""
    calls = {
        call["id"]: (call["name"], call["args"])
        for m in turn
        if isinstance(m, AIMessage)
        for call in m.tool_calls
    }
    found = []
    for m in turn:
        if isinstance(m, ToolMessage) and m.tool_call_id in calls:
            name, args = calls[m.tool_call_id]
            payload: Any = m.text
            if m.status != "error":
                with contextlib.suppress(json.JSONDecodeError):
                    payload = json.loads(payload)
            found.append((name, args, payload))
    return found


class TurnFacts:
    """What this turn's tool results (and the question) back, read once: the figures they hold
    and the figures of each kind ("12 months" must be a duration, a stay must be the tenure)."""

    def __init__(self, messages: list[AnyMessage]) -> None:
        question, turn = this_turn(messages)
        self.question = question.text
        self.results = tool_results(turn)
        payloads = [payload for _, _, payload in self.results]
        self.allowed = {v for v, _, _ in numbers_in(question.text)}
        for payload in payloads:
            text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
            self.allowed |= {v for v, _, _ in numbers_in(text)}
            # Probabilities arrive as fractions and are quoted as percentages.
            self.allowed |= {v * 100 for v, _, _ in numbers_in(text) if 0 <= v <= 1}
        self.kinds = facts_by_kind([question.text, *payloads])

    def problems(self, answer: str) -> list[str]:
        """What in `answer` these facts do not back; empty when all of it is backed."""
        read = with_durations_in_digits(answer)  # "two years" is a figure too
        unheld = ungrounded_numbers(read, self.allowed)
        problems = [f"figures not in the tool results: {', '.join(unheld)}"] if unheld else []
        problems += claim_problems_in(read, self.kinds)
        return problems + answer_problems(answer, self.question, self.results)


def ungrounded_in_turn(reply: AIMessage, messages: list[AnyMessage]) -> list[str]:
    """What in the LLM's answer this turn's tool results (or the question) do not back."""
    return TurnFacts(messages).problems(reply.text)
