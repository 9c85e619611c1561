"""`/api/v1/runs`: each batch run with whether its base moved from the model's training data,
and a run's drift measure by measure; `/api/v1/customers/{id}/risk/history`: a customer's runs
and why the risk changed — in the caller's language."""

from __future__ import annotations

import shutil

import pandas as pd
from fastapi.testclient import TestClient

from crm_agents.api.context import ApiContext
from crm_agents.api.server import create_api
from crm_agents.batch.run import run_batch
from crm_agents.composition import assemble
from crm_agents.retraining import registry_of
from crm_agents.store.database import start_run
from crm_agents.store.health import StoredRiskHistory, record_alerts, record_drift
from models.health.drift import DriftReport
from tools.service.retention import RetentionService


def _one_run(demo, store) -> int:
    return run_batch(demo.analyzer, str(store.url), min_risk="high", limit=1, workers=1).run_id


def test_runs_list_each_run_with_its_drift_flag(api, keys, demo, store):
    run = _one_run(demo, store)
    answer = api.get("/api/v1/runs", headers=keys["read"])
    assert answer.status_code == 200
    (shown,) = answer.json()
    assert shown["id"] == run and shown["drift_shifted"] is False
    assert shown["summary"].startswith("Drift: nothing moved")


def test_a_runs_drift_has_every_measure_most_moved_first(api, keys, demo, store):
    run = _one_run(demo, store)
    answer = api.get(f"/api/v1/runs/{run}/drift", headers=keys["read"]).json()
    names = [m["name"] for m in answer["measures"]]
    assert {"tenure", "churn_probability", "expected_churn_rate", "risk_level"} <= set(names)
    assert answer["rows"] == len(demo.service.customers)
    excess = [abs(m["value"]) - m["threshold"] - m["noise"] for m in answer["measures"]]
    relative = [e / m["threshold"] for e, m in zip(excess, answer["measures"], strict=True)]
    assert relative == sorted(relative, reverse=True)


def test_a_shifted_run_is_flagged_with_its_measures(api, keys, demo, store):
    run = _one_run(demo, store)
    measured = DriftReport.model_validate(
        api.get(f"/api/v1/runs/{run}/drift", headers=keys["read"]).json() | {"reference_rows": 1}
    )
    moved = measured.measures[0].model_copy(update={"value": 9.0, "shifted": True})
    record_drift(store, run, measured.model_copy(update={"measures": [moved]}))
    answer = api.get("/api/v1/runs", headers=keys["read"]).json()[0]
    assert answer["drift_shifted"] is True
    assert answer["shifted_measures"] == [moved.name]


def test_the_summary_speaks_the_callers_language(api, keys, demo, store):
    run = _one_run(demo, store)
    headers = keys["read"] | {"Accept-Language": "zh-TW"}
    answer = api.get(f"/api/v1/runs/{run}/drift", headers=headers).json()
    assert answer["summary"].startswith("資料漂移")


def test_an_unknown_run_is_a_problem_404(api, keys):
    answer = api.get("/api/v1/runs/4242/drift", headers=keys["read"])
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "4242" in answer.json()["detail"]


def test_runs_need_a_key(api):
    assert api.get("/api/v1/runs").status_code == 401


def _with_history(demo, store):
    """The API over the demo data whose service reads its history from `store`."""
    s = demo.service
    service = RetentionService(
        s.data,
        s.model,
        s.card,
        s.settings,
        survival=s.survival,
        history=StoredRiskHistory(lambda: store),
    )
    assembly = assemble(s.settings, service=service)
    return TestClient(create_api(s.settings, ApiContext(assembly, store))), assembly


def test_a_customers_risk_history_lists_each_run_with_the_reading(demo, store, keys):
    client, assembly = _with_history(demo, store)
    for _ in range(2):
        run_batch(assembly.analyzer, str(store.url), min_risk="high", limit=1, workers=1)
    customer = demo.service.customers.index[0]
    answer = client.get(f"/api/v1/customers/{customer}/risk/history", headers=keys["read"])
    assert answer.status_code == 200
    shown = answer.json()
    assert [p["run_id"] for p in shown["points"]] == [1, 2]
    assert shown["moved"] is False and shown["change"] is None
    assert shown["summary"][0].startswith("Churn probability by run: run 1")
    zh = client.get(
        f"/api/v1/customers/{customer}/risk/history",
        headers=keys["read"] | {"Accept-Language": "zh-TW"},
    ).json()
    assert zh["summary"][0].startswith("各次執行的流失機率")


def test_a_customer_never_scored_in_a_run_has_an_empty_history(api, keys, demo):
    customer = demo.service.customers.index[0]
    shown = api.get(f"/api/v1/customers/{customer}/risk/history", headers=keys["read"]).json()
    assert shown["points"] == [] and "No batch run holds" in shown["summary"][0]


def test_an_unknown_customers_history_is_a_problem_404(api, keys):
    answer = api.get("/api/v1/customers/0000-NOONE/risk/history", headers=keys["read"])
    assert answer.status_code == 404


def _alert(store) -> tuple[int, str]:
    run = start_run(
        store,
        data_origin="test",
        model_version="m",
        backend="offline",
        language="en",
        min_risk="high",
    )
    alert = pd.DataFrame(
        [
            {
                "customer_id": "7590-VHVEG",
                "kind": "entered_high",
                "probability_before": 0.6,
                "probability_after": 0.75,
                "risk_level_before": "medium",
                "risk_level_after": "high",
                "value_tier": "high",
                "owner": "key accounts",
            }
        ]
    )
    record_alerts(store, run, alert)
    return run, "7590-VHVEG"


def test_open_alerts_are_listed_by_owner(api, keys, store):
    run, customer = _alert(store)
    listed = api.get("/api/v1/alerts", headers=keys["read"]).json()
    assert [(a["run_id"], a["customer_id"]) for a in listed] == [(run, customer)]
    assert api.get("/api/v1/alerts?owner=nobody", headers=keys["read"]).json() == []


def test_closing_an_alert_needs_the_approve_scope_and_happens_once(api, keys, store):
    run, customer = _alert(store)
    path = f"/api/v1/alerts/{run}/{customer}/close"
    assert api.post(path, headers=keys["read"]).status_code == 403
    assert api.post(path, headers=keys["approve"]).status_code == 204
    assert api.get("/api/v1/alerts", headers=keys["read"]).json() == []
    again = api.post(path, headers=keys["approve"])
    assert again.status_code == 404 and customer in again.json()["detail"]


def test_accuracy_by_month_holds_the_estimate_of_each_run(api, keys, demo, store):
    run = _one_run(demo, store)
    shown = api.get("/api/v1/accuracy", headers=keys["read"]).json()
    assert shown["card_roc_auc"] == demo.service.card.metrics.roc_auc
    (month,) = shown["months"]
    assert month["run_id"] == run and 0.5 < month["estimated_roc_auc"] < 1
    assert month["realised"] is None  # the run's own file's outcomes do not judge it


def test_the_model_versions_are_listed_with_the_live_one(make_api, keys, demo, tmp_path):
    folder = tmp_path / "artifacts"
    shutil.copytree(demo.settings.artifacts_dir, folder)
    api = make_api(artifacts_dir=folder)
    assert api.get("/api/v1/models", headers=keys["read"]).json() == []  # none kept yet
    registry_of(demo.settings.model_copy(update={"artifacts_dir": folder}))
    (live,) = api.get("/api/v1/models", headers=keys["read"]).json()
    assert live["id"] == "v0001" and live["status"] == "champion"
    assert live["model_sha256"] == demo.service.card.artifact_sha256
