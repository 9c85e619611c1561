"""The chat remembers what a thread discussed: follow-ups resolve to the last customers, an
ambiguous one asks which, and the answer language the user asked for sticks."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, HumanMessage

from agents.chat.memory import last_subjects, points_at_several, requested_language
from graph.chat import build_chat_graph, open_checkpointer


@pytest.fixture
def chat(demo, tmp_path):
    return build_chat_graph(demo.kits, demo.analyzer, open_checkpointer(tmp_path / "chat.db"))


def _customers(demo, level: str, n: int = 1) -> list[str]:
    scored = demo.service.scores()
    return scored[scored.risk_level == level].customerID.head(n).tolist()


def _turn(chat, question: str, thread: str = "t1", language: str = "en"):
    config = {"configurable": {"thread_id": thread}}
    state = chat.invoke({"messages": [HumanMessage(question)], "language": language}, config)
    messages = state["messages"]
    start = max(i for i, m in enumerate(messages) if isinstance(m, HumanMessage))
    turn = messages[start:]
    calls = [(c["name"], c["args"]) for m in turn if isinstance(m, AIMessage) for c in m.tool_calls]
    return calls, turn[-1].content


def test_a_follow_up_about_them_uses_the_customer_of_the_last_turn(chat, demo):
    [customer] = _customers(demo, "high")
    _turn(chat, f"What is {customer}'s risk?")
    calls, _ = _turn(chat, "What should we offer that customer?")
    assert calls == [("evaluate_offers", {"customer_id": customer})]


def test_a_bare_follow_up_keeps_the_subject(chat, demo):
    [customer] = _customers(demo, "high")
    _turn(chat, f"Why will {customer} churn?")
    calls, answer = _turn(chat, "And the SMS?")
    assert calls[0][1]["customer_id"] == customer
    assert "/ 160 characters" in answer


def test_a_chinese_follow_up_resolves_this_customer(chat, demo):
    [customer] = _customers(demo, "high")
    _turn(chat, f"{customer} 的流失風險多高？")
    calls, answer = _turn(chat, "這位客戶為什麼會流失？")
    assert calls == [("analyze_customer", {"customer_id": customer, "language": "zh-TW"})]
    assert "主要原因" in answer


def test_one_customer_needed_after_two_discussed_asks_which_naming_both(chat, demo):
    first, second = _customers(demo, "high", 2)
    _turn(chat, f"Compare {first} and {second}")
    calls, answer = _turn(chat, "Why will that customer churn?")
    assert calls == []
    assert "Which customer" in answer and first in answer and second in answer


def test_them_after_two_customers_compares_both_again(chat, demo):
    first, second = _customers(demo, "high", 2)
    _turn(chat, f"Compare {first} and {second}")
    calls, _ = _turn(chat, "What is the risk of both of them?")
    assert {args["customer_id"] for _, args in calls} == {first, second}


def test_a_new_thread_remembers_nothing(chat, demo):
    [customer] = _customers(demo, "high")
    _turn(chat, f"What is {customer}'s risk?", thread="a")
    calls, answer = _turn(chat, "What should we offer that customer?", thread="b")
    assert calls == [] and "Which customer?" in answer


def test_the_subject_survives_a_restart(demo, tmp_path):
    [customer] = _customers(demo, "high")
    path = tmp_path / "chat.db"
    _turn(build_chat_graph(demo.kits, demo.analyzer, open_checkpointer(path)), f"{customer}?")
    again = build_chat_graph(demo.kits, demo.analyzer, open_checkpointer(path))
    calls, _ = _turn(again, "What should we offer them?")
    assert calls == [("evaluate_offers", {"customer_id": customer})]


def test_an_english_question_gets_an_english_answer_whatever_the_switch_says(chat, demo):
    [customer] = _customers(demo, "high")
    _, answer = _turn(chat, f"What is {customer}'s risk?", language="zh-TW")
    assert "churn probability" in answer


def test_a_requested_language_is_remembered_until_changed(chat, demo):
    [customer] = _customers(demo, "high")
    _, answer = _turn(chat, f"What is {customer}'s risk? Answer in Traditional Chinese.")
    assert "流失機率" in answer
    _, answer = _turn(chat, "What should we offer them?")
    assert "建議提供" in answer
    _, answer = _turn(chat, "用英文：他的風險多高？")
    assert "churn probability" in answer


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("please answer in English", "en"),
        ("Reply in Mandarin please", "zh-TW"),
        ("請用中文回答", "zh-TW"),
        ("What is the risk?", None),
    ],
)
def test_a_language_request_is_read_in_either_language(question, language):
    assert requested_language(question) == language


def test_several_customers_are_pointed_at_only_by_plural_words():
    assert points_at_several("compare them") and points_at_several("這些客戶呢？")
    assert not points_at_several("what about theme parks")


def test_the_subjects_are_those_of_the_latest_turn_about_customers():
    messages = [
        HumanMessage("risk of 1111-AAAAA?"),
        AIMessage("", tool_calls=[_call("1111-AAAAA")]),
        HumanMessage("how good is the model?"),
        AIMessage("good"),
        HumanMessage("and them?"),
    ]
    assert last_subjects(messages) == ("1111-AAAAA",)


def _call(customer_id: str) -> dict:
    return {"name": "predict_churn", "args": {"customer_id": customer_id}, "id": "c1"}


def test_a_two_part_question_is_answered_in_two_parts_about_the_same_customer(chat, demo):
    [customer] = _customers(demo, "high")
    calls, answer = _turn(chat, f"What is {customer}'s risk and what should we offer them?")
    assert [name for name, _ in calls] == ["predict_churn", "segment_value", "evaluate_offers"]
    assert all(args["customer_id"] == customer for _, args in calls)
    assert "churn probability" in answer and "Best offer" in answer


def test_a_question_with_and_inside_a_segment_stays_one_question():
    from agents.chat.intents import parts_of

    [intent] = parts_of("How many customers have tech support and fiber?", "en")
    assert intent.kind == "query"
