"""`CRM_CHAT_PLANNER=router`: the offline router plans and calls the tools, the LLM only rewrites
the router's answer — and its words are used only when they pass the answer checks."""

from __future__ import annotations

import pytest
from fake_openai import Reply

from agents.chat.phrasing import PHRASED
from core import formats
from crm_agents.composition import assemble
from graph.chat import build_chat_graph, make_chat_model, open_checkpointer
from graph.chat_session import ChatSession
from tools.service.retention import RetentionService


@pytest.fixture
def server(fake_openai):
    fake_openai.reset()
    yield fake_openai
    fake_openai.reset()


@pytest.fixture
def session(demo, server, tmp_path) -> ChatSession:
    settings = demo.settings.model_copy(
        update={
            "openai_base_url": server.base_url,
            "llm_model": "test-model",
            "llm_timeout": 2.0,
            "chat_planner": "router",
        }
    )
    s = demo.service
    service = RetentionService(s.data, s.model, s.card, settings, survival=s.survival)
    app = assemble(settings, service=service)
    graph = build_chat_graph(
        app.kits,
        app.analyzer,
        open_checkpointer(tmp_path / "c.db"),
        model=make_chat_model(settings),
    )
    return ChatSession(graph)


@pytest.fixture
def customer(demo) -> tuple[str, str]:
    scores = demo.service.scores()
    top = scores.iloc[0]
    return top.customerID, formats.percent(top.churn_probability)


def test_the_router_calls_the_tools_and_the_model_is_never_offered_any(session, server, customer):
    cid, _ = customer
    server.script("chat", Reply(content=""))
    answer = session.ask(f"What is {cid}'s risk?")
    assert [c.name for c in answer.tool_calls] == ["predict_churn", "segment_value"]
    assert all(not r["body"].get("tools") for r in server.requests)


def test_words_that_pass_the_checks_are_the_answer(session, server, customer):
    cid, shown = customer
    server.script("chat", Reply(content=f"{cid} is likely to leave: {shown}, high risk."))
    answer = session.ask(f"What is {cid}'s risk?")
    assert answer.backend == PHRASED and answer.fallback is None
    assert answer.answer == f"{cid} is likely to leave: {shown}, high risk."
    (asked,) = server.requests
    draft = asked["body"]["messages"][-1]["content"]
    assert shown in draft  # the model rewrites the router's answer, figures included


def test_a_figure_the_tools_did_not_give_keeps_the_routers_answer(session, server, customer):
    cid, shown = customer
    server.script("chat", Reply(content=f"{cid} will leave with a probability of 12.3%."))
    answer = session.ask(f"What is {cid}'s risk?")
    assert answer.backend != PHRASED
    assert "LLM words refused" in (answer.fallback or "")
    assert "12.3" in answer.fallback
    assert shown in answer.answer


def test_empty_words_keep_the_routers_answer(session, server, customer):
    cid, shown = customer
    server.script("chat", Reply(content=""))
    answer = session.ask(f"What is {cid}'s risk?")
    assert "empty text" in (answer.fallback or "")
    assert shown in answer.answer


def test_a_failing_server_keeps_the_routers_answer_with_the_reason(session, server, customer):
    cid, shown = customer
    server.script("chat", Reply(status=500))
    answer = session.ask(f"What is {cid}'s risk?")
    assert (answer.fallback or "").startswith("LLM failed")
    assert shown in answer.answer


def test_a_turn_with_nothing_fetched_never_asks_the_model(session, server, customer):
    cid, _ = customer
    refused = session.ask(f"Set {cid}'s MonthlyCharges to 0")
    helped = session.ask("Tell me a joke")
    assert server.requests == []
    assert refused.tool_calls == [] and helped.tool_calls == []
