"""The campaign loop through the API, with the app's and the CLI's rules: a draft from the
batch run, approval item by item through the graph (an edit checked like a draft, a decided
item refused), an export after the contact policy, outcomes in, results out, closed."""

from __future__ import annotations

import csv
import io
import json
import uuid

import pytest
from fastapi.testclient import TestClient

from crm_agents.api.context import ApiContext
from crm_agents.api.server import create_api
from crm_agents.batch.run import run_batch
from crm_agents.store.api_keys import SCOPES, create_key
from crm_agents.store.database import open_store
from crm_agents.store.outbox import deliveries, subscribe, unsubscribe


@pytest.fixture(scope="module")
def loop(demo, tmp_path_factory):
    """An API over a results database holding one batch run of 60 analyses, and a key of
    each scope."""
    root = tmp_path_factory.mktemp("api-campaigns")
    url = f"sqlite:///{root / 'crm.db'}"
    run_batch(demo.analyzer, url, min_risk="medium", limit=60, workers=1)
    store = open_store(url)
    settings = demo.settings.model_copy(update={"state_dir": root, "contact_cap": 50})
    api = TestClient(create_api(settings, ApiContext(demo, store, api_settings=settings)))
    keys = {s: {"Authorization": f"Bearer {create_key(store, s, (s,), 'test')}"} for s in SCOPES}
    api.store = store  # the tests look into the outbox
    return api, keys


def _campaign(api, keys, **choices) -> dict:
    spec = {
        "name": f"Spring {uuid.uuid4().hex[:8]}",
        "starts_on": "2027-03-01",
        "ends_on": "2027-03-31",
        "owner": "ana",
        "holdout_share": 0.2,
        "channels": ["email", "sms"],
    } | choices
    made = api.post("/api/v1/campaigns", json=spec, headers=keys["approve"])
    assert made.status_code == 201, made.text
    return made.json()


def _submitted(api, keys) -> tuple[int, list[str]]:
    campaign = _campaign(api, keys)
    cid = campaign["id"]
    assert (
        api.post(f"/api/v1/campaigns/{cid}/submit", headers=keys["approve"]).json()["status"]
        == "approval"
    )
    items = api.get(f"/api/v1/campaigns/{cid}/approvals", headers=keys["read"]).json()
    return cid, [i["customer_id"] for i in items]


def test_a_campaign_is_made_from_the_batch_run_with_its_arms(loop):
    api, keys = loop
    campaign = _campaign(api, keys)
    assert campaign["status"] == "draft" and campaign["run_id"] == 1
    assert campaign["treated"] > 0 and campaign["control"] > 0
    listed = api.get("/api/v1/campaigns", headers=keys["read"]).json()
    assert campaign["id"] in [c["id"] for c in listed]


def test_an_item_shows_its_draft_and_accepting_it_records_who(loop):
    api, keys = loop
    cid, customers = _submitted(api, keys)
    item = api.get(f"/api/v1/campaigns/{cid}/approvals/{customers[0]}", headers=keys["read"])
    assert item.json()["status"] == "pending" and item.json()["draft"]["sms"]
    decided = api.post(
        f"/api/v1/campaigns/{cid}/approvals/{customers[0]}",
        json={"type": "accept"},
        headers=keys["approve"],
    ).json()
    assert decided["status"] == "decided"
    assert decided["approval"]["decision"] == "accept"
    assert decided["approval"]["by"] == "api:approve"


def test_an_edit_the_checks_refuse_is_a_422_and_the_item_stays_pending(loop):
    api, keys = loop
    cid, customers = _submitted(api, keys)
    refused = api.post(
        f"/api/v1/campaigns/{cid}/approvals/{customers[0]}",
        json={"type": "edit", "edit": {"sms": "Call us! " * 40}},
        headers=keys["approve"],
    )
    assert refused.status_code == 422
    assert refused.json()["errors"]
    item = api.get(f"/api/v1/campaigns/{cid}/approvals/{customers[0]}", headers=keys["read"])
    assert item.json()["status"] == "pending" and item.json()["problems"]


def test_a_decided_item_is_refused_unless_the_same_request_is_retried(loop):
    api, keys = loop
    cid, customers = _submitted(api, keys)
    path = f"/api/v1/campaigns/{cid}/approvals/{customers[0]}"
    retry = keys["approve"] | {"Idempotency-Key": f"decide-{cid}"}
    first = api.post(path, json={"type": "ignore"}, headers=retry)
    again = api.post(path, json={"type": "ignore"}, headers=retry)
    assert again.status_code == first.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    other = api.post(path, json={"type": "accept"}, headers=keys["approve"])
    assert other.status_code == 409 and "api:approve" in other.json()["detail"]


def test_the_loop_from_approval_to_results(loop):
    api, keys = loop
    events = ["campaign.approved", "campaign.exported", "outcomes.imported"]
    hook = subscribe(api.store, "https://automation.example.com/hooks", events, "test")
    cid, customers = _submitted(api, keys)
    early = api.post(f"/api/v1/campaigns/{cid}/exports", json={}, headers=keys["approve"])
    assert early.status_code == 409  # items still wait for a decision
    done = api.post(f"/api/v1/campaigns/{cid}/accept-all", headers=keys["approve"]).json()
    assert sorted(done["accepted"]) == sorted(customers) and done["left"] == {}
    campaign = api.get(f"/api/v1/campaigns/{cid}", headers=keys["read"]).json()
    assert campaign["status"] == "ready" and campaign["approvals"] == {"accept": len(customers)}
    exported = api.post(
        f"/api/v1/campaigns/{cid}/exports",
        json={"send_at": "10:00", "suppression": [{"customer_id": customers[0]}]},
        headers=keys["approve"],
    ).json()
    assert exported["contacts"]["email"] == len(customers) - 1
    assert {"reason": "suppressed", "channel": "email", "customers": 1} in exported["excluded"]
    email = api.get(exported["files"]["email.csv"], headers=keys["read"])
    rows = list(csv.DictReader(io.StringIO(email.text)))
    assert {r["customer_id"] for r in rows} == set(customers[1:])
    listed = api.get(f"/api/v1/campaigns/{cid}/members", headers=keys["read"]).json()
    members = [m["customer_id"] for m in listed]
    assert {m["customer_id"] for m in listed if m["arm"] == "treated"} == set(customers)
    outcomes = [
        {"customer_id": c, "outcome": "retained" if i % 3 else "churned", "date": "2027-04-15"}
        for i, c in enumerate(members)
    ]
    imported = api.post(
        f"/api/v1/campaigns/{cid}/outcomes", json={"outcomes": outcomes}, headers=keys["approve"]
    ).json()
    assert imported == {"campaign_id": cid, "stored": len(members), "status": "measuring"}
    results = api.get(f"/api/v1/campaigns/{cid}/results", headers=keys["read"]).json()
    assert results["with_outcome"] == len(members)
    assert results["overall"]["effect"] is not None  # treated against held-out controls
    closed = api.post(f"/api/v1/campaigns/{cid}/close", headers=keys["approve"]).json()
    assert closed["status"] == "closed"
    announced = {d.event: json.loads(d.payload)["data"] for d in deliveries(api.store, hook.id)}
    assert set(announced) == set(events)  # each stage announced once, in the outbox
    assert announced["campaign.approved"]["decisions"] == {"accept": len(customers)}
    assert announced["campaign.exported"]["contacts"] == exported["contacts"]
    assert announced["outcomes.imported"]["campaign_id"] == cid
    unsubscribe(api.store, hook.id)


def test_outcomes_for_strangers_are_refused_naming_the_rows(loop):
    api, keys = loop
    cid, _ = _submitted(api, keys)
    answer = api.post(
        f"/api/v1/campaigns/{cid}/outcomes",
        json={
            "outcomes": [{"customer_id": "0000-NOONE", "outcome": "churned", "date": "2027-04-01"}]
        },
        headers=keys["approve"],
    )
    assert answer.status_code == 422 and answer.json()["errors"]
