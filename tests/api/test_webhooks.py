"""Webhooks: signed per Standard Webhooks, sent from the outbox without holding up the request
that caused them, retried with backoff, recorded, replayable; off without a signing key."""

from __future__ import annotations

import json
import time

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from webhook_receiver import Receiver

from crm_agents.api.context import ApiContext
from crm_agents.api.server import create_api
from crm_agents.webhooks import sign, verify

SIGNING_KEY = "7f3a9c0e5b1d4f2a8c6e0b9d3f1a5c7e"


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.close()


@pytest.fixture
def hooked(demo, store):
    """A running API (its dispatcher too) with webhooks on and quick retries."""
    settings = demo.settings.model_copy(
        update={
            "webhook_signing_key": SecretStr(SIGNING_KEY),
            "webhook_backoff": [0.2, 0.2],
            "webhook_timeout": 5.0,
        }
    )
    with TestClient(create_api(settings, ApiContext(demo, store, api_settings=settings))) as api:
        yield api


def _subscribe(api, keys, url: str, events=("analysis.completed",)) -> dict:
    made = api.post(
        "/api/v1/webhooks", json={"url": url, "events": list(events)}, headers=keys["admin"]
    )
    assert made.status_code == 201, made.text
    return made.json()


def _analyse(api, keys, demo) -> dict:
    customer = demo.service.scores()["customerID"].iloc[0]
    return api.post(
        "/api/v1/analyses", json={"customer_id": customer}, headers=keys["analyse"]
    ).json()


def _deliveries(api, keys, subscription: dict, until: str, timeout: float = 30) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        found = api.get(
            f"/api/v1/webhooks/{subscription['id']}/deliveries", headers=keys["admin"]
        ).json()
        if found and found[0]["status"] == until:
            return found
        assert time.monotonic() < deadline, found
        time.sleep(0.05)


def test_a_completed_analysis_is_delivered_signed_to_its_subscriber(hooked, keys, demo, receiver):
    subscription = _subscribe(hooked, keys, receiver.url)
    assert subscription["secret"].startswith("whsec_")
    job = _analyse(hooked, keys, demo)
    arrived = receiver.wait_for(1)[0]
    assert verify(subscription["secret"], arrived.headers, arrived.body)
    payload = json.loads(arrived.body)
    assert payload["type"] == "analysis.completed"
    assert payload["data"]["job_id"] == job["id"]
    assert arrived.headers["webhook-id"].startswith("msg_")
    assert _deliveries(hooked, keys, subscription, "delivered")[0]["attempts"] == 1


def test_a_slow_receiver_never_holds_up_the_request_that_caused_the_delivery(
    hooked, keys, demo, receiver
):
    receiver.release.clear()  # the receiver holds its answer until released
    subscription = _subscribe(hooked, keys, receiver.url)
    job = _analyse(hooked, keys, demo)  # answered while the receiver still holds
    assert job["status"] == "completed"
    receiver.wait_for(1)
    assert not receiver.release.is_set()
    receiver.release.set()
    _deliveries(hooked, keys, subscription, "delivered")


def test_a_failing_receiver_is_retried_then_the_delivery_fails_and_can_be_replayed(
    hooked, keys, demo, receiver
):
    receiver.status = 500
    subscription = _subscribe(hooked, keys, receiver.url)
    _analyse(hooked, keys, demo)
    failed = _deliveries(hooked, keys, subscription, "failed")[0]
    assert failed["attempts"] == 3 and failed["last_status"] == 500  # first try, two retries
    sent = receiver.wait_for(3)
    assert len({r.headers["webhook-id"] for r in sent}) == 1  # one message, tried three times
    receiver.status = 200
    replayed = hooked.post(
        f"/api/v1/webhooks/deliveries/{failed['id']}/replay", headers=keys["admin"]
    )
    assert replayed.status_code == 202
    delivered = _deliveries(hooked, keys, subscription, "delivered")[0]
    assert delivered["id"] == failed["id"]


def test_an_unsubscribed_address_gets_nothing_more(hooked, keys, demo, receiver):
    subscription = _subscribe(hooked, keys, receiver.url)
    assert (
        hooked.delete(f"/api/v1/webhooks/{subscription['id']}", headers=keys["admin"]).status_code
        == 204
    )
    _analyse(hooked, keys, demo)
    time.sleep(1.0)  # two dispatcher rounds
    assert receiver.received == []
    assert hooked.get("/api/v1/webhooks", headers=keys["admin"]).json() == []


def test_without_a_signing_key_webhooks_are_refused_saying_how_to_turn_them_on(api, keys):
    answer = api.post(
        "/api/v1/webhooks",
        json={"url": "https://crm.example.com/hooks", "events": ["campaign.approved"]},
        headers=keys["admin"],
    )
    assert answer.status_code == 409
    assert "CRM_WEBHOOK_SIGNING_KEY" in answer.json()["detail"]


def test_an_address_that_is_not_http_is_refused(hooked, keys):
    answer = hooked.post(
        "/api/v1/webhooks",
        json={"url": "file:///etc/passwd", "events": ["campaign.approved"]},
        headers=keys["admin"],
    )
    assert answer.status_code == 409 and "http" in answer.json()["detail"]


def test_a_signature_fails_for_a_changed_body_another_secret_or_an_old_timestamp():
    secret = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    now = 1_800_000_000
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(now),
        "webhook-signature": sign(secret, "msg_1", now, '{"a":1}'),
    }
    assert verify(secret, headers, '{"a":1}', now=now)
    assert not verify(secret, headers, '{"a":2}', now=now)
    assert not verify("whsec_" + "A" * 32, headers, '{"a":1}', now=now)
    assert not verify(secret, headers, '{"a":1}', now=now + 3600)


def test_the_signature_is_the_standard_webhooks_one():
    # The Standard Webhooks specification's published example.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = '{"test": 2432232314}'
    expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    assert sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body) == expected
