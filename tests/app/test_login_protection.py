"""With a login configured, nothing about customers reaches a client before login: not the
page, its config, the API info, any file route, nor an error message."""

from __future__ import annotations

import re

import httpx
import pytest
from app_server import app_settings, start
from gradio_client import Client
from pydantic import SecretStr

from tools.portfolio.overview import risk_value_matrix

pytestmark = pytest.mark.slow

USER, PASSWORD = "manager", "s3cret-pass"


@pytest.fixture(scope="module")
def protected_app(tmp_path_factory):
    settings = app_settings(tmp_path_factory.mktemp("auth-app")).model_copy(
        update={"app_auth": SecretStr(f"{USER}:{PASSWORD}")}
    )
    demo, url = start(settings)
    yield settings, demo, url
    demo.close()


def _secrets_of_the_data(settings, demo) -> list[str]:
    """Every customer ID, and figures only the data could produce."""
    from crm_agents.composition import build_service

    service = build_service(settings)  # the data and model the app serves
    data, card = service.data, service.card
    matrix = risk_value_matrix(service)
    figures = [f"{len(data.customers):,}", f"{card.metrics.roc_auc:.3f}"]
    figures += [f"{v:,.2f}" for v in matrix["monthly_revenue"] if v > 0]
    figures += [str(v) for v in matrix["monthly_revenue"] if v > 0]
    return [str(i) for i in data.customers.index] + figures


def _routes(demo) -> list[str]:
    """Every route of the server: the API's, and the app's mounted on it."""
    paths = set()
    pending = list(demo.server.routes)
    while pending:
        route = pending.pop()
        pending += getattr(getattr(route, "app", None), "routes", [])
        path = getattr(route, "path", "")
        if path:
            paths.add(re.sub(r"\{[^}]+\}", "x", path))
    return sorted(paths)


def test_no_route_serves_customer_data_before_login(protected_app):
    settings, demo, url = protected_app
    secrets = _secrets_of_the_data(settings, demo)
    extra = [
        "/gradio_api/info",
        "/gradio_api/openapi.json",
        "/gradio_api/file=" + str(settings.downloads_dir),
        "/gradio_api/queue/status",
        "/gradio_api/call/analyze",
        "/gradio_api/upload",
    ]
    with httpx.Client(base_url=url.rstrip("/"), follow_redirects=False, timeout=30) as client:
        for path in [*_routes(demo), *extra]:
            for method in ("GET", "POST"):
                response = client.request(method, path, json={"data": ["x", "en"]})
                body = response.text
                leaked = [s for s in secrets if s in body]
                assert not leaked, f"{method} {path} leaks {leaked[:3]}"
                if path.startswith(("/gradio_api", "/config", "/monitoring")) and not (
                    path.startswith("/gradio_api/startup-events")
                ):
                    assert response.status_code in (401, 403, 302, 303, 307, 404, 405), (
                        f"{method} {path} answered {response.status_code} without login"
                    )


def test_the_api_refuses_an_anonymous_client(protected_app):
    _, _, url = protected_app
    with pytest.raises(Exception):  # noqa: B017 - gradio_client raises its own error types
        Client(url, verbose=False).predict("high", api_name="/random_customer")


def test_after_login_the_session_gets_the_data(protected_app):
    _, _, url = protected_app
    client = Client(url, auth=(USER, PASSWORD), verbose=False)
    header, _, _, _, matrix, *_ = client.predict(api_name="/session_start")
    assert "synthetic demo data" in header and "1,500 customers" in header
    assert len(matrix["data"]) == 3  # one row per risk level
    assert client.predict("high", api_name="/random_customer")


def test_repeated_wrong_logins_lock_the_name_out(protected_app):
    import httpx

    from ui.login_guard import ATTEMPTS

    _, demo, url = protected_app
    for attempt in range(ATTEMPTS + 3):  # a name of its own: the other tests keep theirs
        answer = httpx.post(f"{url}login", data={"username": "intruder", "password": f"g{attempt}"})
        assert answer.status_code >= 400
    assert demo.auth.locked_for("intruder") > 0
    assert demo.auth.locked_for(USER) == 0


@pytest.fixture(scope="module")
def throttled_app(tmp_path_factory):
    settings = app_settings(tmp_path_factory.mktemp("throttled-app")).model_copy(
        update={"app_auth": SecretStr(f"{USER}:{PASSWORD}"), "login_rate_per_address": 3}
    )
    demo, url = start(settings)
    yield url
    demo.close()


def test_login_attempts_beyond_the_address_rate_get_429_with_retry_after(throttled_app):
    """The server in front of the app limits login requests per address, whatever the name
    (a guess at many names is not slowed by the per-name lockout)."""
    answers = [
        httpx.post(f"{throttled_app}login", data={"username": f"u{i}", "password": "x"})
        for i in range(4)
    ]
    assert [a.status_code for a in answers[:3]] == [400, 400, 400]
    assert answers[3].status_code == 429
    assert int(answers[3].headers["retry-after"]) >= 1
