"""Responses kept for `Idempotency-Key` retries: the first request with a key claims it (one
INSERT on the primary key, so of two at once exactly one wins), its answer is kept, and a
retry with the same key and the same request gets that answer back instead of a second
analysis or decision.

Keys are per API key (two integrators may choose the same one) and kept for `KEPT`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from crm_agents.store.api_tables import idempotency_keys
from crm_agents.store.database import now, writing

KEPT = timedelta(hours=24)


@dataclass(frozen=True)
class Claim:
    #: new: this request goes ahead; replay: answered before (status, response); conflict:
    #: the same key is being answered now; mismatch: the key was used for another request.
    outcome: Literal["new", "replay", "conflict", "mismatch"]
    status_code: int | None = None
    response: str | None = None


def claim(
    engine: Engine, key_id: str, idempotency_key: str, method: str, path: str, digest: str
) -> Claim:
    where = and_(
        idempotency_keys.c.key_id == key_id,
        idempotency_keys.c.idempotency_key == idempotency_key,
    )
    moment = now()
    with writing(), engine.begin() as connection:
        old = idempotency_keys.c.created < moment - KEPT
        connection.execute(delete(idempotency_keys).where(old))
    try:
        with engine.begin() as connection:
            connection.execute(
                insert(idempotency_keys).values(
                    key_id=key_id,
                    idempotency_key=idempotency_key,
                    method=method,
                    path=path,
                    request_sha256=digest,
                    created=moment,
                )
            )
        return Claim("new")
    except IntegrityError:
        pass
    with engine.connect() as connection:
        row = connection.execute(select(idempotency_keys).where(where)).first()
    if row is None:  # kept past its time and removed between the two statements
        return claim(engine, key_id, idempotency_key, method, path, digest)
    if (row.method, row.path, row.request_sha256) != (method, path, digest):
        return Claim("mismatch")
    if row.status_code is None:
        return Claim("conflict")
    return Claim("replay", row.status_code, row.response)


def keep(
    engine: Engine, key_id: str, idempotency_key: str, status_code: int, response: str
) -> None:
    """The answer a retry with this key gets."""
    with writing(), engine.begin() as connection:
        connection.execute(
            update(idempotency_keys)
            .where(
                idempotency_keys.c.key_id == key_id,
                idempotency_keys.c.idempotency_key == idempotency_key,
            )
            .values(status_code=status_code, response=response)
        )


def release(engine: Engine, key_id: str, idempotency_key: str) -> None:
    """Forget a claim whose request failed before it changed anything: a retry may go ahead."""
    with writing(), engine.begin() as connection:
        connection.execute(
            delete(idempotency_keys).where(
                idempotency_keys.c.key_id == key_id,
                idempotency_keys.c.idempotency_key == idempotency_key,
            )
        )
