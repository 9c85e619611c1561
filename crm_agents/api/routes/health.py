"""`/health` (the process answers), `/ready` (model loaded, database reachable, LLM breaker) and
`/metrics` (Prometheus text)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from crm_agents.api.metrics import CONTENT_TYPE
from crm_agents.api.problems import KEY_ANSWERS
from crm_agents.api.schemas import Health, Readiness
from crm_agents.api.security import Reader, context_of

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Liveness: the server answers (no key)")
def health() -> Health:
    return Health(status="ok")


@router.get(
    "/ready",
    response_model=Readiness,
    summary="Readiness: the model is loaded, the database answers, the LLM breaker's state",
    responses={503: {"model": Readiness, "description": "Not ready: the database is not"}}
    | KEY_ANSWERS,
)
def ready(request: Request, _key: Reader):
    context = context_of(request)
    service = context.assembly.service
    try:
        with context.store.connect() as connection:
            connection.execute(text("SELECT 1"))
        database = "reachable"
    except SQLAlchemyError as err:
        database = context.settings.redact(str(getattr(err, "orig", None) or err))[:300]
    endpoint = context.assembly.writer.endpoint
    llm = "offline" if endpoint is None else endpoint.breaker.open_reason() or "closed"
    body = Readiness(
        ready=database == "reachable",
        model=service.card.model,
        time_to_churn_model=service.survival is not None,
        database=database,
        llm=context.settings.redact(llm),
    )
    return JSONResponse(body.model_dump(), status_code=200 if body.ready else 503)


@router.get(
    "/metrics",
    summary="Prometheus metrics: requests, latencies, analyses, fallbacks, LLM tokens",
    response_class=Response,
    responses={
        200: {"content": {"text/plain": {"schema": {"type": "string"}}}},
    }
    | KEY_ANSWERS,
)
def metrics(request: Request, _key: Reader) -> Response:
    return Response(context_of(request).metrics.text(), media_type=CONTENT_TYPE)
