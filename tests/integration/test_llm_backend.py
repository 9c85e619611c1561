"""The OpenAI-compatible backend over real HTTP against the scripted test server: structured
output, retries, the grounding check, fallbacks to the offline writer, and token use."""

from __future__ import annotations

import time

import pytest
from fake_openai import Reply, grounded_draft
from llm_apps import llm_assembly

from agents.trace import OFFLINE
from crm_agents.composition import Assembly, assemble

TOKEN_BUDGET = 3000


@pytest.fixture
def server(fake_openai):
    fake_openai.reset()
    yield fake_openai
    fake_openai.reset()


def _context(demo_service, server, **overrides) -> Assembly:
    return llm_assembly(demo_service, server.base_url, **overrides)


def _high_risk(service) -> str:
    scored = service.scores()
    return scored[scored.risk_level == "high"].customerID.iloc[0]


def _step(result, node):
    return next(s for s in result.trace if s.node == node)


def test_llm_writes_every_node_through_structured_output(demo_service, server):
    context = _context(demo_service, server)
    result = context.analyzer.run(_high_risk(demo_service))
    assert [r["schema"] for r in server.requests] == [
        "AnalystDraft",
        "ReasoningDraft",
        "CampaignDraft",
        "CommunicationDraft",
    ]
    assert all(r["body"]["response_format"]["type"] == "json_schema" for r in server.requests)
    assert result.backend == f"test-model @ 127.0.0.1:{server.port}"
    for node in ("analyst", "reasoning", "campaign", "communication"):
        step = _step(result, node)
        assert step.written_by == result.backend and step.fallback is None
        assert step.llm_calls[0].outcome == "ok" and step.llm_calls[0].total_tokens > 0
    assert result.risk.summary.startswith("Churn risk is")


def test_function_calling_method_works_for_servers_without_json_schema(demo_service, server):
    context = _context(demo_service, server, llm_structured_method="function_calling")
    result = context.analyzer.run(_high_risk(demo_service))
    assert all("tools" in r["body"] for r in server.requests)
    assert all(s.fallback is None for s in result.trace)
    assert result.communications.written_by == result.backend


def test_the_llm_receives_the_tool_facts(demo_service, server):
    customer = _high_risk(demo_service)
    _context(demo_service, server).analyzer.run(customer)
    first = server.requests[0]["body"]["messages"][-1]["content"]
    probability = demo_service.predict(customer).probability
    assert customer in first and f"{probability * 100:.1f}" in first


def test_one_full_analysis_uses_at_most_four_calls_and_about_3000_tokens(demo_service, server):
    result = _context(demo_service, server).analyzer.run(_high_risk(demo_service))
    calls = [c for s in result.trace for c in s.llm_calls]
    total = sum(c.total_tokens for c in calls)
    per_node = ", ".join(
        f"{s.node}={sum(c.total_tokens for c in s.llm_calls)}" for s in result.trace
    )
    print(f"\nLLM calls: {len(calls)}, tokens: {total} ({per_node})")
    assert len(calls) <= 4
    assert total <= TOKEN_BUDGET


def _ungrounded_probability(name, body, facts):
    draft = grounded_draft(name, facts, "")
    draft["summary"] = f"Churn risk is {facts['probability_percent'] + 11:.0f}%."
    return Reply(draft)


def _horizon_as_tenure(name, body, facts):
    draft = grounded_draft(name, facts, "")
    draft["summary"] += f" They have been a customer for {facts['horizon_months']} months."
    return Reply(draft)


def _invented_discount(name, body, facts):
    draft = grounded_draft(name, facts, "")
    draft["sms"] = "Get 50% off everything today! Reply YES."
    return Reply(draft)


def _schema_violation(name, body, facts):
    return Reply({"summary": 5})


FAULTS = {
    "http_500": ("AnalystDraft", lambda: Reply.error(500)),
    "http_429": ("ReasoningDraft", lambda: Reply.error(429)),
    "hang_past_timeout": ("CampaignDraft", lambda: Reply.hanging(3.5)),
    "malformed_json": ("AnalystDraft", lambda: Reply('{"summary": "cut off')),
    "schema_violation": ("AnalystDraft", lambda: _schema_violation),
    "invented_discount": ("CommunicationDraft", lambda: _invented_discount),
    "wrong_probability": ("AnalystDraft", lambda: _ungrounded_probability),
}
NODE_OF = {
    "AnalystDraft": "analyst",
    "ReasoningDraft": "reasoning",
    "CampaignDraft": "campaign",
    "CommunicationDraft": "communication",
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_persistent_fault_falls_back_to_the_offline_writer(demo_service, server, fault):
    schema, make = FAULTS[fault]
    server.script(schema, make(), make())
    context = _context(demo_service, server, llm_timeout=1.0)
    result = context.analyzer.run(_high_risk(demo_service))
    step = _step(result, NODE_OF[schema])
    assert step.written_by == OFFLINE
    assert step.fallback and "failed 2 time(s)" in step.fallback
    assert [c.attempt for c in step.llm_calls] == [1, 2]
    assert all(c.outcome != "ok" for c in step.llm_calls)
    assert result.communications is not None and result.communications.sms.length <= 160
    others = [s for s in result.trace if s.node != NODE_OF[schema]]
    assert all(s.written_by == context.writer.describe() for s in others)
    assert result.backend.endswith("(some sections by the offline writer)")


def test_a_figure_of_the_facts_written_as_the_wrong_fact_is_refused(demo_service, server):
    scored, profiles = demo_service.scores(), demo_service.customers
    horizon = demo_service.settings.clv_horizon_months
    high = scored[scored.risk_level == "high"].customerID
    customer = next(c for c in high if profiles.loc[c, "tenure"] != horizon)
    server.script("AnalystDraft", _horizon_as_tenure, _horizon_as_tenure)
    result = _context(demo_service, server).analyzer.run(customer)
    assert "is not the customer's tenure" in _step(result, "analyst").fallback
    assert result.risk.written_by == OFFLINE


def test_drafts_that_fail_their_checks_do_not_open_the_circuit_breaker(demo_service, server):
    context = _context(demo_service, server, llm_retries=3)  # four rejected drafts in a row
    server.script("AnalystDraft", *[_ungrounded_probability] * 4)
    context.analyzer.run(_high_risk(demo_service))
    assert context.writer.breaker.open_reason() is None


def test_drafts_cut_at_the_token_limit_do_not_open_the_circuit_breaker(demo_service, server):
    context = _context(demo_service, server, llm_retries=3)  # four cut drafts in a row
    cut = Reply('{"summary": "This customer is', finish="length")
    server.script("AnalystDraft", cut, cut, cut, cut)
    result = context.analyzer.run(_high_risk(demo_service))
    assert "LengthFinishReasonError" in _step(result, "analyst").fallback
    assert context.writer.breaker.open_reason() is None


def test_a_draft_cut_at_the_token_limit_is_kept_in_the_trace_with_its_tokens(demo_service, server):
    cut = Reply('{"summary": "This customer is', finish="length")
    server.script("AnalystDraft", cut, cut)
    result = _context(demo_service, server).analyzer.run(_high_risk(demo_service))
    call = _step(result, "analyst").llm_calls[0]
    assert call.answer == '{"summary": "This customer is'
    assert call.output_tokens > 0


def test_a_wrong_probability_is_named_in_the_trace(demo_service, server):
    server.script("AnalystDraft", _ungrounded_probability, _ungrounded_probability)
    result = _context(demo_service, server).analyzer.run(_high_risk(demo_service))
    assert "figures not in the tool results" in _step(result, "analyst").fallback
    assert result.risk.written_by == OFFLINE


def test_an_invented_discount_never_reaches_the_customer(demo_service, server):
    server.script("CommunicationDraft", _invented_discount, _invented_discount)
    result = _context(demo_service, server).analyzer.run(_high_risk(demo_service))
    assert "50%" not in result.communications.sms.text
    assert result.communications.written_by == OFFLINE


def test_one_failure_then_a_good_answer_keeps_the_llm_text(demo_service, server):
    server.script("AnalystDraft", Reply.error(500))
    result = _context(demo_service, server).analyzer.run(_high_risk(demo_service))
    step = _step(result, "analyst")
    assert step.fallback is None and step.written_by == result.backend
    assert [c.outcome == "ok" for c in step.llm_calls] == [False, True]
    # A server error is no verdict on an answer: the same request is sent again.
    assert server.requests[1]["body"]["messages"] == server.requests[0]["body"]["messages"]


def test_chinese_llm_run_keeps_the_sms_in_one_segment(demo_service, server):
    result = _context(demo_service, server).analyzer.run(_high_risk(demo_service), language="zh-TW")
    assert result.communications.sms.length <= 70
    assert all(s.fallback is None for s in result.trace)


def test_a_dead_endpoint_stops_being_called_after_three_failures(demo_service, server):
    for schema in NODE_OF:
        server.script(schema, *[Reply.error(500)] * 4)
    context = _context(demo_service, server)
    result = context.analyzer.run(_high_risk(demo_service))
    assert len(server.requests) == context.writer.breaker.failures_to_open == 3
    assert all(s.written_by == OFFLINE and s.fallback for s in result.trace)
    assert "in a row" in _step(result, "campaign").fallback
    assert result.communications is not None


def test_fallbacks_are_shown_to_the_user(demo_service, server):
    from ui.views import fallbacks

    server.script("ReasoningDraft", Reply.error(500), Reply.error(500))
    result = _context(demo_service, server).analyzer.run(_high_risk(demo_service))
    shown = fallbacks(result.trace, "en")
    assert "**reasoning**: offline writer used" in shown and "analyst" not in shown


def test_a_hung_endpoint_costs_one_analysis_at_most_its_llm_budget(demo_service, server):
    for schema in NODE_OF:
        server.script(schema, *[Reply.hanging(8)] * 2)
    context = _context(demo_service, server, llm_timeout=30.0, llm_budget=2.0)
    started = time.perf_counter()
    result = context.analyzer.run(_high_risk(demo_service))
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0 + 3.0
    assert all(s.written_by == OFFLINE for s in result.trace if s.status == "ran")
    assert "LLM time budget of 2 s" in _step(result, "analyst").fallback
    assert (
        "LLM time budget of 2 s for this analysis is used up" in _step(result, "reasoning").fallback
    )
    assert result.communications is not None


def test_a_request_the_analysis_stopped_waiting_for_is_hung_up_at_its_deadline(
    demo_service, server
):
    # A single-slot server would otherwise go on computing the abandoned answer for nobody
    # while the next analysis queues behind it.
    server.script("AnalystDraft", Reply.hanging(10))
    context = _context(demo_service, server, llm_timeout=60.0, llm_budget=1.5, llm_retries=0)
    context.analyzer.run(_high_risk(demo_service))
    hung = next(r for r in server.requests if r["schema"] == "AnalystDraft")
    noticed_by = time.monotonic() + 3.0  # the server looks at the connection every 50 ms
    while "client_left_after_s" not in hung and time.monotonic() < noticed_by:
        time.sleep(0.05)
    assert hung.get("client_left_after_s") is not None, "the client kept the connection open"
    assert hung["client_left_after_s"] < 1.5 + 1.0


def test_a_refused_answer_is_kept_in_the_trace_beside_the_reason(demo_service, server):
    server.script("AnalystDraft", _ungrounded_probability, _ungrounded_probability)
    result = _context(demo_service, server).analyzer.run(_high_risk(demo_service))
    refused = _step(result, "analyst").llm_calls[0]
    assert "figures not in the tool results" in refused.outcome
    assert '"summary"' in refused.answer and refused.output_tokens > 0


def test_a_used_answer_is_not_kept_twice(demo_service, server):
    result = _context(demo_service, server).analyzer.run(_high_risk(demo_service))
    assert all(c.answer == "" for s in result.trace for c in s.llm_calls if c.outcome == "ok")


def test_the_budget_counts_llm_time_across_nodes(demo_service, server):
    # The analyst's answer (1 s, plus the streaming and the graph's own work, which took over
    # 2 s on a machine busy with other jobs) fits the budget; the reasoning's cannot, whatever
    # the machine's speed.
    server.script("AnalystDraft", Reply.hanging(1.0))
    server.script("ReasoningDraft", Reply.hanging(10.0))
    context = _context(demo_service, server, llm_timeout=15.0, llm_budget=5.0)
    result = context.analyzer.run(_high_risk(demo_service))
    assert _step(result, "analyst").fallback is None
    assert "budget" in _step(result, "reasoning").fallback
    assert "used up" in _step(result, "campaign").fallback


def test_the_chat_shares_the_breaker_and_answers_offline_at_once(demo_service, server):
    from langchain_core.messages import HumanMessage

    from ui.views import chat_messages

    for schema in NODE_OF:
        server.script(schema, *[Reply.error(500)] * 4)
    context = _context(demo_service, server)
    customer = _high_risk(demo_service)
    context.analyzer.run(customer)
    calls_before = len(server.requests)
    chat = context.chat
    started = time.perf_counter()
    state = chat.invoke(
        {"messages": [HumanMessage(f"risk of {customer}?")], "language": "en", "fallback": None}
    )
    assert time.perf_counter() - started < 1.0
    assert len(server.requests) == calls_before  # the endpoint is known to be down
    assert "failed 3 times in a row" in state["fallback"]
    shown = chat_messages(state["messages"], "en")
    assert shown[-1]["metadata"]["title"] == "⚠️ LLM not used"
    assert "retrying in" in shown[-1]["content"]


# Letters at the end: the key's last four must not turn up by chance in a duration. The
# second has no prefix a pattern could know: it is removed by its value.
@pytest.mark.parametrize("key", ["sk-test-abcdef0123456789WXYZ", "a1b2c3d4e5f6a7b8c9d0WXYZ"])
def test_an_llm_error_quoting_the_api_key_is_redacted_in_the_trace(demo_service, server, key):
    from fake_openai import Reply as R
    from pydantic import SecretStr

    server.script("AnalystDraft", R.error(401), R.error(401))
    context = _context(demo_service, server, openai_api_key=SecretStr(key))
    result = context.analyzer.run(_high_risk(demo_service))
    fallback = _step(result, "analyst").fallback
    assert "AuthenticationError" in fallback and "Incorrect API key provided: [secret]" in fallback
    shown = result.model_dump_json()
    assert key[:8] not in shown and key[-4:] not in shown


def test_a_hung_endpoint_costs_a_chat_turn_at_most_its_llm_budget(demo_service, server, tmp_path):
    from graph.chat_session import ChatSession

    server.script("chat", *[Reply.hanging(8)] * 3)
    for schema in NODE_OF:
        server.script(schema, *[Reply.hanging(8)] * 2)
    context = llm_assembly(demo_service, server.base_url, llm_timeout=30.0, llm_budget=2.0)
    chat = assemble(
        context.settings,
        service=context.service,
        writer=context.writer,
        chat_db=tmp_path / "chat.db",
    ).chat
    customer = _high_risk(demo_service)
    started = time.perf_counter()
    answer = ChatSession(chat).ask(f"Analyse {customer} and write the SMS")
    assert time.perf_counter() - started < 2.0 + 3.0
    assert "LLM failed" in answer.fallback
    # The analysis the offline router asked for in that turn was written offline, at once.
    assert [r["schema"] for r in server.requests] == ["chat"]
