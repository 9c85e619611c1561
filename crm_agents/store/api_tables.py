"""The HTTP API's tables in the results database: hashed API keys, the responses kept for
`Idempotency-Key` retries, and analysis jobs. Declared on the same `metadata` as `schema.py`'s
tables (the migrations compare against both); a change here is also a new Alembic revision."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Table, Text

from crm_agents.store.schema import metadata

__all__ = ["analysis_jobs", "api_keys", "idempotency_keys", "metadata"]

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
