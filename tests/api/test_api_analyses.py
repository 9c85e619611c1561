"""`/api/v1/analyses`: the graph's analysis at once or as a job, its node updates as events,
and a retried POST that never runs a second analysis."""

from __future__ import annotations

import json
import time

from sqlalchemy import func, select

from crm_agents.store.api_tables import analysis_jobs


def _high_risk(demo) -> str:
    return demo.service.scores()["customerID"].iloc[0]


def _jobs(store) -> int:
    with store.connect() as connection:
        return connection.execute(select(func.count()).select_from(analysis_jobs)).scalar()


def test_an_analysis_answers_with_the_graphs_result(api, keys, demo):
    customer = _high_risk(demo)
    answer = api.post(
        "/api/v1/analyses",
        json={"customer_id": customer, "language": "zh-TW"},
        headers=keys["analyse"],
    )
    assert answer.status_code == 201
    job = answer.json()
    assert answer.headers["location"] == f"/api/v1/analyses/{job['id']}"
    assert job["status"] == "completed"
    expected = demo.analyzer.run(customer, language="zh-TW")
    result = job["result"]
    assert result["risk"]["probability"] == expected.risk.probability
    assert result["campaign"]["offer"]["offer_id"] == expected.campaign.offer.offer_id
    assert result["communications"]["sms"] == expected.communications.sms.model_dump()
    assert result["approval"] is None  # drafts: a person approves them in a campaign


def test_a_retry_with_the_same_idempotency_key_runs_no_second_analysis(api, keys, demo, store):
    asked = {"customer_id": _high_risk(demo)}
    headers = keys["analyse"] | {"Idempotency-Key": "order-42"}
    first = api.post("/api/v1/analyses", json=asked, headers=headers)
    again = api.post("/api/v1/analyses", json=asked, headers=headers)
    assert again.status_code == first.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert _jobs(store) == 1


def test_the_same_idempotency_key_for_another_request_is_refused(api, keys, demo, store):
    headers = keys["analyse"] | {"Idempotency-Key": "order-43"}
    api.post("/api/v1/analyses", json={"customer_id": _high_risk(demo)}, headers=headers)
    other = {"customer_id": demo.service.example_id(), "language": "zh-TW"}
    refused = api.post("/api/v1/analyses", json=other, headers=headers)
    assert refused.status_code == 422 and "Idempotency-Key" in refused.json()["detail"]
    assert _jobs(store) == 1


def test_a_failed_request_leaves_its_idempotency_key_free(api, keys):
    headers = keys["analyse"] | {"Idempotency-Key": "order-44"}
    asked = {"customer_id": "0000-NOONE"}
    assert api.post("/api/v1/analyses", json=asked, headers=headers).status_code == 404
    assert api.post("/api/v1/analyses", json=asked, headers=headers).status_code == 404


def test_asked_to_answer_later_it_queues_a_job_that_completes(api, keys, demo):
    for ask in ({"params": {"async": "true"}}, {"headers": {"Prefer": "respond-async"}}):
        headers = keys["analyse"] | ask.get("headers", {})
        answer = api.post(
            "/api/v1/analyses",
            json={"customer_id": _high_risk(demo)},
            params=ask.get("params"),
            headers=headers,
        )
        assert answer.status_code == 202
        location = answer.headers["location"]
        deadline = time.monotonic() + 60
        while (job := api.get(location, headers=keys["read"]).json())["status"] != "completed":
            assert job["status"] in ("queued", "running") and time.monotonic() < deadline
            time.sleep(0.05)
        assert job["result"]["customer_id"] == _high_risk(demo)


def test_the_event_stream_gives_each_node_then_the_completed_job(api, keys, demo):
    answer = api.post(
        "/api/v1/analyses?async=true",
        json={"customer_id": _high_risk(demo)},
        headers=keys["analyse"],
    )
    events, data = [], []
    with api.stream("GET", f"{answer.headers['location']}/events", headers=keys["read"]) as stream:
        for line in stream.iter_lines():
            if line.startswith("event: "):
                events.append(line.removeprefix("event: "))
            elif line.startswith("data: "):
                data.append(json.loads(line.removeprefix("data: ")))
    assert events[-1] == "completed"
    nodes = [d["node"] for d, e in zip(data, events, strict=True) if e == "node"]
    assert nodes == ["analyst", "reasoning", "campaign", "communication"]
    assert data[-1]["result"]["customer_id"] == _high_risk(demo)


def test_an_unknown_job_is_a_404_problem(api, keys):
    answer = api.get("/api/v1/analyses/00000000-0000-0000-0000-000000000000", headers=keys["read"])
    assert answer.status_code == 404


def test_metrics_count_requests_by_route_and_the_analyses(api, keys, demo):
    api.post("/api/v1/analyses", json={"customer_id": _high_risk(demo)}, headers=keys["analyse"])
    text = api.get("/metrics", headers=keys["read"]).text
    assert 'crm_analyses_total{outcome="completed"} 1.0' in text
    assert 'route="/api/v1/analyses",status="201"' in text


def test_ready_says_the_model_the_database_and_the_llm(api, keys, demo):
    ready = api.get("/ready", headers=keys["read"]).json()
    assert ready == {
        "ready": True,
        "model": demo.service.card.model,
        "time_to_churn_model": True,
        "database": "reachable",
        "llm": "offline",
    }
