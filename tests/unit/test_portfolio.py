"""The portfolio view: every customer in exactly one cell, revenue at risk from the scores."""

from __future__ import annotations

import pytest

from tools.portfolio.overview import at_risk_table, risk_value_matrix


def test_matrix_has_every_cell_and_every_customer(demo_service):
    matrix = risk_value_matrix(demo_service)
    assert len(matrix) == 9
    assert matrix["customers"].sum() == len(demo_service.customers)


def test_matrix_revenue_adds_up_to_the_base(demo_service):
    matrix = risk_value_matrix(demo_service)
    total = demo_service.customers["MonthlyCharges"].sum()
    assert matrix["monthly_revenue"].sum() == pytest.approx(total, abs=0.1)


def test_revenue_at_risk_is_probability_weighted(demo_service):
    matrix = risk_value_matrix(demo_service)
    scores = demo_service.scores()
    expected = (scores["churn_probability"] * scores["monthly_charges"]).sum()
    assert matrix["monthly_revenue_at_risk"].sum() == pytest.approx(expected, abs=0.1)
    assert (matrix["monthly_revenue_at_risk"] <= matrix["monthly_revenue"] + 0.01).all()


def test_at_risk_table_is_filtered_and_sorted(demo_service):
    table = at_risk_table(demo_service, limit=20, risk_level="high", value_tier="high")
    scores = demo_service.scores()
    matching = int(((scores.risk_level == "high") & (scores.value_tier == "high")).sum())
    assert matching > 0 and len(table) == min(20, matching)
    assert (
        table["customer_id"].tolist()
        == scores[(scores.risk_level == "high") & (scores.value_tier == "high")]
        .customerID.head(20)
        .tolist()
    )
    assert set(table["risk_level"]) <= {"high"} and set(table["value_tier"]) <= {"high"}
    probabilities = table["churn_probability_percent"].tolist()
    assert probabilities == sorted(probabilities, reverse=True)


def test_the_typical_customer_of_each_level_is_far_from_its_thresholds(demo_service):
    from tools.portfolio.overview import typical_customers

    settings = demo_service.settings
    scores = demo_service.scores().set_index("customerID")
    typical = typical_customers(demo_service)
    assert set(typical) == {"high", "medium", "low"}
    for level, customer in typical.items():
        p = scores.loc[customer, "churn_probability"]
        assert scores.loc[customer, "risk_level"] == level
        assert min(abs(p - settings.risk_high), abs(p - settings.risk_medium)) > 0.05
