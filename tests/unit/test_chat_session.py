"""The chat session every surface uses: a turn streams as typed events (tools started and done,
answer tokens that may be shown, the checked answer last), threads continue and are listed."""

from __future__ import annotations

import json

import pytest
from fake_openai import FakeOpenAI, Reply
from langgraph.checkpoint.memory import InMemorySaver
from llm_apps import llm_assembly

from graph.chat import build_chat_graph, make_chat_model
from graph.chat_session import (
    AnswerChecked,
    AnswerTokens,
    ChatSession,
    ToolsDone,
    ToolsStarted,
    past_threads,
)

ANSWER = "This customer is likely to leave: call them this week with the retention offer."


@pytest.fixture
def chat(demo):
    return build_chat_graph(demo.kits, demo.analyzer, InMemorySaver())


def _high(demo) -> str:
    scored = demo.service.scores()
    return scored[scored.risk_level == "high"].customerID.iloc[0]


def test_a_turn_streams_tools_started_then_done_then_the_checked_answer(chat, demo):
    customer = _high(demo)
    events = list(ChatSession(chat).stream(f"Why is {customer} likely to leave?", "en"))
    kinds = [type(e) for e in events]
    assert kinds[0] is ToolsStarted and ToolsDone in kinds
    assert kinds.index(ToolsStarted) < kinds.index(ToolsDone)
    assert kinds[-1] is AnswerChecked and kinds.count(AnswerChecked) == 1
    called = {c["name"] for c in events[0].message.tool_calls}
    assert called == {"analyze_customer"}
    final = events[-1].answer
    assert customer in final.answer and final.fallback is None
    assert {c.name for c in final.tool_calls} == called


def test_the_offline_router_streams_no_answer_tokens(chat, demo):
    events = list(ChatSession(chat).stream("How good is the model?", "en"))
    assert not any(isinstance(e, AnswerTokens) for e in events)
    assert "ROC-AUC" in events[-1].answer.answer


def test_ask_returns_the_checked_answer_in_the_language_asked(chat, demo):
    answer = ChatSession(chat).ask(f"{_high(demo)} 為什麼可能流失？", "zh-TW")
    assert answer.language == "zh-TW" and "流失" in answer.answer
    assert answer.backend == "offline router"


def test_a_follow_up_in_the_same_thread_remembers_the_customer(chat, demo):
    customer = _high(demo)
    session = ChatSession(chat)
    session.ask(f"What is {customer}'s risk?", "en")
    again = ChatSession(chat, session.thread).ask("What should we offer them?", "en")
    assert f"Best offer for **{customer}**" in again.answer
    assert again.thread == session.thread


def test_past_threads_are_named_by_their_first_question_and_skip_empty_ones(chat):
    asked = ChatSession(chat)
    asked.ask("How good is the model?", "en")
    never = ChatSession(chat)
    listed = past_threads(chat, [asked.thread, never.thread])
    assert [(p.thread, p.title) for p in listed] == [(asked.thread, "How good is the model?")]


def test_an_llm_answer_streams_growing_tokens_before_the_checked_answer(demo_service):
    server = FakeOpenAI(token_delay=0.01).start()
    try:
        app = llm_assembly(demo_service, server.base_url, "session-test", llm_timeout=5.0)
        chat = build_chat_graph(
            app.kits, app.analyzer, InMemorySaver(), make_chat_model(app.settings)
        )
        customer = _high(app)
        call = {"id": "c1", "type": "function"}
        call["function"] = {
            "name": "predict_churn",
            "arguments": json.dumps({"customer_id": customer}),
        }
        server.script("chat", Reply(tool_calls=[call]), Reply(ANSWER))
        events = list(ChatSession(chat).stream(f"Is {customer} leaving?", "en"))
    finally:
        server.stop()
    shown = [e.shown for e in events if isinstance(e, AnswerTokens)]
    assert len(shown) > 1 and all(ANSWER.startswith(s) for s in shown)
    assert shown == sorted(shown, key=len)  # only ever grows
    assert isinstance(events[-1], AnswerChecked) and events[-1].answer.answer == ANSWER
    assert events.index(next(e for e in events if isinstance(e, ToolsDone))) < events.index(
        next(e for e in events if isinstance(e, AnswerTokens))
    )
