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

from core.settings import Settings
from crm_agents.api import middleware, problems
from crm_agents.api.context import ApiContext
from crm_agents.api.problems import Problem
from crm_agents.api.routes import (
    analyses,
    approvals,
    campaigns,
    customers,
    exports,
    health,
    webhooks,
)
from crm_agents.webhooks import Dispatcher

VERSION = "1.0.0"
OPENAPI_PATH = "/api/v1/openapi.json"
_COMMON = {
    401: {"model": Problem, "description": "No API key, or not a live one"},
    403: {"model": Problem, "description": "The key lacks the scope"},
    422: {"model": Problem, "description": "A parameter or the body was refused"},
    429: {"model": Problem, "description": "Too many requests: see Retry-After"},
}


def _lifespan(context: ApiContext | None):
    @asynccontextmanager
    async def running(_app: FastAPI) -> AsyncIterator[None]:
        # The webhook dispatcher runs while the server does; the analyses' pool stops with it.
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
    v1 = APIRouter(prefix="/api/v1", responses=_COMMON, max_body_size=settings.api_max_body_bytes)
    v1.include_router(customers.router)
    v1.include_router(analyses.router)
    v1.include_router(campaigns.router)
    v1.include_router(approvals.router)
    v1.include_router(exports.router)
    v1.include_router(webhooks.router)
    app.include_router(v1)
    app.include_router(health.router)
    problems.install(app)
    middleware.install(app, settings.api_cors_origins)
    return app


def openapi_document() -> str:
    """The OpenAPI document as committed in `docs/openapi.json` (a test checks it is current)."""
    return json.dumps(create_api(Settings()).openapi(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # `python -m crm_agents.api.server > docs/openapi.json`
    print(openapi_document(), end="")
