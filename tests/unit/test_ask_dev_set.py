"""The Ask development set (tests/ask_dev_set): at least 150 turns in 40 conversations, in both
languages and every family, answered right by the offline router in at least 95 % of each
family's turns — and checks that can fail: a wrong figure, a wrong tool call, the wrong language.

`pytest tests/unit/test_ask_dev_set.py -s` prints the rate per family and every failure;
`benchmarks/bench_ask_dev_set.py` runs the set against an LLM server too.
"""

from __future__ import annotations

import pytest
from ask_dev_set import runner
from ask_dev_set.facts import Facts
from langgraph.checkpoint.memory import InMemorySaver

from core import formats
from graph.chat import build_chat_graph
from graph.chat_session import ChatAnswer, ChatSession, ToolCallMade

FAMILIES = {
    "single_customer",
    "counts_shares",
    "groups",
    "refinements",
    "time",
    "money",
    "refusals",
    "malformed",
    "risk_change",
}
TARGET = 0.95


@pytest.fixture(scope="module")
def facts(demo) -> Facts:
    return Facts(demo)


@pytest.fixture(scope="module")
def conversations() -> list[runner.Conversation]:
    return runner.load()


def test_the_set_is_large_and_covers_every_family_in_both_languages(conversations):
    size = runner.describe(conversations)
    assert size["conversations"] >= 40 and size["turns"] >= 150
    assert set(size["families"]) == FAMILIES
    for family in FAMILIES:
        languages = {c.language for c in conversations if c.family == family}
        assert languages == {"en", "zh-TW"}, family


def test_the_offline_router_passes_every_family(demo, facts, conversations):
    chat = build_chat_graph(demo.kits, demo.analyzer, checkpointer=InMemorySaver())
    results = runner.run_set(lambda thread: ChatSession(chat, thread), facts, conversations)
    table = runner.per_family(results)
    print(f"\nAsk development set, offline router:\n{table.to_string()}")
    print(runner.failures(results))
    assert (table.rate >= TARGET).all(), runner.failures(results)


def _turn(conversations, family: str, name: str, index: int = 0) -> runner.Turn:
    conversation = next(c for c in conversations if c.family == family and c.name == name)
    return conversation.turns[index]


def test_a_figure_off_by_a_tenth_of_a_point_fails(facts, conversations):
    turn = _turn(conversations, "counts_shares", "shares of the base and within a segment", 1)
    (right,) = facts.expected(facts.filled(turn.expect[0]), "en").present
    off = formats.percent(float(right.rstrip("%")) / 100 + 0.001)
    assert runner.figure_problems(facts, turn, "en", f"It is {right}.") == []
    assert runner.figure_problems(facts, turn, "en", f"It is {off}.")


def test_a_figure_inside_a_longer_number_does_not_count(facts, conversations):
    turn = _turn(conversations, "counts_shares", "counts by risk and by segment")
    (count,) = facts.expected(facts.filled(turn.expect[0]), "en").present
    assert runner.figure_problems(facts, turn, "en", f"There are 1{count}9 of them.")


def _answer(calls: list[tuple[str, dict]], text: str = "…") -> ChatAnswer:
    return ChatAnswer(
        answer=text,
        tool_calls=[ToolCallMade(name=n, args=a) for n, a in calls],
        thread="t",
        language="en",
        backend="test",
    )


def test_a_tool_call_about_another_customer_fails_the_trajectory(facts, conversations):
    turn = _turn(conversations, "single_customer", "why, then the offer, then the SMS")
    asked = facts.customers["high"]
    right = _answer([("analyze_customer", {"customer_id": asked, "language": "en"})])
    wrong = _answer([("analyze_customer", {"customer_id": facts.customers["low"]})])
    assert runner.trajectory_problems(facts, turn, "q", right) == []
    assert runner.trajectory_problems(facts, turn, "q", wrong)


def test_a_tool_call_where_a_refusal_is_due_fails_the_trajectory(facts, conversations):
    turn = _turn(conversations, "refusals", "writes to the data, in many verbs")
    assert runner.trajectory_problems(facts, turn, "q", _answer([])) == []
    assert runner.trajectory_problems(facts, turn, "q", _answer([("list_at_risk", {})]))


def test_a_missing_tool_call_fails_the_trajectory(facts, conversations):
    turn = _turn(conversations, "single_customer", "risk in plain words, then the email")
    only_one = _answer([("predict_churn", {"customer_id": facts.customers["high2"]})])
    assert runner.trajectory_problems(facts, turn, "q", only_one)


def test_an_english_answer_to_a_chinese_question_fails_the_language_check():
    assert runner.language_problems("The churn rate is 41.4%.", "zh-TW")
    assert runner.language_problems("流失率是 41.4%。", "en")
    assert runner.language_problems("流失率是 41.4%。", "zh-TW") == []


def test_simplified_characters_fail_a_traditional_chinese_answer():
    assert runner.language_problems("这些客户的流失风险很高。", "zh-TW")


def test_a_customer_role_is_filled_with_a_customer_of_that_risk_level(facts):
    level = facts.table.risk_level
    assert level[facts.customers["high"]] == "high"
    assert level[facts.customers["low"]] == "low"
    assert facts.fill("Why {high}? {high_nodash}") == (
        f"Why {facts.customers['high']}? {facts.customers['high'].replace('-', '')}"
    )


@pytest.mark.slow
def test_the_offline_router_passes_every_family_on_the_real_file(real, conversations):
    chat = build_chat_graph(real.kits, real.analyzer, checkpointer=InMemorySaver())
    results = runner.run_set(lambda thread: ChatSession(chat, thread), Facts(real), conversations)
    table = runner.per_family(results)
    assert (table.rate >= TARGET).all(), runner.failures(results)
