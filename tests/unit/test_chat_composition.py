"""Questions that combine a segment, a grouping and a measure, and follow-ups that narrow the
last segment, get the figure they ask for — checked against the product's own scores, computed
here, never written in."""

from __future__ import annotations

import pytest

from core.formats import percent
from graph.chat import build_chat_graph, open_checkpointer
from graph.chat_session import ChatSession


@pytest.fixture
def ask(demo, tmp_path):
    saver = open_checkpointer(tmp_path / "chat.db")
    session = ChatSession(build_chat_graph(demo.kits, demo.analyzer, saver))
    return session.ask


@pytest.fixture
def table(demo):
    scores = demo.service.scores().set_index("customerID")
    return demo.service.customers.join(scores[["risk_level"]])


def _churn_rates(table, column):
    return (table["Churn"] == "Yes").groupby(table[column]).mean()


@pytest.mark.parametrize(
    ("question", "column"),
    [
        ("Which contract type churns the most?", "Contract"),
        ("Which payment method has the highest actual churn rate?", "PaymentMethod"),
        ("哪種網路服務流失率最高？", "InternetService"),
    ],
)
def test_which_group_churns_the_most_names_the_group_with_the_observed_rate(
    ask, table, question, column
):
    rates = _churn_rates(table, column)
    answer = ask(question)
    assert answer.tool_calls[0].args["group_by"] == column
    first_line = answer.answer.splitlines()[0]
    assert percent(rates.max()) in first_line
    assert percent(rates.mean()) not in first_line or rates.max() == rates.mean()


def test_which_group_churns_the_least_names_the_lowest(ask, table):
    rates = _churn_rates(table, "Contract")
    first_line = ask("Which contract type churns the least?").answer.splitlines()[0]
    assert percent(rates.min()) in first_line


def test_a_share_within_a_segment_is_of_the_segment_not_of_everyone(ask, table):
    monthly = table[table["Contract"] == "Month-to-month"]
    share = (monthly["risk_level"] == "high").mean()
    answer = ask("What share of month-to-month customers are high risk?")
    first_line = answer.answer.splitlines()[0]
    assert percent(share) in first_line
    assert f"{len(monthly):,}" in first_line


def test_the_same_share_asked_in_chinese_is_within_the_segment(ask, table):
    monthly = table[table["Contract"] == "Month-to-month"]
    share = (monthly["risk_level"] == "high").mean()
    first_line = ask("月租制客戶中高風險的比例是多少？").answer.splitlines()[0]
    assert percent(share) in first_line


@pytest.mark.parametrize(
    ("first", "then"),
    [
        (
            "How many high-risk customers are there?",
            "And how many of those pay by electronic check?",
        ),
        ("多少位客戶是高風險？", "其中有多少位用電子支票付款？"),
    ],
)
def test_of_those_narrows_the_last_segment(ask, table, first, then):
    ask(first)
    answer = ask(then)
    high = table[table["risk_level"] == "high"]
    both = high[high["PaymentMethod"] == "Electronic check"]
    first_line = answer.answer.splitlines()[0]
    assert f"**{len(both):,}**" in first_line
    assert percent(len(both) / len(high)) in first_line
