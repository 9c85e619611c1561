"""The four-agent analysis graph with the offline writer: routing, sections, trace, languages."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from grounding_oracle import ungrounded_texts
from langgraph.runtime import Runtime

from agents.context import Context
from agents.nodes.analyst import analyst
from agents.nodes.reasoning import reasoning
from crm_agents.composition import assemble
from graph.analysis import build_analysis_graph, route_by_offer, route_by_risk
from tools.service.retention import CustomerNotFoundError, RetentionService


def _pick(service, level: str) -> str:
    scored = service.scores()
    return scored[scored.risk_level == level].customerID.iloc[0]


def test_low_risk_customer_skips_campaign_and_communication(demo):
    result = demo.analyzer.run(_pick(demo.service, "low"))
    assert result.skipped == ["campaign", "communication", "approval"]
    assert result.campaign is None and result.communications is None
    skipped = [s for s in result.trace if s.status == "skipped"]
    assert [s.node for s in skipped] == ["campaign", "communication", "approval"]
    assert all("low risk" in s.note for s in skipped)


@pytest.mark.parametrize("level", ["high", "medium"])
def test_at_risk_customer_gets_every_section(demo, level):
    result = demo.analyzer.run(_pick(demo.service, level))
    assert result.skipped == []
    # The messages wait for a person: approval has not run (a draft, not ready to send).
    assert [s.node for s in result.trace] == list(demo.analyzer.nodes[:4])
    assert result.approval is None
    assert result.campaign.offer.offer_id == result.communications.offer_id
    assert len(result.communications.call_script.objections) == 3
    assert result.communications.email.subject and result.communications.email.body


def test_chinese_analysis_writes_chinese_and_a_one_segment_sms(demo):
    result = demo.analyzer.run(_pick(demo.service, "high"), language="zh-TW")
    assert result.language == "zh-TW"
    assert "流失" in result.risk.summary
    assert result.communications.sms.length <= 70
    assert result.communications.sms.limit == 70


def test_risk_probability_is_the_model_probability(demo):
    customer = _pick(demo.service, "medium")
    result = demo.analyzer.run(customer)
    assert result.risk.probability == pytest.approx(demo.service.predict(customer).probability)


def test_analyst_calls_its_four_tools_and_records_them(demo):
    result = demo.analyzer.run(_pick(demo.service, "high"))
    step = result.trace[0]
    assert [c.tool for c in step.tool_calls] == [
        "lookup_customer",
        "predict_churn",
        "segment_value",
        "predict_time_to_churn",
    ]
    assert step.tool_calls[1].args == {"customer_id": result.customer_id}
    assert step.tool_calls[1].result.probability == pytest.approx(result.risk.probability)
    assert step.tool_calls[3].result == result.risk.lifetime


def test_without_a_time_to_churn_model_the_analyst_skips_when_and_says_nothing_of_it(demo):
    s = demo.service
    plain = assemble(s.settings, service=RetentionService(s.data, s.model, s.card, s.settings))
    result = plain.analyzer.run(_pick(s, "high"))
    assert [c.tool for c in result.trace[0].tool_calls][-1] == "segment_value"
    assert result.risk.lifetime is None
    assert "lifetime value" not in result.risk.detail


def test_campaign_step_records_the_offer_evaluation(demo):
    result = demo.analyzer.run(_pick(demo.service, "high"))
    campaign_step = next(s for s in result.trace if s.node == "campaign")
    assert campaign_step.tool_calls[0].tool == "evaluate_offers"
    assert campaign_step.tool_calls[0].args == {
        "customer_id": result.customer_id,
        "language": result.language,  # the refusals are worded in the run's language
    }
    assert campaign_step.tool_calls[0].result.customer_id == result.customer_id
    assert campaign_step.duration_ms >= sum(c.duration_ms for c in campaign_step.tool_calls)
    ran = [s for s in result.trace if s.status == "ran"]
    starts = [datetime.fromisoformat(s.started_at) for s in ran]
    assert starts == sorted(starts)
    assert [s.node for s in ran] == ["analyst", "reasoning", "campaign", "communication"]


def test_chosen_offer_has_the_best_expected_value(demo):
    result = demo.analyzer.run(_pick(demo.service, "high"))
    plan = result.campaign
    assert all(plan.offer.expected_value >= o.expected_value for o in plan.runners_up)
    assert plan.worth_its_cost == (plan.offer.expected_value > 0)
    assert "correlational" in plan.caveat


def test_unknown_customer_is_refused_before_any_node_runs(demo):
    example = demo.service.example_id()
    with pytest.raises(CustomerNotFoundError, match=f"IDs in this data look like {example}"):
        demo.analyzer.run("not-an-id")


def test_stream_yields_each_node_then_the_result(demo):
    items = list(demo.analyzer.stream(_pick(demo.service, "high")))
    assert [node for node, _ in items[:-1]] == list(demo.analyzer.nodes[:4])
    assert items[-1].communications is not None


def test_a_streamed_result_equals_the_invoked_one(demo):
    customer = _pick(demo.service, "high")
    streamed = list(demo.analyzer.stream(customer, language="zh-TW"))[-1]
    invoked = demo.analyzer.run(customer, language="zh-TW")
    assert streamed.language == "zh-TW"
    assert (
        [s.node for s in streamed.trace]
        == [s.node for s in invoked.trace]
        == list(demo.analyzer.nodes[:4])
    )
    assert streamed.communications.sms.text == invoked.communications.sms.text
    assert streamed.model_dump(exclude={"trace"}) == invoked.model_dump(exclude={"trace"})


def test_route_by_risk_ends_only_for_low_risk(demo):
    low = demo.analyzer.run(_pick(demo.service, "low"))
    high = demo.analyzer.run(_pick(demo.service, "high"))
    assert route_by_risk({"risk": low.risk}) == "__end__"
    assert route_by_risk({"risk": high.risk}) == "campaign"


@pytest.mark.parametrize(("level", "ran"), [("low", 2), ("high", 4)])
def test_a_freshly_built_graph_routes_by_risk(demo, level, ran):
    customer = _pick(demo.service, level)
    graph = build_analysis_graph(demo.kits)
    state = graph.invoke({"customer_id": customer}, context=Context())
    assert [s.node for s in state["trace"]] == list(demo.analyzer.nodes[:ran])
    assert state["risk"].risk_level == level


def test_the_graph_publishes_its_name_input_output_and_context(demo):
    built = build_analysis_graph(demo.kits)
    assert built.name == "analysis"
    assert set(built.get_input_jsonschema()["properties"]) == {"customer_id"}
    output = built.get_output_jsonschema()["properties"]
    assert {"risk", "reasons", "campaign", "communications", "trace"} <= set(output)
    assert "profile" not in output
    context = built.get_context_jsonschema()["properties"]
    assert set(context) == {
        "review",
        "language",
        "backend",
        "risk_high",
        "risk_medium",
        "value_high",
        "value_mid",
    }


def test_a_second_run_on_one_thread_shows_only_the_second_customer(demo):
    from langgraph.checkpoint.memory import InMemorySaver

    graph = build_analysis_graph(demo.kits).builder.compile(checkpointer=InMemorySaver())
    thread = {"configurable": {"thread_id": "one"}}
    graph.invoke({"customer_id": _pick(demo.service, "high")}, thread, context=Context())
    low = _pick(demo.service, "low")
    state = graph.invoke({"customer_id": low}, thread, context=Context())
    assert state["customer_id"] == low
    assert state["campaign"] is None and state["communications"] is None
    assert [s.node for s in state["trace"]] == ["analyst", "reasoning"]
    assert all(c.args.get("customer_id", low) == low for s in state["trace"] for c in s.tool_calls)


def test_a_run_without_a_context_uses_the_settings(demo):
    state = demo.analyzer.graph.invoke({"customer_id": _pick(demo.service, "high")})
    assert state["language"] == demo.settings.language
    assert state["risk"].risk_level == "high"


def test_the_context_chooses_the_language(demo):
    customer = _pick(demo.service, "high")
    result = demo.analyzer.run(customer, Context(language="zh-TW"))
    assert result.language == "zh-TW"
    assert result.communications is not None and result.communications.sms.language == "zh-TW"


def test_thresholds_in_the_context_change_the_risk_level_and_the_route(demo):
    customer = _pick(demo.service, "medium")
    probability = demo.service.predict(customer).probability
    lowered = Context(risk_medium=probability + 0.01, risk_high=min(probability + 0.02, 0.99))
    result = demo.analyzer.run(customer, lowered)
    assert result.risk.risk_level == "low"
    assert result.skipped == ["campaign", "communication", "approval"]
    assert demo.service.predict(customer).risk_level == "medium"  # the default is untouched


def test_thresholds_that_contradict_each_other_are_refused_by_name(demo):
    from agents.context import ContextError

    with pytest.raises(ContextError, match=r"risk_medium \(0.8\) must be below risk_high"):
        demo.analyzer.run(_pick(demo.service, "high"), Context(risk_medium=0.8))


def test_an_offline_context_keeps_an_llm_assembly_offline(demo_service, fake_openai):
    from agents.llm.writer import OpenAIWriter

    settings = demo_service.settings.model_copy(
        update={"openai_base_url": fake_openai.base_url, "llm_budget": 5.0}
    )
    fake_openai.reset()
    llm = assemble(settings, service=demo_service, writer=OpenAIWriter(settings))
    result = llm.analyzer.run(_pick(demo_service, "high"), Context(backend="offline"))
    assert result.backend == "offline writer"
    assert fake_openai.requests == []


def test_route_by_offer_ends_without_an_offer():
    assert route_by_offer({"campaign": None}) == "__end__"


def test_a_customer_with_no_offer_in_budget_gets_no_message(demo_service):
    settings = demo_service.settings.model_copy(update={"offer_budget_cap": 0.0})
    service = type(demo_service)(demo_service.data, demo_service.model, demo_service.card, settings)
    result = assemble(settings, service=service).analyzer.run(_pick(service, "high"))
    assert result.campaign is None and result.communications is None
    assert result.skipped == ["communication", "approval"]
    campaign_step = next(s for s in result.trace if s.node == "campaign")
    assert "budget" in campaign_step.note
    skipped = [(s.node, s.note) for s in result.trace if s.status == "skipped"]
    assert skipped == [("communication", "no eligible offer"), ("approval", "no eligible offer")]


def test_nodes_are_functions_of_plain_state(demo):
    runtime = Runtime(context=Context())
    state = {"customer_id": _pick(demo.service, "high")}
    update = analyst(state, runtime, kits=demo.kits)
    assert set(update) == {
        "customer_id",
        "language",
        "profile",
        "risk",
        "campaign",
        "communications",
        "trace",
    }
    update = reasoning({**state, **update, "trace": update["trace"].value}, runtime, kits=demo.kits)
    assert set(update) == {"reasons", "trace"}
    assert 1 <= len(update["reasons"].reasons) <= 4


def test_reasons_carry_the_customers_own_values(demo):
    result = demo.analyzer.run(_pick(demo.service, "high"))
    for reason in result.reasons.reasons:
        assert reason.evidence in reason.explanation


def test_simulated_signals_are_flagged_in_warnings(demo):
    results = [demo.analyzer.run(c) for c in demo.service.scores().customerID.head(40)]
    warnings = [w for r in results for w in r.reasons.warning_signs]
    assert warnings and all("(simulated)" in w for w in warnings)


def test_graph_diagram_shows_the_conditional_edges(demo):
    edges = {
        line.strip().rstrip(";")
        for line in build_analysis_graph(demo.kits).get_graph().draw_mermaid().splitlines()
        if "-->" in line or "-.->" in line
    }
    assert edges == {
        "__start__ --> analyst",
        "analyst --> reasoning",
        "reasoning -.-> campaign",  # conditional edges are dotted
        "reasoning -.-> __end__",
        "campaign -.-> communication",
        "campaign -.-> __end__",
        "communication --> approval",
        "approval -.-> communication",  # a reviewer's new offer is written again
        "approval -.-> __end__",
    }


def test_result_json_has_the_documented_top_level_keys(demo):
    result = demo.analyzer.run(_pick(demo.service, "high"))
    payload = json.loads(result.model_dump_json())
    assert list(payload) == [
        "customer_id",
        "language",
        "backend",
        "risk",
        "reasons",
        "campaign",
        "communications",
        "approval",
        "skipped",
        "trace",
    ]
    assert payload["backend"] == "offline writer"


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_every_figure_in_demo_texts_traces_to_the_tools(demo, language):
    customers = demo.service.scores().customerID.iloc[::10]
    for customer in customers:
        result = demo.analyzer.run(customer, language=language)
        assert ungrounded_texts(demo.service, result) == [], customer
