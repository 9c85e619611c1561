"""`query_customers`: figures over filtered, grouped customers, checked against pandas on the
scored table; its arguments refuse what they cannot mean; the chat reads questions into it."""

from __future__ import annotations

import pytest
from langchain_core.messages import HumanMessage
from pydantic import ValidationError

from agents.chat.intents import parse, planned_calls
from tools.portfolio.query import QueryArgs, QueryError, query_customers


@pytest.fixture(scope="module")
def table(demo):
    scores = demo.service.scores().set_index("customerID")
    return demo.service.customers.loc[scores.index].join(scores)


def _query(demo, **arguments):
    return query_customers(demo.service, **arguments)


def test_count_and_share_of_a_segment_match_pandas(demo, table):
    result = _query(demo, filters=[{"column": "InternetService", "values": ["Fiber optic"]}])
    expected = int((table.InternetService == "Fiber optic").sum())
    assert result.matching == expected and result.total_customers == len(table)
    figures = result.groups[0].figures
    assert figures["count"] == expected
    assert figures["share"] == pytest.approx(expected / len(table), abs=1e-4)


def test_a_grouped_churn_rate_matches_pandas_and_groups_add_up(demo, table):
    result = _query(
        demo,
        filters=[{"column": "risk_level", "values": ["high", "medium"]}],
        group_by="Contract",
        measures=["count", "churn_rate"],
    )
    part = table[table.risk_level.isin(["high", "medium"])]
    rates = part.groupby("Contract")["Churn"].apply(lambda c: (c == "Yes").mean())
    for group in result.groups[1:]:
        assert group.figures["churn_rate"] == pytest.approx(rates[group.group], abs=1e-4)
    assert sum(g.figures["count"] for g in result.groups[1:]) == result.matching


def test_mean_median_sum_and_revenue_at_risk_match_pandas(demo, table):
    result = _query(
        demo,
        filters=[{"column": "tenure", "at_most": 12}],
        measures=["mean", "median", "sum", "revenue_at_risk", "high_risk_revenue_at_risk"],
        column="MonthlyCharges",
    )
    part = table[table.tenure <= 12]
    at_risk = part.churn_probability * part.monthly_charges
    figures = result.groups[0].figures
    assert figures["mean"] == pytest.approx(part.MonthlyCharges.mean(), abs=0.01)
    assert figures["median"] == pytest.approx(part.MonthlyCharges.median(), abs=0.01)
    assert figures["sum"] == pytest.approx(part.MonthlyCharges.sum(), abs=0.01)
    assert figures["revenue_at_risk"] == pytest.approx(at_risk.sum(), abs=0.01)
    high = at_risk[part.risk_level == "high"].sum()
    assert figures["high_risk_revenue_at_risk"] == pytest.approx(high, abs=0.01)


def test_a_list_shows_n_likeliest_churners_with_the_true_total(demo, table):
    result = _query(
        demo,
        filters=[{"column": "PaymentMethod", "values": ["Electronic check"]}],
        list_customers=3,
    )
    part = table[table.PaymentMethod == "Electronic check"]
    assert result.customers_shown == 3 and result.matching == len(part)
    expected = part.sort_values("churn_probability", ascending=False).index[:3].tolist()
    assert [c.customer_id for c in result.customers] == expected


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"filters": [{"column": "Contrct", "values": ["x"]}]}, "unknown column 'Contrct'"),
        ({"filters": [{"column": "Contract", "values": ["Ten year"]}]}, "Month-to-month"),
        ({"filters": [{"column": "tenure", "values": ["3"]}]}, "tenure is a number"),
        ({"group_by": "tenure"}, "group_by 'tenure' is not a category"),
        ({"measures": ["mean"]}, "mean, median and sum need column"),
        ({"list_customers": 501}, "less than or equal to 500"),
    ],
)
def test_bad_arguments_say_what_is_allowed(arguments, message):
    with pytest.raises(ValidationError, match=message):
        QueryArgs.model_validate(arguments)


def test_a_churn_rate_without_labels_is_refused_clearly(demo):
    service = demo.service
    unlabelled = type(service)(
        type(service.data)(service.customers.drop(columns="Churn"), service.data.origin),
        service.model,
        service.card,
        service.settings,
    )
    with pytest.raises(QueryError, match="no Churn column"):
        query_customers(unlabelled, measures=["churn_rate"])


def test_the_chat_tool_returns_a_bad_argument_as_a_message_for_the_model(demo):
    tool = demo.kits.default.tools.query_customers.as_langchain()
    answer = tool.invoke({"group_by": "tenure"})
    assert "Invalid arguments" in answer and "Contract" in answer


@pytest.mark.parametrize(
    ("question", "arguments"),
    [
        (
            "How many high-risk customers are there?",
            {
                "filters": [{"column": "risk_level", "values": ["high"]}],
                "measures": ["count", "share"],
            },
        ),
        (
            "光纖客戶依合約的流失率",
            {
                "filters": [{"column": "InternetService", "values": ["Fiber optic"]}],
                "measures": ["churn_rate"],
                "group_by": "Contract",
            },
        ),
        (
            "Average monthly charges of senior customers",
            {
                "filters": [{"column": "SeniorCitizen", "values": ["1"]}],
                "measures": ["mean"],
                "column": "MonthlyCharges",
            },
        ),
        (
            "Monthly revenue at risk by value tier",
            {"filters": [], "measures": ["revenue_at_risk"], "group_by": "value_tier"},
        ),
        (
            "Top 80 fiber customers most likely to leave",
            {
                "filters": [{"column": "InternetService", "values": ["Fiber optic"]}],
                "measures": ["count", "share"],
                "list_customers": 80,
            },
        ),
    ],
)
def test_the_offline_router_reads_segment_questions_into_a_query(question, arguments):
    assert planned_calls(parse(question)) == [("query_customers", arguments)]


def test_a_top_list_of_a_risk_level_stays_on_list_at_risk_with_its_full_length():
    intent = parse("Top 120 high-risk customers")
    assert planned_calls(intent) == [("list_at_risk", {"limit": 120, "risk_level": "high"})]


def test_a_chinese_count_is_answered_in_chinese_with_the_computed_figure(demo, table):
    state = demo.chat.invoke({"messages": [HumanMessage("高風險客戶有幾位？")]})
    answer = state["messages"][-1].content
    expected = int((table.risk_level == "high").sum())
    assert f"**{expected:,}**" in answer and "佔比" in answer


def test_a_list_says_what_its_value_tiers_are_cut_on_and_a_count_does_not(demo):
    listed = _query(
        demo, filters=[{"column": "Contract", "values": ["Month-to-month"]}], list_customers=3
    )
    assert listed.customers and listed.value_basis == demo.service.value_basis()
    counted = _query(demo, filters=[{"column": "Contract", "values": ["One year"]}])
    assert counted.value_basis is None
    by_tier = _query(demo, group_by="value_tier")
    assert by_tier.value_basis == demo.service.value_basis()


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("List 5 fiber optic customers", "Value tier by monthly charges"),
        ("列出 5 位光纖客戶", "價值分級依月費"),
    ],
)
def test_a_listed_answer_in_the_chat_names_the_value_tiers_basis(demo, question, words):
    state = demo.chat.invoke({"messages": [HumanMessage(question)]})
    assert words in state["messages"][-1].content
