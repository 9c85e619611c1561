"""The chat agent's one node: an LLM that chooses tools, or the offline intent router.

Both emit the same kind of messages — an AI message with tool calls, then one with the answer —
so the chat graph, its trace and its UI do not care which one wrote them. An LLM answer must use
only figures from this turn's tool results; when it does not, or the LLM fails, the rest of the
turn is handled by the offline router and the state says why.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from langchain_core.messages import AIMessage, AnyMessage, SystemMessage
from langgraph.runtime import Runtime

from agents.chat.answers.common import Reference
from agents.chat.bounds import (
    MOST_CHARACTERS,
    MOST_CUSTOMERS,
    MOST_PARTS,
    MOST_TOOL_CALLS,
    cut_answer,
    too_long,
)
from agents.chat.intents import language_of, named_customers, part_count, parts_of, planned_calls
from agents.chat.memory import (
    remembered_language,
    strangers,
    with_last_kind,
    with_segment,
    with_subjects,
)
from agents.chat.phrasing import phrased, worth_phrasing
from agents.chat.replies import answer
from agents.chat.requests import what_it_asks
from agents.chat.turn import TurnFacts, this_turn, tool_results, ungrounded_in_turn
from agents.checks.drafts import text_problems
from agents.context import Context
from agents.llm.endpoint import Endpoint, streaming_refused
from agents.llm.transport import requests_end_by
from agents.prompts import prompt
from agents.state import ChatState
from core.i18n import t
from core.languages import BASE_LANGUAGE
from core.types import ChatPlanner, Language

OFFLINE_ROUTER = "offline router"


def offline_reply(
    messages: list[AnyMessage], language: Language, reference: Reference
) -> AIMessage:
    question, turn = this_turn(messages)
    text = question.text
    lang = remembered_language(messages) or language_of(text, language)
    meta = {"backend": OFFLINE_ROUTER, "language": lang}
    if too_long(text):
        words = t("chat.too_long", lang, length=f"{len(text):,}+", most=f"{MOST_CHARACTERS:,}")
        return AIMessage(content=words, response_metadata=meta)
    intents = [
        with_subjects(
            with_segment(with_last_kind(i, text, messages), text, messages), text, messages
        )
        for i in parts_of(text, lang)
    ]
    unclear = next((i for i in intents if isinstance(i, tuple)), None)
    if unclear is not None:  # several customers discussed, one needed: ask which
        candidates = t("list.separator", lang).join(unclear)
        return AIMessage(
            content=t("chat.which_one", lang, candidates=candidates), response_metadata=meta
        )
    done = tool_results(turn)
    routed_before = any(
        isinstance(m, AIMessage) and m.response_metadata.get("backend") == OFFLINE_ROUTER
        for m in turn
    )
    planned = [call for intent in intents for call in planned_calls(intent)]
    missing: list[tuple[str, dict]] = []
    for name, args in planned:
        answered = any(n == name and a == args for n, a, _ in done)
        if not answered and (name, args) not in missing:
            missing.append((name, args))
    if missing and not routed_before:
        calls = [
            {"name": name, "args": args, "id": f"call_{uuid.uuid4().hex[:12]}", "type": "tool_call"}
            for name, args in missing
        ]
        return AIMessage(content="", tool_calls=calls, response_metadata=meta)
    replies = []
    for intent in intents:
        mine = planned_calls(intent)
        results: dict[str, list] = {}
        for name, args, payload in done:
            if (name, args) in mine:
                results.setdefault(name, []).append(payload)
        replies.append(answer(intent, results, reference))
    replies += _what_was_left(text, lang)
    meta["kinds"] = [i.kind for i in intents]
    return AIMessage(content=cut_answer("\n\n".join(replies), lang), response_metadata=meta)


def _what_was_left(text: str, lang: Language) -> list[str]:
    """The truth about what a message held beyond the bounds: customers and questions left."""
    notes = []
    named, parts = len(named_customers(text)), part_count(text)
    if named > MOST_CUSTOMERS:
        notes.append(t("chat.customers_cut", lang, shown=MOST_CUSTOMERS, total=f"{named:,}"))
    if parts > MOST_PARTS:
        notes.append(t("chat.parts_cut", lang, shown=MOST_PARTS, total=f"{parts:,}"))
    return notes


def _offline_turn(
    messages: list[AnyMessage], language: Language, reason: str, reference: Reference
) -> dict:
    """The offline router answers the rest of this turn; the reply carries the reason so the
    chat can show it."""
    reply = offline_reply(messages, language, reference)
    reply.response_metadata["fallback"] = reason
    return {"messages": [reply], "fallback": reason}


def _routed(
    messages: list[AnyMessage], language: Language, reference: Reference, why: str
) -> AIMessage:
    """The router's reply to a message it handles by design (not a fallback), saying why."""
    reply = offline_reply(messages, language, reference)
    reply.response_metadata["routed"] = why
    return reply


def _turn_budget(state: ChatState, seconds: float) -> dict:
    """This turn's LLM budget: the one its first model call started, or a new one."""
    question, _ = this_turn(state["messages"])
    kept = state.get("llm_budget") or {}
    if kept.get("question") == question.id and question.id is not None:
        return kept
    return {"question": question.id, "ends": time.time() + seconds}


def make_assistant(
    model: Any | None,
    reference_source: Callable[[], Reference],
    endpoint: Endpoint | None = None,
    redact: Callable[[str], str] = str,
    default_language: Language = BASE_LANGUAGE,
    planner: ChatPlanner = "llm",
    phraser: Any | None = None,
) -> Callable[[ChatState, Runtime[Context]], dict]:
    """The chat node: `model` is a tool-bound chat model on `endpoint`, or None for the offline
    router. The endpoint (its circuit breaker, what it was found to refuse) is the analysis
    writer's. A context with `backend="offline"` keeps a turn on the offline router. With
    `planner="router"` the router plans and calls the tools and `phraser` (the model without
    tools) only rewrites the router's answer (`agents/chat/phrasing.py`). `reference_source`
    gives the help text's examples when a turn first needs them (they read the scored base,
    which a process that never chats — the nightly batch — should not pay for)."""
    if model is not None and endpoint is None:
        raise ValueError("a chat model needs the endpoint it talks to")
    if planner == "router" and model is not None and phraser is None:
        raise ValueError("the router plans, so the LLM that phrases must be given")

    def ask_model(messages: list[AnyMessage], ends: float, client: Any = None) -> AIMessage:
        # Every request of this call ends when the turn's LLM budget does (`ends`, epoch
        # seconds), whatever the client's own timeout: a hung endpoint costs the budget only.
        with requests_end_by(time.monotonic() + ends - time.time()):
            return _ask(messages, client or model)

    def _ask(messages: list[AnyMessage], client: Any) -> AIMessage:
        # The model streams whenever the run is streamed (the Ask tab); a server that refused
        # to stream once is asked without it from then on.
        if not endpoint.streams:
            return client.invoke(messages, stream=False)
        try:
            return client.invoke(messages)
        except Exception as err:
            if not streaming_refused(err):
                raise
            endpoint.stop_streaming()
            return client.invoke(messages, stream=False)

    def router_planned(messages: list[AnyMessage], language: Language, budget: dict) -> dict:
        """The router's tool calls, then its answer in the LLM's words when they pass."""
        draft = offline_reply(messages, language, reference_source())
        question, turn = this_turn(messages)
        if draft.tool_calls or not tool_results(turn) or not worth_phrasing(draft):
            # a plan, nothing fetched, or a table or message: the router's words are final
            return {"messages": [draft], "fallback": None, "llm_budget": budget}
        facts, lang = TurnFacts(messages), draft.response_metadata["language"]
        # A rewrite is about as long as what it rewrites (a character is at most a token): a
        # model that runs on is stopped there, not at the turn's budget.
        most = min(endpoint.settings.llm_max_tokens.get("chat", 800), len(draft.text) + 32)
        try:
            words, why = phrased(
                draft,
                question.text,
                lambda request: ask_model(request, budget["ends"], phraser.bind(max_tokens=most)),
                lambda text: facts.problems(text) + text_problems(text, lang, question.text),
            )
        except Exception as err:  # any endpoint failure: the router's answer stands
            problem = redact(f"{type(err).__name__}: {err}"[:300])
            endpoint.breaker.record_failure(problem)
            words, why = None, f"LLM failed: {problem}"
        else:
            endpoint.breaker.record_success()
        if words is None:
            draft.response_metadata["fallback"] = why
            return {"messages": [draft], "fallback": why, "llm_budget": budget}
        words.content = cut_answer(words.text, lang)
        return {"messages": [words], "fallback": None, "llm_budget": budget}

    def assistant(state: ChatState, runtime: Runtime[Context]) -> dict:
        context = runtime.context or Context()
        language: Language = state.get("language") or context.language or default_language
        messages = state["messages"]
        reference = reference_source()
        if model is None or context.backend == "offline":
            return {"messages": [offline_reply(messages, language, reference)]}
        _, turn = this_turn(messages)
        if state.get("fallback") and any(
            isinstance(m, AIMessage) and m.response_metadata.get("fallback") for m in turn
        ):  # this turn already went offline: it stays there (a new turn tries the LLM again)
            return _offline_turn(messages, language, state["fallback"], reference)
        text = this_turn(messages)[0].text
        asked = what_it_asks(text)
        if too_long(text):
            return {"messages": [_routed(messages, language, reference, "too long")]}
        if asked.kind == "change" or asked.injected:
            # Refused, or answered without the rule-changing words, by the router alone: an
            # instruction inside a question never reaches the model.
            why = "instruction to change data" if asked.kind == "change" else "instructions"
            return {"messages": [_routed(messages, language, reference, why)], "fallback": None}
        down = endpoint.breaker.open_reason()
        if down is not None:
            return _offline_turn(messages, language, down, reference)
        calls = sum(len(m.tool_calls) for m in turn if isinstance(m, AIMessage))
        if calls >= MOST_TOOL_CALLS:
            limit = f"the LLM made {calls} tool calls this turn (at most {MOST_TOOL_CALLS})"
            return _offline_turn(messages, language, limit, reference)
        budget = _turn_budget(state, endpoint.settings.llm_budget)
        if budget["ends"] <= time.time():
            seconds = endpoint.settings.llm_budget
            spent = f"the LLM time budget of {seconds:g} s for this turn is used up"
            return {**_offline_turn(messages, language, spent, reference), "llm_budget": budget}
        if planner == "router":
            return router_planned(messages, language, budget)
        system = prompt("chat")
        asked = remembered_language(messages)
        if asked is not None:  # the user asked for this language earlier in the thread
            system += f"\n\nAnswer in {t(f'language.{asked}', BASE_LANGUAGE)}."
        try:
            reply = ask_model([SystemMessage(system), *messages], budget["ends"])
        except Exception as err:  # any endpoint failure: this turn goes offline
            problem = redact(f"{type(err).__name__}: {err}"[:300])
            endpoint.breaker.record_failure(problem)
            offline = _offline_turn(messages, language, f"LLM failed: {problem}", reference)
            return {**offline, "llm_budget": budget}
        endpoint.breaker.record_success()
        unknown = strangers(messages, reply.tool_calls)
        if unknown:
            # A small model copies IDs from anywhere (once, the prompt's example, 41 times):
            # a call about a customer nobody mentioned never runs.
            reason = f"LLM asked about {', '.join(unknown)}, a customer nobody mentioned"
            return {**_offline_turn(messages, language, reason, reference), "llm_budget": budget}
        question = this_turn(messages)[0].text
        reply.response_metadata["language"] = asked or language_of(question, language)
        if not reply.tool_calls:
            bad = ungrounded_in_turn(reply, messages)
            if bad:
                reason = f"LLM answer refused: {'; '.join(bad)}"
                return _offline_turn(messages, language, reason, reference)
            wrong = text_problems(reply.text, reply.response_metadata["language"], question)
            if wrong:
                reason = f"LLM answer refused: {'; '.join(wrong)}"
                return _offline_turn(messages, language, reason, reference)
        if not reply.tool_calls:
            reply.content = cut_answer(reply.text, reply.response_metadata["language"])
        return {"messages": [reply], "fallback": None, "llm_budget": budget}

    return assistant
