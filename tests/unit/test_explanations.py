"""What Analyze explains beside the score: how similar customers fare, the top driver an offer
can change, and driver labels with the customer's own value in its unit."""

from __future__ import annotations

import pytest

from tools.portfolio.overview import at_risk_table


def test_similar_customers_share_contract_internet_and_tenure_band(demo_service):
    from tools.service.similar import TENURE_EDGES

    customers = demo_service.customers
    customer_id = customers.index[0]
    similar = demo_service.segment(customer_id).similar
    me = customers.loc[customer_id]
    band = (customers["tenure"] >= similar.tenure_from) & (
        customers["tenure"] <= (similar.tenure_to if similar.tenure_to is not None else 10**6)
    )
    alike = customers[
        (customers["Contract"] == me["Contract"])
        & (customers["InternetService"] == me["InternetService"])
        & band
    ]
    assert similar.tenure_from in TENURE_EDGES
    assert similar.tenure_from <= me["tenure"]
    assert similar.customers == len(alike)
    assert similar.churn_rate == pytest.approx((alike["Churn"] == "Yes").mean(), abs=1e-4)
    assert similar.basis == "observed"


def test_without_labels_similar_customers_use_the_mean_predicted_probability():
    import pandas as pd

    from tools.service.similar import segment_table, similar_customers

    customers = pd.DataFrame(
        {
            "Contract": ["One year"] * 3,
            "InternetService": ["DSL"] * 3,
            "tenure": [14, 20, 30],
        },
        index=["a", "b", "c"],
    )
    table = segment_table(customers, pd.Series({"a": 0.2, "b": 0.4, "c": 0.9}))
    similar = similar_customers(table, customers.loc["a"].to_dict())
    assert (similar.customers, similar.churn_rate, similar.basis) == (2, 0.3, "predicted")
    assert (similar.tenure_from, similar.tenure_to) == (13, 24)


def test_the_top_actionable_driver_skips_drivers_no_offer_can_change():
    from tools.schemas import ChurnPrediction, Driver

    def driver(feature, contribution):
        return Driver(feature=feature, label=feature, value="x", contribution=contribution)

    prediction = ChurnPrediction(
        customer_id="a",
        probability=0.9,
        risk_level="high",
        drivers=[driver("tenure", 1.2), driver("PaymentMethod", 0.4), driver("Contract", -0.3)],
        base_logit=0.0,
        model="m",
        explanation_method="exact",
    )
    assert prediction.top_actionable_driver().feature == "PaymentMethod"


def test_the_list_names_the_top_driver_an_offer_can_change(demo_service):
    from data.schema import ACTIONABLE_FEATURES

    table = at_risk_table(demo_service, 50)
    assert set(table["top_actionable_driver"]) - {""} <= set(ACTIONABLE_FEATURES)
    assert (table["top_actionable_driver"] != "").any()


def test_driver_labels_show_the_customers_value_with_its_unit():
    from agents.present import phrases
    from tools.schemas import Driver

    monthly = Driver(feature="MonthlyCharges", label="", value=102.24, contribution=0.3)
    tenure = Driver(feature="tenure", label="", value=27, contribution=-0.5)
    assert phrases.driver_label(monthly, "en") == "monthly charges = $102.24"
    assert phrases.driver_label(tenure, "zh-TW").endswith("27 個月（2 年 3 個月）")
