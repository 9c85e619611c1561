"""`Idempotency-Key` on a POST: the same key with the same request answers what the first one
answered (`Idempotent-Replayed: true`), without a second analysis or decision; the same key
with another request is refused (422), and one whose first request is still running is told
to wait (409). A request that failed (4xx/5xx raised) leaves no claim: it may be retried."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Annotated

from fastapi import Header, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from core.i18n import Phrase
from crm_agents.api.problems import ApiProblem
from crm_agents.api.security import context_of
from crm_agents.store import idempotency
from crm_agents.store.api_keys import ApiKey

HEADER = "Idempotency-Key"
LONGEST = 200
#: The header as every POST documents it (visible ASCII: what an HTTP header carries).
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=HEADER,
        pattern=f"^[\\x21-\\x7e]{{1,{LONGEST}}}$",
        description="Same key, same request: the same answer again, nothing done twice (kept "
        "24 h per API key)",
    ),
]


class Answer(BaseModel):
    """What a POST answers: its status, body and headers (what a retry gets back)."""

    status: int
    body: dict
    headers: dict[str, str] = {}

    def response(self, replayed: bool = False) -> JSONResponse:
        extra = {"Idempotent-Replayed": "true"} if replayed else {}
        return JSONResponse(self.body, status_code=self.status, headers=self.headers | extra)


def answered(status: int, body: BaseModel, headers: dict[str, str] | None = None) -> Answer:
    return Answer(status=status, body=jsonable_encoder(body), headers=headers or {})


def once(
    request: Request, key: ApiKey, asked: BaseModel, run: Callable[[], Answer], variant: str = ""
) -> JSONResponse:
    """`run`'s answer, or the kept answer of an earlier request with the same key; `variant`
    is what else makes two requests differ (asked to answer at once or later)."""
    given = request.headers.get(HEADER)
    if given is None:
        return run().response()
    if not given.strip() or len(given) > LONGEST or not given.isprintable():
        raise ApiProblem(422, Phrase("api.idempotency.bad", {"most": LONGEST}))
    store = context_of(request).store
    digest = hashlib.sha256(f"{asked.model_dump_json()}|{variant}".encode()).hexdigest()
    claim = idempotency.claim(store, key.id, given, request.method, request.url.path, digest)
    if claim.outcome == "mismatch":
        raise ApiProblem(422, Phrase("api.idempotency.mismatch"))
    if claim.outcome == "conflict":
        raise ApiProblem(409, Phrase("api.idempotency.running"), {"Retry-After": "1"})
    if claim.outcome == "replay":
        return Answer.model_validate_json(claim.response or "{}").response(replayed=True)
    try:
        answer = run()
    except BaseException:
        idempotency.release(store, key.id, given)
        raise
    idempotency.keep(store, key.id, given, answer.status, answer.model_dump_json())
    return answer.response()
