"""Fixtures of the HTTP API's tests: the API over the demo assembly and a results database of
its own, served in-process (`TestClient`), and keys of each scope."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from crm_agents.api.context import ApiContext
from crm_agents.api.server import create_api
from crm_agents.store.api_keys import SCOPES, create_key
from crm_agents.store.database import open_store


@pytest.fixture
def store(tmp_path):
    return open_store(f"sqlite:///{tmp_path / 'crm.db'}")


@pytest.fixture
def make_api(demo, store) -> Callable[..., TestClient]:
    """A client of an API over the demo assembly; settings changed by keyword (limits)."""

    def make(**changed) -> TestClient:
        settings = demo.settings.model_copy(update=changed)
        context = ApiContext(demo, store, api_settings=settings)
        return TestClient(create_api(settings, context))

    return make


@pytest.fixture
def api(make_api) -> TestClient:
    return make_api()


@pytest.fixture
def keys(store) -> dict[str, dict[str, str]]:
    """Authorization headers of a key per scope ("read", "analyse", "approve", "admin")."""
    return {
        scope: {"Authorization": f"Bearer {create_key(store, scope, (scope,), 'test')}"}
        for scope in SCOPES
    }
