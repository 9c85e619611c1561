"""The LLM as a writer only: the offline router plans the turn and calls the tools, and the LLM
rewrites the router's answer in its own words (`CRM_CHAT_PLANNER=router`).

A small local model cannot plan tool calls (Gemma 3 270M named the prompt's example customer in
41 of 42 calls), but it can phrase. Its words are held to the same checks as any LLM answer:
only figures and customers of this turn's tool results, risk words as the model says, the
asker's language; otherwise the router's own answer stands, with the reason.
"""

from __future__ import annotations

from collections.abc import Callable

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, SystemMessage

from agents.prompts import prompt
from core.i18n import t
from core.languages import BASE_LANGUAGE
from core.types import Language

#: The backend a phrased answer names: the router's plan, the LLM's words.
PHRASED = "router plan, LLM words"


def phrasing_request(question: str, draft: str, language: Language) -> list[AnyMessage]:
    """What the LLM is asked: the question and the router's answer, to rewrite in `language`."""
    system = prompt("chat_phrase") + f"\n\nWrite in {t(f'language.{language}', BASE_LANGUAGE)}."
    return [SystemMessage(system), HumanMessage(f"Question: {question}\n\nDraft answer:\n{draft}")]


def phrased(
    draft: AIMessage,
    question: str,
    ask: Callable[[list[AnyMessage]], AIMessage],
    problems_in: Callable[[str], list[str]],
) -> tuple[AIMessage | None, str | None]:
    """The LLM's rewrite of `draft` when every check passes, else None and why (an LLM failure
    is raised to the caller, which keeps the circuit breaker's count)."""
    language: Language = draft.response_metadata["language"]
    reply = ask(phrasing_request(question, draft.text, language))
    if reply.tool_calls:
        return None, "LLM words refused: it called tools instead of writing"
    words = reply.text.strip()
    wrong = problems_in(words) if words else ["empty text"]
    if wrong:
        return None, f"LLM words refused: {'; '.join(wrong)}"
    meta = {"backend": PHRASED, "language": language}
    return AIMessage(content=words, response_metadata=meta), None
