"""Every door has the same guards: nothing but /health without a key, scopes, revocation,
limits per key and per address (the app's login too), a lockout for wrong keys, errors as
problem details, a body limit, CORS only when configured."""

from __future__ import annotations

import re

import pytest

from crm_agents.store.api_keys import revoke_key

#: Each operation and the scope it needs.
NEEDS = {
    ("GET", "/api/v1/customers"): "read",
    ("GET", "/api/v1/customers/{customer_id}"): "read",
    ("GET", "/api/v1/customers/{customer_id}/risk"): "read",
    ("POST", "/api/v1/analyses"): "analyse",
    ("GET", "/api/v1/analyses/{job_id}"): "read",
    ("GET", "/api/v1/analyses/{job_id}/events"): "read",
    ("GET", "/api/v1/campaigns"): "read",
    ("POST", "/api/v1/campaigns"): "approve",
    ("GET", "/api/v1/campaigns/{campaign_id}"): "read",
    ("GET", "/api/v1/campaigns/{campaign_id}/members"): "read",
    ("POST", "/api/v1/campaigns/{campaign_id}/submit"): "approve",
    ("GET", "/api/v1/campaigns/{campaign_id}/approvals"): "read",
    ("GET", "/api/v1/campaigns/{campaign_id}/approvals/{customer_id}"): "read",
    ("POST", "/api/v1/campaigns/{campaign_id}/approvals/{customer_id}"): "approve",
    ("POST", "/api/v1/campaigns/{campaign_id}/accept-all"): "approve",
    ("POST", "/api/v1/campaigns/{campaign_id}/exports"): "approve",
    ("GET", "/api/v1/campaigns/{campaign_id}/files/{name}"): "read",
    ("POST", "/api/v1/campaigns/{campaign_id}/outcomes"): "approve",
    ("GET", "/api/v1/campaigns/{campaign_id}/results"): "read",
    ("POST", "/api/v1/campaigns/{campaign_id}/close"): "approve",
    ("GET", "/api/v1/webhooks"): "admin",
    ("POST", "/api/v1/webhooks"): "admin",
    ("DELETE", "/api/v1/webhooks/{subscription_id}"): "admin",
    ("GET", "/api/v1/webhooks/{subscription_id}/deliveries"): "admin",
    ("POST", "/api/v1/webhooks/deliveries/{delivery_id}/replay"): "admin",
    ("GET", "/api/v1/customers/{customer_id}/risk/history"): "read",
    ("GET", "/api/v1/runs"): "read",
    ("GET", "/api/v1/runs/{run_id}/drift"): "read",
    ("GET", "/api/v1/alerts"): "read",
    ("POST", "/api/v1/alerts/{run_id}/{customer_id}/close"): "approve",
    ("GET", "/api/v1/accuracy"): "read",
    ("GET", "/api/v1/models"): "read",
    ("GET", "/ready"): "read",
    ("GET", "/metrics"): "read",
}
JOB = "00000000-0000-0000-0000-000000000000"


def _operations(api) -> list[tuple[str, str]]:
    document = api.get("/api/v1/openapi.json").json()
    return [
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
        if path != "/health"
    ]


def _call(api, method: str, path: str, customer: str, headers=None):
    concrete = path.replace("{customer_id}", customer).replace("{job_id}", JOB)
    concrete = concrete.replace("{campaign_id}", "1").replace("{name}", "email.csv")
    concrete = concrete.replace("{subscription_id}", "0" * 16)
    concrete = concrete.replace("{delivery_id}", "msg_" + "0" * 32)
    body = {"customer_id": customer} if method == "POST" else None
    if path.endswith("/webhooks"):
        body = {"url": "http://127.0.0.1:9/hook", "events": ["campaign.approved"]}
    return api.request(method, concrete, json=body, headers=headers or {})


def test_health_answers_without_a_key(api):
    assert api.get("/health").json() == {"status": "ok"}


def test_the_scope_table_covers_every_operation(api):
    assert set(_operations(api)) == set(NEEDS)


def test_every_operation_but_health_answers_401_without_a_key(api, demo):
    customer = demo.service.example_id()
    for method, path in _operations(api):
        answer = _call(api, method, path, customer)
        assert answer.status_code == 401, (method, path)
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.headers["www-authenticate"].startswith("Bearer")


def test_every_operation_answers_403_to_a_key_without_its_scope(api, keys, demo):
    customer = demo.service.example_id()
    for (method, path), scope in NEEDS.items():
        wrong = (
            "analyse" if scope == "admin" else next(s for s in ("approve", "read") if s != scope)
        )
        answer = _call(api, method, path, customer, keys[wrong])
        assert answer.status_code == 403, (method, path)
        assert scope in answer.json()["detail"]


def test_an_admin_key_may_do_what_every_scope_may(api, keys, demo):
    customer = demo.service.example_id()
    answer = api.get(f"/api/v1/customers/{customer}/risk", headers=keys["admin"])
    assert answer.status_code == 200


def test_a_revoked_key_is_refused_from_the_next_request(api, keys, store):
    assert api.get("/api/v1/customers?limit=1", headers=keys["read"]).status_code == 200
    key_id = keys["read"]["Authorization"].split("_")[1]
    revoke_key(store, key_id)
    assert api.get("/api/v1/customers?limit=1", headers=keys["read"]).status_code == 401


def test_a_key_with_a_wrong_secret_is_refused(api, keys):
    token = keys["read"]["Authorization"]
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    answer = api.get("/api/v1/customers", headers={"Authorization": forged})
    assert answer.status_code == 401


def test_an_address_sending_wrong_keys_is_locked_out_with_retry_after(make_api, keys):
    api = make_api(api_wrong_keys=4)
    wrong = {"Authorization": "Bearer crm_000000000000_" + "x" * 43}
    for _ in range(4):
        assert api.get("/api/v1/customers", headers=wrong).status_code == 401
    locked = api.get("/api/v1/customers", headers=keys["read"])
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) >= 1


def test_a_key_over_its_rate_gets_429_with_retry_after(make_api, keys):
    api = make_api(api_rate_per_key=3)
    answers = [api.get("/api/v1/customers?limit=1", headers=keys["read"]) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert int(answers[-1].headers["retry-after"]) >= 1
    # Another key is not slowed by the first one's rate.
    assert api.get("/api/v1/customers?limit=1", headers=keys["admin"]).status_code == 200


def test_an_address_over_its_rate_gets_429_keyed_or_not(make_api, keys):
    api = make_api(api_rate_per_address=3)
    codes = [
        api.get("/api/v1/customers?limit=1", headers=keys["read"]).status_code for _ in range(3)
    ]
    assert codes == [200, 200, 200]
    refused = api.get("/api/v1/customers?limit=1", headers=keys["admin"])
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert api.get("/health").status_code == 200  # liveness is never limited


def test_login_attempts_from_one_address_are_limited_by_the_same_limiter(make_api):
    api = make_api(login_rate_per_address=2)
    codes = [
        api.post("/login", data={"username": "a", "password": "b"}).status_code for _ in range(3)
    ]
    assert codes[-1] == 429 and all(c != 429 for c in codes[:2])


def test_an_unknown_customer_is_a_404_problem_in_the_callers_language(api, keys):
    headers = keys["read"] | {"Accept-Language": "zh-TW,zh;q=0.9,en;q=0.5"}
    answer = api.get("/api/v1/customers/0000-NOONE/risk", headers=headers)
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == 404 and problem["instance"] == "/api/v1/customers/0000-NOONE/risk"
    assert re.search(r"[\u4e00-\u9fff]", problem["title"] + problem["detail"])


def test_a_refused_parameter_is_a_422_problem_naming_it_without_echoing_it(api, keys):
    answer = api.get(
        "/api/v1/customers?limit=100000&sort=secret-looking-value", headers=keys["read"]
    )
    assert answer.status_code == 422
    problem = answer.json()
    assert {tuple(e["location"]) for e in problem["errors"]} >= {
        ("query", "limit"),
        ("query", "sort"),
    }
    assert "secret-looking-value" not in answer.text


def test_a_body_over_the_limit_is_refused_with_413(make_api, keys):
    api = make_api(api_max_body_bytes=1_000)
    body = '{"customer_id": "' + "x" * 5_000 + '"}'
    answer = api.post(
        "/api/v1/analyses",
        content=body,
        headers=keys["analyse"] | {"Content-Type": "application/json"},
    )
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("origins", [[], ["https://crm.example.com"]])
def test_cors_answers_only_the_origins_configured(make_api, keys, origins):
    api = make_api(api_cors_origins=origins)
    answer = api.get(
        "/api/v1/customers?limit=1",
        headers=keys["read"] | {"Origin": "https://crm.example.com"},
    )
    allowed = answer.headers.get("access-control-allow-origin")
    assert allowed == ("https://crm.example.com" if origins else None)
    other = api.get(
        "/api/v1/customers?limit=1", headers=keys["read"] | {"Origin": "https://evil.example"}
    )
    assert other.headers.get("access-control-allow-origin") is None


def test_a_key_never_appears_in_an_answer_or_in_the_database(api, keys, store, tmp_path):
    token = keys["read"]["Authorization"].removeprefix("Bearer ")
    secret = token.split("_", 2)[2]
    answers = [
        api.get("/api/v1/customers?limit=1", headers=keys["read"]).text,
        api.get("/api/v1/customers", headers={"Authorization": f"Bearer {token}x"}).text,
        api.get("/metrics", headers=keys["read"]).text,
    ]
    assert not any(secret in text for text in answers)
    assert secret.encode() not in (tmp_path / "crm.db").read_bytes()
