"""The API's FastAPI application, and serving it alone (`crm-agents api`).

`create_api` composes: the routes under `/api/v1` (plus `/health`, `/ready`, `/metrics`), the
problem-details errors, the limits and metrics middleware, CORS when configured, and the
webhook dispatcher while the server runs. `python app.py` mounts the Gradio app on the same
server, so one port serves both.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi

from core.settings import Settings
from crm_agents.api import middleware, problems
from crm_agents.api.context import ApiContext
from crm_agents.api.problems import KEY_ANSWERS, PROBLEM, Problem
from crm_agents.api.routes import (
    analyses,
    approvals,
    campaigns,
    customers,
    exports,
    health,
    model_health,
    webhooks,
)
from crm_agents.webhooks import Dispatcher

VERSION = "1.0.0"
OPENAPI_PATH = "/api/v1/openapi.json"


def _lifespan(context: ApiContext | None):
    @asynccontextmanager
    async def running(_app: FastAPI) -> AsyncIterator[None]:
        # The webhook dispatcher sends the outbox while the server runs.
        dispatcher = Dispatcher(context.store, context.settings).start() if context else None
        try:
            yield
        finally:
            if dispatcher is not None:
                dispatcher.stop()

    return running


def create_api(settings: Settings, context: ApiContext | None = None) -> FastAPI:
    """The API over `context` (None: only to write its OpenAPI document, `openapi_document`)."""
    app = FastAPI(
        lifespan=_lifespan(context),
        title="CRM Retention Agents API",
        version=VERSION,
        summary="Churn risk, reasons, offers and messages for CRM and marketing automation.",
        openapi_url=OPENAPI_PATH,
        docs_url="/api/docs",
        redoc_url=None,
        responses={500: {"model": Problem, "description": "Unexpected: the server's log says"}},
    )
    app.state.context = context
    v1 = APIRouter(
        prefix="/api/v1", responses=KEY_ANSWERS, max_body_size=settings.api_max_body_bytes
    )
    v1.include_router(customers.router)
    v1.include_router(analyses.router)
    v1.include_router(campaigns.router)
    v1.include_router(approvals.router)
    v1.include_router(exports.router)
    v1.include_router(webhooks.router)
    v1.include_router(model_health.router)
    app.include_router(v1)
    app.include_router(health.router)
    problems.install(app)
    middleware.install(app, settings.api_cors_origins)
    app.openapi = _openapi(app, settings.customer_id_pattern)  # type: ignore[method-assign]
    return app


def _problems_as_problem_json(document: dict) -> dict:
    """Every error answer documented as it is sent: `application/problem+json` with the
    Problem schema (FastAPI would document JSON, and its own validation-error shape)."""
    problem = {"schema": {"$ref": "#/components/schemas/Problem"}}
    replaced = ("#/components/schemas/Problem", "#/components/schemas/HTTPValidationError")
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for code, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                ref = content.get("application/json", {}).get("schema", {}).get("$ref")
                if code[0] in "45" and ref in replaced:
                    response["content"] = {PROBLEM: problem}
    schemas = document.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return document


def _customer_ids_as_configured(document: dict, id_pattern: str) -> dict:
    """A customer ID in a path documented with the pattern the service checks it against
    (CRM_CUSTOMER_ID_PATTERN), so a client or a test generator knows which IDs can exist."""
    anchored = f"^(?:{id_pattern})$"
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter.get("name") == "customer_id":
                    parameter["schema"]["pattern"] = anchored
    return document


def _parameters_without_null(document: dict) -> dict:
    """A header, query or path parameter is absent or text, never JSON null: FastAPI's
    `str | None` becomes `anyOf: [string, null]`, which a client cannot send and which made the
    contract test's generator discard most of its requests (a health-check failure in CI)."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                kinds = schema.get("anyOf", [])
                sendable = [kind for kind in kinds if kind.get("type") != "null"]
                if len(sendable) == 1 and len(kinds) == 2:
                    del schema["anyOf"]
                    schema.update(sendable[0])
    return document


def _openapi(app: FastAPI, id_pattern: str):
    def document() -> dict:
        if app.openapi_schema is None:
            made = get_openapi(
                title=app.title, version=app.version, summary=app.summary, routes=app.routes
            )
            app.openapi_schema = _customer_ids_as_configured(
                _parameters_without_null(_problems_as_problem_json(made)), id_pattern
            )
        return app.openapi_schema

    return document


def openapi_document() -> str:
    """The OpenAPI document as committed in `docs/openapi.json` (a test checks it is current)."""
    return json.dumps(create_api(Settings()).openapi(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # `python -m crm_agents.api.server > docs/openapi.json`
    print(openapi_document(), end="")
