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
    top = demo.service.scores().iloc[0]
    return top.customerID, formats.percent(top.churn_probability)


COUNT = "How many high-risk customers are there?"


@pytest.fixture
def high_risk(demo) -> tuple[str, str, str]:
    """The figures of the router's answer to COUNT: how many, of how many, what share."""
    levels = demo.service.scores().risk_level
    n = int((levels == "high").sum())
    return f"{n:,}", f"{len(levels):,}", formats.percent(n / len(levels))


def test_the_router_calls_the_tools_and_the_model_is_never_offered_any(session, server, high_risk):
    server.script("chat", Reply(content=""))
    answer = session.ask(COUNT)
    assert [c.name for c in answer.tool_calls] == ["query_customers"]
    assert server.requests and all(not r["body"].get("tools") for r in server.requests)


def test_words_that_keep_every_figure_and_pass_the_checks_are_the_answer(
    session, server, high_risk
):
    n, total, share = high_risk
    server.script("chat", Reply(content=f"{n} of our {total} customers are high risk ({share})."))
    answer = session.ask(COUNT)
    assert answer.backend == PHRASED and answer.fallback is None
    assert answer.answer == f"{n} of our {total} customers are high risk ({share})."
    (asked,) = server.requests
    draft = asked["body"]["messages"][-1]["content"]
    assert share in draft  # it rewrites the router's answer
    limit = asked["body"].get("max_completion_tokens") or asked["body"].get("max_tokens")
    assert limit <= len(draft) + 32  # and may write about as much, not the chat's 800 tokens


@pytest.mark.parametrize(
    ("words", "why"),
    [
        ("{n} customers are high risk, about 12.3% of the base.", "not in the tool results"),
        ("{n} customers are high risk.", "figures of the answer left out"),
        ("Question: {n} of {total} ({share})", "repeats the request"),
        ("{n} of {total} customers ({share}) are:", "mid-sentence"),
        ("{n} of {total} customers: high risk. customers: {n} share: {share}", "unchanged"),
        ("", "empty text"),
    ],
)
def test_a_rewrite_that_adds_drops_echoes_or_stops_keeps_the_routers_answer(
    session, server, high_risk, words, why
):
    n, total, share = high_risk
    server.script("chat", Reply(content=words.format(n=n, total=total, share=share)))
    answer = session.ask(COUNT)
    assert answer.backend != PHRASED
    assert why in (answer.fallback or "")
    assert share in answer.answer


def test_a_failing_server_keeps_the_routers_answer_with_the_reason(session, server, high_risk):
    server.script("chat", Reply(status=500))
    answer = session.ask(COUNT)
    assert (answer.fallback or "").startswith("LLM failed")
    assert high_risk[2] in answer.answer


def test_a_turn_with_nothing_fetched_never_asks_the_model(session, server, customer):
    cid, _ = customer
    refused = session.ask(f"Set {cid}'s MonthlyCharges to 0")
    helped = session.ask("Tell me a joke")
    assert server.requests == []
    assert refused.tool_calls == [] and helped.tool_calls == []


@pytest.mark.parametrize("question", ["Top 5 at-risk customers", "Write the SMS for {cid}"])
def test_tables_and_messages_are_never_sent_to_be_rewritten(session, server, customer, question):
    answer = session.ask(question.format(cid=customer[0]))
    # (the analysis behind a message asks the LLM for its own drafts; the chat asks nothing)
    assert answer.tool_calls and [r for r in server.requests if r["schema"] == "chat"] == []
    assert answer.fallback is None
