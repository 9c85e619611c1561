"""The Ask chat on time and lifetime value: "when" questions, CLV questions and this quarter's
leavers, in English and Chinese, answered through the typed tools."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, HumanMessage

from agents.chat.intents import parse, planned_calls
from crm_agents.composition import assemble
from graph.chat import build_chat_graph
from tools.service.retention import RetentionService


@pytest.fixture(scope="module")
def chat(demo):
    return build_chat_graph(demo.kits, demo.analyzer)


def _ask(chat, question: str, language: str = "en") -> tuple[str, list[str]]:
    state = chat.invoke(
        {"messages": [HumanMessage(question)], "language": language, "fallback": None}
    )
    calls = [c["name"] for m in state["messages"] if isinstance(m, AIMessage) for c in m.tool_calls]
    return str(state["messages"][-1].content), calls


def _customer(demo, tenure_at_least: int = 3) -> str:
    customers = demo.service.customers
    return str(customers.index[customers["tenure"] >= tenure_at_least][0])


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When will 7590-VHVEG leave?", "when"),
        ("How long will 7590-VHVEG stay with us?", "when"),
        ("7590-VHVEG 還會待多久？", "when"),
        ("7590-VHVEG 何時會流失？", "when"),
        ("What is 7590-VHVEG's lifetime value?", "lifetime_value"),
        ("7590-VHVEG 的顧客終身價值是多少？", "lifetime_value"),
    ],
)
def test_when_and_lifetime_questions_about_a_customer_are_understood(question, kind):
    intent = parse(question)
    assert intent.kind == kind
    assert planned_calls(intent)[0] == ("predict_time_to_churn", {"customer_id": "7590-VHVEG"})


@pytest.mark.parametrize(
    "question",
    [
        "Which customers are likely to leave this quarter?",
        "Who should we call this week?",
        "這一季可能流失的客戶有哪些？",
        "本週該打給誰？",
    ],
)
def test_this_quarters_leavers_are_listed_by_urgency(question):
    assert planned_calls(parse(question)) == [
        ("list_at_risk", {"limit": 10, "order": "urgency", "call_this_week_only": True})
    ]


def test_a_when_answer_quotes_the_tools_figures(chat, demo):
    customer = _customer(demo)
    answer, calls = _ask(chat, f"How long will {customer} stay?")
    when = demo.service.time_to_churn(customer)
    assert calls == ["predict_time_to_churn"]
    assert f"{when.churn_within_90d:.1%}" in answer
    assert f"${when.lifetime_value:,.2f}" in answer
    assert "similar customers" in answer


def test_a_when_answer_in_chinese(chat, demo):
    answer, _ = _ask(chat, f"{_customer(demo)} 何時會流失？", "zh-TW")
    assert "流失機率：30 天內" in answer and "同類客戶" in answer


def test_a_lifetime_value_answer_says_what_the_tier_is_cut_on(chat, demo):
    customer = _customer(demo)
    answer, calls = _ask(chat, f"What is {customer}'s lifetime value?")
    assert calls == ["predict_time_to_churn", "segment_value"]
    assert f"${demo.service.time_to_churn(customer).lifetime_value:,.2f}" in answer
    assert "Value tier by monthly charges" in answer


def test_this_quarters_leavers_are_the_calls_of_the_week_most_urgent_first(chat, demo):
    answer, calls = _ask(chat, "Which customers are likely to leave this quarter?")
    assert calls == ["list_at_risk"]
    scores = demo.service.scores()
    to_call = scores[scores["call_this_week"]]
    assert len(to_call) > 0 and (to_call["risk_level"] == "high").all()
    most_urgent = to_call.loc[to_call["expected_loss_90d"].idxmax(), "customerID"]
    rows = [line for line in answer.splitlines() if line.startswith("|")]
    assert most_urgent in rows[2]  # header, rule, then the most urgent customer
    assert len(rows) - 2 == min(10, len(to_call))
    assert f"{len(to_call):,} to call this week" in answer  # the true count, not the base's


def test_this_weeks_calls_in_chinese(chat, demo):
    answer, _ = _ask(chat, "本週該打給誰？", "zh-TW")
    calls = int(demo.service.scores()["call_this_week"].sum())
    assert f"本週應致電 {calls:,} 位" in answer and "90 天內流失機率" in answer


def test_with_nobody_to_call_this_week_the_chat_says_so_and_why(chat, demo, monkeypatch):
    scores = demo.service.scores()
    monkeypatch.setitem(demo.service.__dict__, "_scores", scores.assign(call_this_week=False))
    answer, _ = _ask(chat, "Who should we call this week?")
    assert answer.startswith("No customer to call this week")


def test_the_lifetime_value_of_a_segment_is_a_query(chat, demo):
    answer, calls = _ask(chat, "What is the total lifetime value of fiber customers?")
    assert calls == ["query_customers"]
    scores = demo.service.scores().set_index("customerID")
    fiber = demo.service.customers["InternetService"] == "Fiber optic"
    total = scores.loc[demo.service.customers.index[fiber], "clv"].sum()
    assert f"{total:,.2f}" in answer


def test_without_the_time_to_churn_model_a_when_question_says_how_to_add_it(demo):
    s = demo.service
    plain = assemble(s.settings, service=RetentionService(s.data, s.model, s.card, s.settings))
    answer, _ = _ask(plain.chat, f"When will {_customer(demo)} leave?")
    assert "crm-agents train-survival" in answer


def test_a_what_if_answer_says_how_the_lifetime_value_moves(chat, demo):
    monthly = demo.service.customers["Contract"] == "Month-to-month"
    customer = str(demo.service.customers.index[monthly][0])
    answer, calls = _ask(chat, f"What if {customer} moved to a two-year contract?")
    result = demo.service.what_if(customer, {"Contract": "Two year"})
    assert calls == ["what_if"]
    assert f"${result.lifetime_value_after:,.2f}" in answer and "within 90 days" in answer


def test_the_risk_answer_says_what_the_value_tier_is_cut_on(chat, demo):
    answer, _ = _ask(chat, f"What is {_customer(demo)}'s churn risk?")
    assert "Value tier by monthly charges" in answer
