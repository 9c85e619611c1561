"""`/api/v1/customers`: the same figures as the service, and a listing an integrator can walk
page by page without missing or repeating anyone."""

from __future__ import annotations

import pytest

from tools.portfolio.query import query_customers


def test_risk_gives_the_models_figures_for_the_customer(api, keys, demo):
    customer = demo.service.scores()["customerID"].iloc[0]
    answer = api.get(f"/api/v1/customers/{customer}/risk", headers=keys["read"]).json()
    prediction = demo.service.predict(customer)
    assert answer["prediction"]["probability"] == pytest.approx(prediction.probability)
    assert answer["prediction"]["risk_level"] == prediction.risk_level
    assert [d["feature"] for d in answer["prediction"]["drivers"]] == [
        d.feature for d in prediction.drivers
    ]
    assert answer["value"]["tier"] == demo.service.segment(customer).tier
    timing = demo.service.time_to_churn(customer)
    assert answer["time_to_churn"]["churn_within_90d"] == pytest.approx(timing.churn_within_90d)
    assert answer["time_to_churn"]["churn_within_90d_interval"]["low"] <= timing.churn_within_90d


def test_a_customer_id_is_matched_as_the_service_matches_it(api, keys, demo):
    customer = demo.service.example_id()
    answer = api.get(f"/api/v1/customers/{customer.lower()}", headers=keys["read"])
    assert answer.status_code == 200 and answer.json()["customer_id"] == customer


def _walk(api, headers, query: str, limit: int) -> list[dict]:
    seen, cursor = [], None
    while True:
        page = api.get(
            f"/api/v1/customers?{query}&limit={limit}" + (f"&cursor={cursor}" if cursor else ""),
            headers=headers,
        ).json()
        seen += page["customers"]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen


def test_walking_the_pages_gives_every_match_once_largest_first(api, keys, demo):
    query = "risk_level=high,medium&where=Contract:Month-to-month&sort=urgency"
    seen = _walk(api, keys["read"], query, limit=37)
    expected = query_customers(
        demo.service,
        filters=[
            {"column": "risk_level", "values": ["high", "medium"]},
            {"column": "Contract", "values": ["Month-to-month"]},
        ],
    ).matching
    ids = [c["customer_id"] for c in seen]
    assert len(ids) == len(set(ids)) == expected
    urgency = [c["expected_loss_90d"] for c in seen]
    assert urgency == sorted(urgency, reverse=True)


def test_a_number_range_filters_on_the_numbers(api, keys, demo):
    page = api.get(
        "/api/v1/customers?where=tenure:0..6&where=churn_probability:0.5..&limit=500",
        headers=keys["read"],
    ).json()
    customers = demo.service.customers
    for listed in page["customers"]:
        assert listed["probability"] >= 0.5
        assert customers.loc[listed["customer_id"], "tenure"] <= 6
    assert page["filters"] == ["tenure ≥ 0 and ≤ 6", "churn_probability ≥ 0.5"]


def test_a_cursor_is_refused_for_another_query(api, keys):
    first = api.get("/api/v1/customers?limit=5&risk_level=high", headers=keys["read"]).json()
    other = api.get(
        f"/api/v1/customers?limit=5&risk_level=low&cursor={first['next_cursor']}",
        headers=keys["read"],
    )
    assert other.status_code == 422 and "cursor" in other.json()["detail"]


@pytest.mark.parametrize(
    "query",
    ["where=Contract:Weekly", "where=bogus:1", "where=tenure:a..b", "where=nocolon", "cursor=%%%"],
)
def test_a_filter_the_data_cannot_answer_is_a_422_saying_why(api, keys, query):
    answer = api.get(f"/api/v1/customers?{query}", headers=keys["read"])
    assert answer.status_code == 422
    assert answer.json()["detail"]
