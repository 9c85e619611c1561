"""What every request passes through before a route: the per-address rate limit (the API's
paths and the app's login, with the same limiter), and the metrics of each API request by its
route template (never its path: an ID in a label would grow the series without bound)."""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware

from core.i18n import t
from crm_agents.api.problems import caller_language, problem_response
from crm_agents.api.security import address_of, context_of

#: The server's own paths; everything else belongs to the app mounted beside it.
API_PATHS = ("/api/", "/health", "/ready", "/metrics")
LOGIN = "/login"


def _is_api(path: str) -> bool:
    return path.startswith(API_PATHS)


def _template(request: Request) -> str:
    """The matched route's path with its parameters named (`/api/v1/customers/{customer_id}`),
    or "unmatched"."""
    if request.scope.get("route") is None:
        return "unmatched"
    names = {str(v): k for k, v in request.path_params.items()}
    segments = request.url.path.split("/")
    return "/".join(f"{{{names[s]}}}" if s in names else s for s in segments)


def install(app: FastAPI, cors_origins: list[str]) -> None:
    @app.middleware("http")
    async def _limits_and_metrics(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        path = request.url.path
        context = context_of(request)
        limiter, which = None, ""
        if _is_api(path) and path != "/health":
            limiter, which = context.per_address, "address"
        elif path == LOGIN and request.method == "POST":
            limiter, which = context.logins, "login"
        if limiter is not None:
            wait = limiter.take(address_of(request))
            if wait > 0:
                context.metrics.limited.labels(which).inc()
                lang = caller_language(request)
                detail = t(f"api.rate.{which}", lang, limit=limiter.rate)
                headers = {"Retry-After": str(max(1, math.ceil(wait)))}
                return problem_response(request, 429, detail, headers)
        if not _is_api(path):
            return await call_next(request)
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > context.settings.api_max_body_bytes:
            # Refused before the body is read; a body sent without its length is cut at the
            # same size by the router (`max_body_size`).
            detail = t("api.detail.413", caller_language(request))
            return problem_response(request, 413, detail)
        started = time.perf_counter()
        response = await call_next(request)
        route = _template(request)
        metrics = context.metrics
        metrics.requests.labels(request.method, route, str(response.status_code)).inc()
        metrics.latency.labels(request.method, route).observe(time.perf_counter() - started)
        return response

    if cors_origins:
        # Off unless configured: a browser page elsewhere cannot call the API by default.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "Prefer"],
            expose_headers=["Retry-After", "Location"],
        )
