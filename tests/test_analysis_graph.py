"""The four-agent analysis graph with the offline writer: routing, sections, trace, languages."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from grounding_oracle import ungrounded_texts
from langgraph.runtime import Runtime

from agents.analyst import analyst
from agents.context import AnalysisContext
from agents.reasoning import reasoning
from graph.analysis import (
    NODES,
    build_graph,
    route_by_offer,
    route_by_risk,
    run_analysis,
    stream_analysis,
)
from tools.service import CustomerNotFoundError


@pytest.fixture(scope="module")
def demo_context(demo_service) -> AnalysisContext:
    return AnalysisContext.build(demo_service)


def _pick(service, level: str) -> str:
    scored = service.scores()
    return scored[scored.risk_level == level].customerID.iloc[0]


def test_low_risk_customer_skips_campaign_and_communication(demo_context):
    result = run_analysis(_pick(demo_context.service, "low"), demo_context)
    assert result.skipped == ["campaign", "communication"]
    assert result.campaign is None and result.communications is None
    skipped = [s for s in result.trace if s.status == "skipped"]
    assert [s.node for s in skipped] == ["campaign", "communication"]
    assert all("low risk" in s.note for s in skipped)


@pytest.mark.parametrize("level", ["high", "medium"])
def test_at_risk_customer_gets_every_section(demo_context, level):
    result = run_analysis(_pick(demo_context.service, level), demo_context)
    assert result.skipped == []
    assert [s.node for s in result.trace] == list(NODES)
    assert result.campaign.offer.offer_id == result.communications.offer_id
    assert len(result.communications.call_script.objections) == 3
    assert result.communications.email.subject and result.communications.email.body


def test_chinese_analysis_writes_chinese_and_a_one_segment_sms(demo_context):
    result = run_analysis(_pick(demo_context.service, "high"), demo_context, "zh-TW")
    assert result.language == "zh-TW"
    assert "流失" in result.risk.summary
    assert result.communications.sms.length <= 70
    assert result.communications.sms.limit == 70


def test_risk_probability_is_the_model_probability(demo_context):
    customer = _pick(demo_context.service, "medium")
    result = run_analysis(customer, demo_context)
    assert result.risk.probability == pytest.approx(
        demo_context.service.predict(customer).probability
    )


def test_analyst_calls_its_three_tools_and_records_them(demo_context):
    result = run_analysis(_pick(demo_context.service, "high"), demo_context)
    step = result.trace[0]
    assert [c.tool for c in step.tool_calls] == [
        "lookup_customer",
        "predict_churn",
        "segment_value",
    ]
    assert step.tool_calls[1].args == {"customer_id": result.customer_id}
    assert step.tool_calls[1].result["probability"] == pytest.approx(result.risk.probability)


def test_campaign_step_records_the_offer_evaluation(demo_context):
    result = run_analysis(_pick(demo_context.service, "high"), demo_context)
    campaign_step = next(s for s in result.trace if s.node == "campaign")
    assert campaign_step.tool_calls[0].tool == "evaluate_offers"
    assert campaign_step.tool_calls[0].args == {"customer_id": result.customer_id}
    assert campaign_step.tool_calls[0].result["customer_id"] == result.customer_id
    assert campaign_step.duration_ms >= sum(c.duration_ms for c in campaign_step.tool_calls)
    ran = [s for s in result.trace if s.status == "ran"]
    starts = [datetime.fromisoformat(s.started_at) for s in ran]
    assert starts == sorted(starts)
    assert [s.node for s in ran] == ["analyst", "reasoning", "campaign", "communication"]


def test_chosen_offer_has_the_best_expected_value(demo_context):
    result = run_analysis(_pick(demo_context.service, "high"), demo_context)
    plan = result.campaign
    assert all(plan.offer.expected_value >= o.expected_value for o in plan.runners_up)
    assert plan.worth_its_cost == (plan.offer.expected_value > 0)
    assert "correlational" in plan.caveat


def test_unknown_customer_is_refused_before_any_node_runs(demo_context):
    example = demo_context.service.example_id()
    with pytest.raises(CustomerNotFoundError, match=f"IDs in this data look like {example}"):
        run_analysis("not-an-id", demo_context)


def test_stream_yields_each_node_then_the_result(demo_context):
    items = list(stream_analysis(_pick(demo_context.service, "high"), demo_context))
    assert [node for node, _ in items[:-1]] == list(NODES)
    assert items[-1].communications is not None


def test_a_streamed_result_equals_the_invoked_one(demo_context):
    customer = _pick(demo_context.service, "high")
    streamed = list(stream_analysis(customer, demo_context, "zh-TW"))[-1]
    invoked = run_analysis(customer, demo_context, "zh-TW")
    assert streamed.language == "zh-TW"
    assert [s.node for s in streamed.trace] == [s.node for s in invoked.trace] == list(NODES)
    assert streamed.communications.sms.text == invoked.communications.sms.text
    assert streamed.model_dump(exclude={"trace"}) == invoked.model_dump(exclude={"trace"})


def test_route_by_risk_ends_only_for_low_risk(demo_context):
    low = run_analysis(_pick(demo_context.service, "low"), demo_context)
    high = run_analysis(_pick(demo_context.service, "high"), demo_context)
    assert route_by_risk({"risk": low.risk}) == "__end__"
    assert route_by_risk({"risk": high.risk}) == "campaign"


@pytest.mark.parametrize(("level", "ran"), [("low", 2), ("high", 4)])
def test_a_freshly_built_graph_routes_by_risk(demo_context, level, ran):
    customer = _pick(demo_context.service, level)
    state = build_graph().invoke({"customer_id": customer, "language": "en"}, context=demo_context)
    assert [s.node for s in state["trace"]] == list(NODES[:ran])
    assert state["risk"].risk_level == level


def test_the_graph_publishes_its_name_input_and_context():
    built = build_graph()
    assert built.name == "analysis"
    assert set(built.get_input_jsonschema()["properties"]) == {"customer_id", "language"}
    assert built.context_schema is AnalysisContext


def test_route_by_offer_ends_without_an_offer():
    assert route_by_offer({"campaign": None}) == "__end__"


def test_a_customer_with_no_offer_in_budget_gets_no_message(demo_service):
    settings = demo_service.settings.model_copy(update={"offer_budget_cap": 0.0})
    service = type(demo_service)(demo_service.data, demo_service.model, demo_service.card, settings)
    result = run_analysis(_pick(service, "high"), AnalysisContext.build(service))
    assert result.campaign is None and result.communications is None
    assert result.skipped == ["communication"]
    campaign_step = next(s for s in result.trace if s.node == "campaign")
    assert "budget" in campaign_step.note


def test_nodes_are_functions_of_plain_state(demo_context):
    runtime = Runtime(context=demo_context)
    state = {"customer_id": _pick(demo_context.service, "high"), "language": "en"}
    update = analyst(state, runtime)
    assert set(update) == {"profile", "risk", "trace"}
    update = reasoning({**state, **update}, runtime)
    assert set(update) == {"reasons", "trace"}
    assert 1 <= len(update["reasons"].reasons) <= 4


def test_reasons_carry_the_customers_own_values(demo_context):
    result = run_analysis(_pick(demo_context.service, "high"), demo_context)
    for reason in result.reasons.reasons:
        assert reason.evidence in reason.explanation


def test_simulated_signals_are_flagged_in_warnings(demo_context):
    results = [
        run_analysis(c, demo_context) for c in demo_context.service.scores().customerID.head(40)
    ]
    warnings = [w for r in results for w in r.reasons.warning_signs]
    assert warnings and all("(simulated)" in w for w in warnings)


def test_graph_diagram_shows_the_conditional_edges():
    edges = {
        line.strip().rstrip(";")
        for line in build_graph().get_graph().draw_mermaid().splitlines()
        if "-->" in line or "-.->" in line
    }
    assert edges == {
        "__start__ --> analyst",
        "analyst --> reasoning",
        "reasoning -.-> campaign",  # conditional edges are dotted
        "reasoning -.-> __end__",
        "campaign -.-> communication",
        "campaign -.-> __end__",
        "communication --> __end__",
    }


def test_result_json_has_the_documented_top_level_keys(demo_context):
    result = run_analysis(_pick(demo_context.service, "high"), demo_context)
    payload = json.loads(result.model_dump_json())
    assert list(payload) == [
        "customer_id",
        "language",
        "backend",
        "risk",
        "reasons",
        "campaign",
        "communications",
        "skipped",
        "trace",
    ]
    assert payload["backend"] == "offline writer"


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_every_figure_in_demo_texts_traces_to_the_tools(demo_context, language):
    customers = demo_context.service.scores().customerID.iloc[::10]
    for customer in customers:
        result = run_analysis(customer, demo_context, language)
        assert ungrounded_texts(demo_context.service, result) == [], customer
