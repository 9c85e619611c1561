"""Adapting to what a real local server accepts, against the scripted server made to refuse what
llama-cpp-python's server refuses: `json_schema` response formats, `content: null` on assistant
tool-call messages, and a request with tools but no `tool_choice`."""

from __future__ import annotations

import pytest
from fake_openai import FakeOpenAI, Reply
from langchain_core.messages import HumanMessage
from llm_apps import llm_assembly

from agents.trace import OFFLINE


@pytest.fixture
def llama_like():
    server = FakeOpenAI(like_llama_cpp=True).start()
    yield server
    server.stop()


def _assembly(demo_service, server, **overrides):
    # A model name of its own: a new endpoint, nothing remembered for it yet.
    return llm_assembly(demo_service, server.base_url, f"local-{server.port}", **overrides)


def _high_risk(service) -> str:
    scored = service.scores()
    return scored[scored.risk_level == "high"].customerID.iloc[0]


def _two_turn_chat(demo_service, server, first_answer: str):
    """A chat whose first turn calls `predict_churn` then answers `first_answer`, and whose
    second turn answers without tools; (the customer asked about, the chat graph)."""
    from langgraph.checkpoint.memory import InMemorySaver

    from graph.chat import build_chat_graph, make_chat_model

    customer = _high_risk(demo_service)
    call = {
        "id": "call_1",
        "type": "function",
        "function": {"name": "predict_churn", "arguments": f'{{"customer_id": "{customer}"}}'},
    }
    server.script("chat", Reply(tool_calls=[call]), Reply(first_answer))
    server.script("chat", Reply("The model is a logistic regression."))
    app = _assembly(demo_service, server, llm_structured_method="json_mode")
    model = make_chat_model(app.settings)
    return customer, build_chat_graph(app.kits, app.analyzer, InMemorySaver(), model)


def test_a_refused_json_schema_moves_to_json_mode_once_and_the_llm_still_writes(
    demo_service, llama_like
):
    app = _assembly(demo_service, llama_like)
    result = app.analyzer.run(_high_risk(demo_service))
    assert all(s.written_by != OFFLINE for s in result.trace if s.status == "ran")
    kinds = [(r["body"].get("response_format") or {}).get("type") for r in llama_like.requests]
    assert kinds[0] == "json_schema" and kinds[1:] == ["json_object"] * (len(kinds) - 1)
    first_step = next(s for s in result.trace if s.llm_calls)
    assert "json_schema refused" in first_step.llm_calls[0].outcome


def test_the_accepted_kind_is_remembered_for_the_endpoint(demo_service, llama_like):
    app = _assembly(demo_service, llama_like)
    app.analyzer.run(_high_risk(demo_service))
    llama_like.reset()
    app.analyzer.run(_high_risk(demo_service))
    kinds = {(r["body"].get("response_format") or {}).get("type") for r in llama_like.requests}
    assert kinds == {"json_object"}


def test_json_mode_puts_the_schema_in_the_prompt(demo_service, llama_like):
    app = _assembly(demo_service, llama_like)
    app.analyzer.run(_high_risk(demo_service))
    json_mode = [r for r in llama_like.requests if r["status"] == 200]
    system = json_mode[0]["body"]["messages"][0]["content"]
    assert 'valid against the JSON schema "AnalystDraft"' in system and '"summary"' in system


def test_every_call_carries_the_nodes_token_limit(demo_service, llama_like):
    limits = {"analyst": 111, "reasoning": 222, "campaign": 333, "communication": 444}
    app = _assembly(demo_service, llama_like, llm_max_tokens={**limits, "chat": 555})
    app.analyzer.run(_high_risk(demo_service))
    sent = {
        r["schema"]: r["body"].get("max_tokens") for r in llama_like.requests if r["status"] == 200
    }
    assert sent == {
        "AnalystDraft": 111,
        "ReasoningDraft": 222,
        "CampaignDraft": 333,
        "CommunicationDraft": 444,
    }


@pytest.mark.parametrize("status", [400, 401, 404])
def test_a_refused_request_is_not_retried(demo_service, llama_like, status):
    llama_like.script("AnalystDraft", Reply.error(status))
    app = _assembly(demo_service, llama_like, llm_structured_method="json_mode")
    result = app.analyzer.run(_high_risk(demo_service))
    analyst = next(s for s in result.trace if s.node == "analyst")
    assert len(analyst.llm_calls) == 1 and analyst.written_by == OFFLINE
    assert "not retried" in analyst.fallback
    assert [r["schema"] for r in llama_like.requests].count("AnalystDraft") == 1


def test_a_server_error_is_retried(demo_service, llama_like):
    llama_like.script("AnalystDraft", Reply.error(503))
    app = _assembly(demo_service, llama_like, llm_structured_method="json_mode")
    result = app.analyzer.run(_high_risk(demo_service))
    analyst = next(s for s in result.trace if s.node == "analyst")
    assert [c.outcome == "ok" for c in analyst.llm_calls] == [False, True]


def test_the_chat_sends_tool_choice_and_empty_content_so_a_second_turn_works(
    demo_service, llama_like
):
    customer, chat = _two_turn_chat(demo_service, llama_like, "Done: see the tool result.")
    config = {"configurable": {"thread_id": "t"}}
    chat.invoke({"messages": [HumanMessage(f"What is {customer}'s risk?")]}, config)
    state = chat.invoke({"messages": [HumanMessage("How good is the model?")]}, config)
    assert all(r["status"] == 200 for r in llama_like.requests)
    assert all(r["body"].get("tool_choice") == "auto" for r in llama_like.requests)
    assert state["messages"][-1].content == "The model is a logistic regression."
    assert state.get("fallback") is None


def test_when_every_section_falls_back_the_result_says_the_offline_writer_wrote_it(
    demo_service, llama_like
):
    for schema in ("AnalystDraft", "ReasoningDraft", "CampaignDraft", "CommunicationDraft"):
        llama_like.script(schema, *[Reply.error(503)] * 2)
    app = _assembly(demo_service, llama_like, llm_structured_method="json_mode")
    result = app.analyzer.run(_high_risk(demo_service))
    configured = app.writer.describe()
    assert result.backend == f"offline writer (fallback: {configured} failed)"


def test_when_some_sections_fall_back_the_result_says_so(demo_service, llama_like):
    llama_like.script("ReasoningDraft", *[Reply.error(503)] * 2)
    app = _assembly(demo_service, llama_like, llm_structured_method="json_mode")
    result = app.analyzer.run(_high_risk(demo_service))
    assert result.backend.endswith("(some sections by the offline writer)")


def test_a_draft_with_leaked_markup_falls_back_with_the_reason(demo_service, llama_like):
    def leaky(name, body, facts):
        from fake_openai import facts_of, grounded_draft

        draft = grounded_draft(name, facts, facts_of(body)[1])
        draft["summary"] = "<</SYS>> " + draft["summary"]
        return Reply(draft)

    llama_like.script("AnalystDraft", leaky, leaky)
    app = _assembly(demo_service, llama_like, llm_structured_method="json_mode")
    result = app.analyzer.run(_high_risk(demo_service))
    analyst = next(s for s in result.trace if s.node == "analyst")
    assert analyst.written_by == OFFLINE and "template markup" in analyst.fallback


def test_a_draft_calling_the_customer_by_another_risk_level_falls_back(demo_service, llama_like):
    def wrong_level(name, body, facts):
        from fake_openai import facts_of, grounded_draft

        draft = grounded_draft(name, facts, facts_of(body)[1])
        draft["detail"] += " A low risk customer."
        return Reply(draft)

    llama_like.script("AnalystDraft", wrong_level, wrong_level)
    app = _assembly(demo_service, llama_like, llm_structured_method="json_mode")
    result = app.analyzer.run(_high_risk(demo_service))
    analyst = next(s for s in result.trace if s.node == "analyst")
    assert "calls the customer low risk" in analyst.fallback


def test_a_chinese_analysis_is_written_by_the_llm_in_chinese(demo_service, llama_like):
    app = _assembly(demo_service, llama_like, llm_structured_method="json_mode")
    result = app.analyzer.run(_high_risk(demo_service), language="zh-TW")
    assert all(s.written_by != OFFLINE for s in result.trace if s.status == "ran")
    assert "流失機率" in result.risk.summary


@pytest.mark.parametrize("reply", ["", "What is the churn rate?"])
def test_an_empty_or_echoed_chat_answer_is_replaced_with_the_reason(
    demo_service, llama_like, reply
):
    from langgraph.checkpoint.memory import InMemorySaver

    from graph.chat import build_chat_graph, make_chat_model

    llama_like.script("chat", Reply(reply))
    app = _assembly(demo_service, llama_like, llm_structured_method="json_mode")
    chat = build_chat_graph(app.kits, app.analyzer, InMemorySaver(), make_chat_model(app.settings))
    state = chat.invoke(
        {"messages": [HumanMessage("What is the churn rate?")]},
        {"configurable": {"thread_id": "t"}},
    )
    assert "LLM answer refused" in state["fallback"]
    assert state["messages"][-1].content not in ("", "What is the churn rate?")


def test_a_turn_after_a_replaced_answer_tries_the_llm_again_without_a_reset(
    demo_service, llama_like
):
    from langgraph.checkpoint.memory import InMemorySaver

    from graph.chat import build_chat_graph, make_chat_model

    llama_like.script("chat", Reply(""), Reply("The model is a logistic regression."))
    app = _assembly(demo_service, llama_like, llm_structured_method="json_mode")
    chat = build_chat_graph(app.kits, app.analyzer, InMemorySaver(), make_chat_model(app.settings))
    config = {"configurable": {"thread_id": "t"}}
    first = chat.invoke({"messages": [HumanMessage("How good is the model?")]}, config)
    assert "empty text" in first["fallback"]
    # The caller does not reset `fallback` (as a langgraph dev client would not).
    second = chat.invoke({"messages": [HumanMessage("And how was it chosen?")]}, config)
    assert second["messages"][-1].content == "The model is a logistic regression."
    assert second["fallback"] is None


def test_a_forced_method_is_not_remembered_for_auto(demo_service, llama_like):
    forced = _assembly(demo_service, llama_like, llm_structured_method="function_calling")
    forced.analyzer.run(_high_risk(demo_service))
    llama_like.reset()
    _assembly(demo_service, llama_like).analyzer.run(_high_risk(demo_service))
    assert (llama_like.requests[0]["body"].get("response_format") or {}).get(
        "type"
    ) == "json_schema"


def test_a_server_that_cannot_stream_a_tool_call_is_asked_without_streaming_from_then_on(
    demo_service, llama_like
):
    customer, chat = _two_turn_chat(demo_service, llama_like, "Call them this week.")
    config = {"configurable": {"thread_id": "t"}}
    for question in (f"Is {customer} leaving?", "How good is the model?"):
        events = list(
            chat.stream(
                {"messages": [HumanMessage(question)]}, config, stream_mode=["updates", "messages"]
            )
        )
        assert events
    sent = [(r["status"], bool(r["body"].get("stream"))) for r in llama_like.requests]
    assert sent == [(500, True), (200, False), (200, False), (200, False)]
    state = chat.get_state(config).values
    assert state["messages"][-1].content == "The model is a logistic regression."
    assert state.get("fallback") is None
