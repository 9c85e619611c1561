"""API keys in the results database: made, listed, revoked and checked.

A key reads `crm_<id>_<secret>`. The id finds the row; the secret is kept only as its SHA-256
(the secret is 32 random bytes, so a fast hash is enough: there is no password to guess) and
compared in constant time. The whole key is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from core.i18n import Phrase, WordedError
from crm_agents.store.api_tables import api_keys
from crm_agents.store.database import in_utc, now, writing

#: What a key may do; `admin` may do everything, and make no difference otherwise.
SCOPES = ("read", "analyse", "approve", "admin")
_KEY = re.compile(r"crm_([0-9a-f]{12})_([A-Za-z0-9_-]{43})")
#: `last_used` is written at most this often per key (a write per request would be the cost).
_USE_RESOLUTION = timedelta(minutes=1)


class ApiKeyError(WordedError, ValueError):
    """A key that cannot be made or revoked as asked."""


@dataclass(frozen=True)
class ApiKey:
    id: str
    name: str
    scopes: tuple[str, ...]
    created: datetime
    created_by: str
    last_used: datetime | None
    revoked: datetime | None

    def allows(self, scope: str) -> bool:
        return scope in self.scopes or "admin" in self.scopes


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_scopes(given: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Scopes in their canonical order; an unknown one is refused, naming those accepted."""
    names = given.split(",") if isinstance(given, str) else list(given)
    names = [n.strip().lower() for n in names if n.strip()]
    unknown = [n for n in names if n not in SCOPES]
    if unknown or not names:
        raise ApiKeyError(
            Phrase("api.keys.bad_scope", {"given": ", ".join(unknown) or "—", "allowed": SCOPES})
        )
    return tuple(s for s in SCOPES if s in names)


def create_key(engine: Engine, name: str, scopes: tuple[str, ...], created_by: str) -> str:
    """A new key with these scopes; the whole key is returned once and never stored."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ApiKeyError(Phrase("api.keys.bad_name", {"most": 100}))
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    row = {
        "id": key_id,
        "name": name,
        "scopes": ",".join(parse_scopes(scopes)),
        "secret_sha256": _digest(secret),
        "created": now(),
        "created_by": created_by[:100],
    }
    with writing(), engine.begin() as connection:
        connection.execute(insert(api_keys).values(**row))
    return f"crm_{key_id}_{secret}"


def _key(row) -> ApiKey:
    return ApiKey(
        id=row.id,
        name=row.name,
        scopes=tuple(row.scopes.split(",")),
        created=row.created,
        created_by=row.created_by,
        last_used=row.last_used,
        revoked=row.revoked,
    )


def list_keys(engine: Engine) -> list[ApiKey]:
    """Every key made here, newest first, revoked ones included (never a secret)."""
    query = select(api_keys).order_by(api_keys.c.created.desc(), api_keys.c.id)
    with engine.connect() as connection:
        return [_key(row) for row in connection.execute(query)]


def revoke_key(engine: Engine, key_id: str) -> ApiKey:
    """The key, revoked from now on (one revoked already stays as it was)."""
    key_id = key_id.removeprefix("crm_").split("_")[0]
    with writing(), engine.begin() as connection:
        connection.execute(
            update(api_keys)
            .where(api_keys.c.id == key_id, api_keys.c.revoked.is_(None))
            .values(revoked=now())
        )
        row = connection.execute(select(api_keys).where(api_keys.c.id == key_id)).first()
    if row is None:
        raise ApiKeyError(Phrase("api.keys.unknown", {"id": key_id}))
    return _key(row)


def verify_key(engine: Engine, token: str) -> ApiKey | None:
    """The live key `token` is, or None (malformed, unknown, wrong secret or revoked)."""
    found = _KEY.fullmatch(token)
    if found is None:
        return None
    key_id, secret = found.groups()
    with engine.connect() as connection:
        row = connection.execute(select(api_keys).where(api_keys.c.id == key_id)).first()
    if row is None or not hmac.compare_digest(row.secret_sha256, _digest(secret)):
        return None
    if row.revoked is not None:
        return None
    key = _key(row)
    moment = now()
    last = key.last_used
    if last is None or moment - in_utc(last) > _USE_RESOLUTION:
        with writing(), engine.begin() as connection:
            connection.execute(
                update(api_keys).where(api_keys.c.id == key_id).values(last_used=moment)
            )
    return key
