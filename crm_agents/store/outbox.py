"""Webhook subscriptions and their outbox in the results database.

`emit` writes one delivery per live subscription to the event, on the connection of the change
it announces (the same transaction: a change rolled back announces nothing, and one committed
is announced even if the process dies next). The dispatcher (`crm_agents/webhooks.py`) claims
due deliveries one at a time with a conditional UPDATE, so two servers on one database never
send a delivery twice at once.
"""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine

from core.i18n import Phrase, WordedError
from crm_agents.store.api_tables import webhook_deliveries, webhook_subscriptions
from crm_agents.store.database import now, writing

#: The events a subscription may ask for.
EVENTS = (
    "analysis.completed",
    "campaign.approved",
    "campaign.exported",
    "outcomes.imported",
    "customer.risk_changed",
)
#: A delivery left `sending` this long was being sent by a process that stopped.
STALE_SENDING = timedelta(minutes=5)


class WebhookError(WordedError, ValueError):
    """A subscription or delivery that cannot be made, found or replayed as asked."""


@dataclass(frozen=True)
class Subscription:
    id: str
    url: str
    events: tuple[str, ...]
    created: datetime
    created_by: str


@dataclass(frozen=True)
class Delivery:
    id: str
    subscription_id: str
    event: str
    payload: str
    status: str
    attempts: int
    next_attempt: datetime
    last_status: int | None
    last_error: str | None
    created: datetime
    delivered: datetime | None


def subscribe(engine: Engine, url: str, events: list[str], created_by: str) -> Subscription:
    unknown = [e for e in events if e not in EVENTS]
    if unknown or not events:
        raise WebhookError(
            Phrase("webhooks.bad_event", {"given": unknown or ["—"], "allowed": list(EVENTS)})
        )
    if not url.startswith(("https://", "http://")) or len(url) > 2000 or not url.isprintable():
        raise WebhookError(Phrase("webhooks.bad_url", {"most": 2000}))
    chosen = tuple(e for e in EVENTS if e in events)
    row = {
        "id": secrets.token_hex(8),
        "url": url,
        "events": ",".join(chosen),
        "created": now(),
        "created_by": created_by[:100],
    }
    with writing(), engine.begin() as connection:
        connection.execute(insert(webhook_subscriptions).values(**row))
    return Subscription(**{**row, "events": chosen})


def _subscription(row) -> Subscription:
    return Subscription(
        id=row.id,
        url=row.url,
        events=tuple(row.events.split(",")),
        created=row.created,
        created_by=row.created_by,
    )


def subscriptions(engine: Engine) -> list[Subscription]:
    query = (
        select(webhook_subscriptions)
        .where(webhook_subscriptions.c.removed.is_(None))
        .order_by(webhook_subscriptions.c.created, webhook_subscriptions.c.id)
    )
    with engine.connect() as connection:
        return [_subscription(r) for r in connection.execute(query)]


def subscription(engine: Engine, subscription_id: str) -> Subscription | None:
    query = select(webhook_subscriptions).where(
        webhook_subscriptions.c.id == subscription_id, webhook_subscriptions.c.removed.is_(None)
    )
    with engine.connect() as connection:
        row = connection.execute(query).first()
    return _subscription(row) if row is not None else None


def unsubscribe(engine: Engine, subscription_id: str) -> bool:
    """No more deliveries to it (those waiting are dropped as failed); False: no such one."""
    with writing(), engine.begin() as connection:
        done = connection.execute(
            update(webhook_subscriptions)
            .where(
                webhook_subscriptions.c.id == subscription_id,
                webhook_subscriptions.c.removed.is_(None),
            )
            .values(removed=now())
        )
        connection.execute(
            update(webhook_deliveries)
            .where(
                webhook_deliveries.c.subscription_id == subscription_id,
                webhook_deliveries.c.status == "pending",
            )
            .values(status="failed", last_error="unsubscribed")
        )
    return done.rowcount == 1


def emit(connection: Connection, event: str, data: dict[str, Any]) -> int:
    """A delivery of `event` to each live subscription to it, on `connection`'s transaction."""
    assert event in EVENTS, event
    moment = now()
    rows = [
        {
            "id": f"msg_{uuid.uuid4().hex}",
            "subscription_id": sub_id,
            "event": event,
            "payload": json.dumps(
                {"type": event, "timestamp": moment.isoformat(), "data": data},
                ensure_ascii=False,
                default=str,
            ),
            "status": "pending",
            "attempts": 0,
            "next_attempt": moment,
            "created": moment,
        }
        for sub_id, events in connection.execute(
            select(webhook_subscriptions.c.id, webhook_subscriptions.c.events).where(
                webhook_subscriptions.c.removed.is_(None)
            )
        )
        if event in events.split(",")
    ]
    if rows:
        connection.execute(insert(webhook_deliveries), rows)
    return len(rows)


def emit_now(engine: Engine, event: str, data: dict[str, Any]) -> int:
    """`emit` in a transaction of its own (an event that follows no stored change)."""
    with writing(), engine.begin() as connection:
        return emit(connection, event, data)


def _delivery(row) -> Delivery:
    return Delivery(**row._mapping)


def claim_due(engine: Engine, limit: int = 20) -> list[tuple[Delivery, str]]:
    """Due deliveries, each claimed (pending → sending) by this process, with where it goes."""
    moment = now()
    due = and_(
        or_(
            and_(
                webhook_deliveries.c.status == "pending",
                webhook_deliveries.c.next_attempt <= moment,
            ),
            and_(
                webhook_deliveries.c.status == "sending",
                webhook_deliveries.c.next_attempt <= moment - STALE_SENDING,
            ),
        ),
        webhook_subscriptions.c.removed.is_(None),
    )
    query = (
        select(webhook_deliveries, webhook_subscriptions.c.url)
        .join(
            webhook_subscriptions,
            webhook_subscriptions.c.id == webhook_deliveries.c.subscription_id,
        )
        .where(due)
        .order_by(webhook_deliveries.c.next_attempt)
        .limit(limit)
    )
    claimed = []
    with engine.connect() as connection:
        found = list(connection.execute(query))
    for row in found:
        with writing(), engine.begin() as connection:
            taken = connection.execute(
                update(webhook_deliveries)
                .where(
                    webhook_deliveries.c.id == row.id,
                    webhook_deliveries.c.status == row.status,
                    webhook_deliveries.c.next_attempt == row.next_attempt,
                )
                .values(status="sending", next_attempt=moment)
            )
        if taken.rowcount == 1:
            mapping = dict(row._mapping)
            url = mapping.pop("url")
            claimed.append((Delivery(**mapping), url))
    return claimed


def record_attempt(
    engine: Engine,
    delivery: Delivery,
    status_code: int | None,
    error: str | None,
    retry_in: float | None,
) -> None:
    """An attempt's outcome: delivered (2xx), retried after `retry_in` seconds, or failed
    (`retry_in` None: no retries left)."""
    moment = now()
    values: dict[str, Any] = {
        "attempts": delivery.attempts + 1,
        "last_status": status_code,
        "last_error": error,
    }
    if status_code is not None and 200 <= status_code < 300:
        values |= {"status": "delivered", "delivered": moment, "last_error": None}
    elif retry_in is not None:
        values |= {"status": "pending", "next_attempt": moment + timedelta(seconds=retry_in)}
    else:
        values |= {"status": "failed"}
    with writing(), engine.begin() as connection:
        connection.execute(
            update(webhook_deliveries)
            .where(webhook_deliveries.c.id == delivery.id)
            .values(**values)
        )


def deliveries(
    engine: Engine, subscription_id: str, status: str | None = None, limit: int = 100
) -> list[Delivery]:
    query = select(webhook_deliveries).where(
        webhook_deliveries.c.subscription_id == subscription_id
    )
    if status is not None:
        query = query.where(webhook_deliveries.c.status == status)
    query = query.order_by(webhook_deliveries.c.created.desc()).limit(limit)
    with engine.connect() as connection:
        return [_delivery(r) for r in connection.execute(query)]


def replay(engine: Engine, delivery_id: str) -> Delivery:
    """Send a delivery again from its first attempt (same webhook-id: a receiver that kept it
    knows it is the same message)."""
    with writing(), engine.begin() as connection:
        done = connection.execute(
            update(webhook_deliveries)
            .where(
                webhook_deliveries.c.id == delivery_id,
                webhook_deliveries.c.status.in_(("delivered", "failed")),
            )
            .values(status="pending", attempts=0, next_attempt=now(), last_error=None)
        )
        row = connection.execute(
            select(webhook_deliveries).where(webhook_deliveries.c.id == delivery_id)
        ).first()
    if row is None:
        raise WebhookError(Phrase("webhooks.no_delivery", {"id": delivery_id}))
    if done.rowcount != 1:
        raise WebhookError(
            Phrase("webhooks.not_replayable", {"id": delivery_id, "status": row.status})
        )
    return _delivery(row)
