"""The HTTP API's settings (`CRM_API_*`), a part of the one `Settings` class kept in a module of
its own: limits, body size, CORS and where `crm-agents api` listens."""

from __future__ import annotations

from pydantic import BaseModel, Field, SecretStr


class ApiSettings(BaseModel):
    """Mixed into `core.settings.Settings`; every field is read from `CRM_<NAME>`."""

    api_host: str = Field(default="127.0.0.1", description="Address `crm-agents api` binds to")
    api_port: int = Field(default=8000, ge=1, le=65535, description="Port of `crm-agents api`")
    api_rate_per_key: int = Field(
        default=600, ge=1, le=1_000_000, description="Requests one API key may make per minute"
    )
    api_rate_per_address: int = Field(
        default=1200,
        ge=1,
        le=1_000_000,
        description="Requests to the API (keyed or not) one network address may make per minute",
    )
    api_wrong_keys: int = Field(
        default=10,
        ge=1,
        le=1_000_000,
        description="Wrong API keys in a row from one address before it is locked out (backing "
        "off from 30 s to 15 min)",
    )
    login_rate_per_address: int = Field(
        default=20, ge=1, le=10_000, description="App login attempts per address per minute"
    )
    api_max_body_bytes: int = Field(
        default=1_000_000, ge=1_000, le=100_000_000, description="Largest request body accepted"
    )
    api_cors_origins: list[str] = Field(
        default_factory=list,
        description='Origins a browser may call the API from, JSON: ["https://crm.example.com"] '
        "(none: CORS off)",
    )
    webhook_signing_key: SecretStr | None = Field(
        default=None,
        description="Key each webhook subscription's signing secret is derived from (e.g. "
        "`openssl rand -hex 32`); webhooks are off without it. Changing it changes every secret",
    )
    webhook_backoff: list[float] = Field(
        default_factory=lambda: [5.0, 30.0, 120.0, 600.0, 1800.0, 3600.0],
        min_length=0,
        max_length=20,
        description="Seconds before each retry of a failed delivery, JSON; then it fails",
    )
    webhook_timeout: float = Field(
        default=10.0, gt=0, le=120, description="Seconds a receiver has to answer a delivery"
    )
    api_analysis_workers: int = Field(
        default=4, ge=1, le=64, description="Analyses the API runs at once (the rest wait)"
    )
