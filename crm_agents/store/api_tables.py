"""The HTTP API's tables in the results database: hashed API keys, the responses kept for
`Idempotency-Key` retries, analysis jobs, and webhook subscriptions with their outbox.
Declared on the same `metadata` as `schema.py`'s tables (the migrations compare against
both); a change here is also a new Alembic revision."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Table, Text

from crm_agents.store.schema import metadata

__all__ = [
    "analysis_jobs",
    "api_keys",
    "idempotency_keys",
    "metadata",
    "webhook_deliveries",
    "webhook_subscriptions",
]

api_keys = Table(
    "api_keys",
    metadata,
    # The public part of a key (`crm_<id>_<secret>`): found by it, then the secret's hash
    # compared in constant time. The secret itself is never stored.
    Column("id", String(16), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("scopes", String(100), nullable=False),  # comma-separated: read,analyse,approve,admin
    Column("secret_sha256", String(64), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("last_used", DateTime(timezone=True)),
    Column("revoked", DateTime(timezone=True)),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("key_id", String(16), ForeignKey("api_keys.id"), primary_key=True),
    Column("idempotency_key", String(200), primary_key=True),
    Column("method", String(8), nullable=False),
    Column("path", String(300), nullable=False),
    Column("request_sha256", String(64), nullable=False),
    # Empty while the first request with the key is still being answered.
    Column("status_code", Integer),
    Column("response", Text),
    Column("created", DateTime(timezone=True), nullable=False),
)

analysis_jobs = Table(
    "analysis_jobs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("customer_id", String(64), nullable=False),
    Column("language", String(8), nullable=False),
    Column("status", String(16), nullable=False),  # queued · running · completed · failed
    Column("result", Text),  # the AnalysisResult as JSON, once completed
    Column("error", Text),
    Column("key_id", String(16), ForeignKey("api_keys.id"), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("finished", DateTime(timezone=True)),
    Index("analysis_jobs_by_created", "created"),
)

webhook_subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    # Each one's signing secret is derived from CRM_WEBHOOK_SIGNING_KEY and this id: nothing
    # secret is stored.
    Column("id", String(16), primary_key=True),
    Column("url", Text, nullable=False),
    Column("events", String(300), nullable=False),  # comma-separated event types
    Column("created", DateTime(timezone=True), nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("removed", DateTime(timezone=True)),
)

#: The outbox: a delivery is written in the same transaction as the change it announces, and
#: sent later by the dispatcher, so a delivery never holds up (or is lost by) that change.
webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", String(40), primary_key=True),  # the webhook-id header: the same on retries
    Column("subscription_id", String(16), ForeignKey("webhook_subscriptions.id"), nullable=False),
    Column("event", String(40), nullable=False),
    Column("payload", Text, nullable=False),
    Column("status", String(12), nullable=False),  # pending · sending · delivered · failed
    Column("attempts", Integer, nullable=False),
    Column("next_attempt", DateTime(timezone=True), nullable=False),
    Column("last_status", Integer),
    Column("last_error", Text),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("delivered", DateTime(timezone=True)),
    Index("webhook_deliveries_due", "status", "next_attempt"),
)
