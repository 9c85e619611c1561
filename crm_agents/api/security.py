"""Who is calling: an API key sent as `Authorization: Bearer crm_…`, checked against its hash,
its scope, its rate limit, and — for an address that keeps sending wrong keys — a lockout that
backs off. Nothing but `/health` answers without a key. A key is never logged or echoed."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from core.i18n import Phrase
from crm_agents.api.context import ApiContext
from crm_agents.api.problems import ApiProblem
from crm_agents.store.api_keys import ApiKey, verify_key

_bearer = HTTPBearer(auto_error=False, description="An API key: crm-agents api-keys create")


def context_of(request: Request) -> ApiContext:
    return request.app.state.context


def address_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _retry(seconds: float) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(seconds)))}


def caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ApiKey:
    context = context_of(request)
    address = address_of(request)
    locked = context.wrong_keys.locked_for(address)
    if locked > 0:
        raise ApiProblem(429, Phrase("api.locked", {"seconds": math.ceil(locked)}), _retry(locked))
    challenge = {"WWW-Authenticate": 'Bearer realm="crm-agents"'}
    if credentials is None:
        raise ApiProblem(401, Phrase("api.no_key"), challenge)
    key = verify_key(context.store, credentials.credentials)
    if key is None:
        lock = context.wrong_keys.failed(address)
        headers = challenge | (_retry(lock) if lock else {})
        raise ApiProblem(401, Phrase("api.bad_key"), headers)
    context.wrong_keys.succeeded(address)
    wait = context.per_key.take(key.id)
    if wait > 0:
        context.metrics.limited.labels("key").inc()
        raise ApiProblem(429, Phrase("api.rate.key", {"limit": context.per_key.rate}), _retry(wait))
    request.state.key_id = key.id
    return key


def require(scope: str) -> Callable[..., ApiKey]:
    """A dependency: the caller's key, which must allow `scope`."""

    def allowed(key: Annotated[ApiKey, Depends(caller)]) -> ApiKey:
        if not key.allows(scope):
            raise ApiProblem(
                403, Phrase("api.scope", {"scope": scope, "scopes": ", ".join(key.scopes)})
            )
        return key

    allowed.__name__ = f"require_{scope}"
    return allowed


#: A route's caller, by what it may do.
Reader = Annotated[ApiKey, Depends(require("read"))]
Analyst = Annotated[ApiKey, Depends(require("analyse"))]
Approver = Annotated[ApiKey, Depends(require("approve"))]
Admin = Annotated[ApiKey, Depends(require("admin"))]
