"""The LLM as a writer only: the offline router plans the turn and calls the tools, and the LLM
rewrites the router's answer in its own words (`CRM_CHAT_PLANNER=router`).

A small local model cannot plan tool calls (Gemma 3 270M named the prompt's example customer in
41 of 42 calls), but it can phrase. Its words are held to the same checks as any LLM answer:
only figures and customers of this turn's tool results, risk words as the model says, the
asker's language — and more: a rewrite must keep every figure and customer of the router's
answer (it rewords, it does not answer less), must not echo the request, and must not stop
mid-sentence. Otherwise the router's own answer stands, with the reason. Tables and messages
(email, SMS, call script) are not sent to be rewritten: there is nothing to reword in them, and
a small model only mangles them."""

from __future__ import annotations

import re
from collections.abc import Callable

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, SystemMessage

from agents.chat.intents import CUSTOMER_ID
from agents.checks.grounding import numbers_in
from agents.prompts import prompt
from core.i18n import t
from core.languages import BASE_LANGUAGE
from core.types import Language

#: The backend a phrased answer names: the router's plan, the LLM's words.
PHRASED = "router plan, LLM words"
#: Intent kinds whose answer is a written message: sent as it is.
MESSAGES = ("email", "sms", "call_script")
#: The request's own words, which a rewrite must not repeat.
_SCAFFOLD = ("The manager asked:", "Question:", "Draft answer:")
_MARKUP = re.compile(r"[\W_]+")
_CUT = re.compile(r"[:：,，、;；(（-]\s*$")


def worth_phrasing(draft: AIMessage) -> bool:
    """Prose the router wrote; not a table, not a message (their words are final)."""
    kinds = draft.response_metadata.get("kinds", [])
    tabled = any(line.lstrip().startswith("|") for line in draft.text.splitlines())
    return not tabled and not set(kinds) & set(MESSAGES)


def _customers_in(text: str) -> set[str]:
    return {found.upper() for found in CUSTOMER_ID.findall(text)}


def rewrite_problems(words: str, draft: str) -> list[str]:
    """What a rewrite of `draft` lost or added in form: a figure or customer dropped, the
    request echoed, a sentence cut off."""
    problems = []
    kept = {round(v, 6) for v, _, _ in numbers_in(words)}
    dropped = [shown for v, _, shown in numbers_in(draft) if round(v, 6) not in kept]
    if dropped:
        problems.append(f"figures of the answer left out: {', '.join(dict.fromkeys(dropped))}")
    gone = sorted(_customers_in(draft) - _customers_in(words))
    if gone:
        problems.append(f"customers of the answer left out: {', '.join(gone)}")
    if any(mark in words for mark in _SCAFFOLD):
        problems.append("it repeats the request")
    if _CUT.search(words):
        problems.append("it stops mid-sentence")
    if _MARKUP.sub("", words).casefold() == _MARKUP.sub("", draft).casefold():
        problems.append("it returns the answer unchanged")
    return problems


def phrasing_request(question: str, draft: str, language: Language) -> list[AnyMessage]:
    """What the LLM is asked: the router's answer, to rewrite in `language`; the question only
    as context (a small model sent labelled parts echoes the labels)."""
    asked = f"The manager asked: {question}"
    written = f"Write in {t(f'language.{language}', BASE_LANGUAGE)}."
    return [SystemMessage(f"{prompt('chat_phrase')}\n\n{asked}\n{written}"), HumanMessage(draft)]


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
    wrong = (rewrite_problems(words, draft.text) + problems_in(words)) if words else ["empty text"]
    if wrong:
        return None, f"LLM words refused: {'; '.join(wrong)}"
    meta = {"backend": PHRASED, "language": language}
    return AIMessage(content=words, response_metadata=meta), None
