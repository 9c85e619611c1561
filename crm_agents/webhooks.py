"""Webhooks for marketing automation: deliveries signed per the Standard Webhooks spec and sent
by a dispatcher from the outbox (`store/outbox.py`), retried with backoff, recorded with their
status, replayable. A delivery never holds up the request that caused it: the request only
writes the outbox row, in its own transaction.

Signing (standardwebhooks.com): headers `webhook-id` (the delivery's id, the same on every
retry), `webhook-timestamp` (seconds since 1970) and `webhook-signature` = `v1,` + base64 of
HMAC-SHA256 over `id.timestamp.body`, keyed by the subscription's secret (`whsec_` + base64).
Each secret is derived from `CRM_WEBHOOK_SIGNING_KEY` and the subscription's id, so no secret
is stored; it is shown once, when the subscription is made.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import threading
import time

import httpx
from sqlalchemy.engine import Engine

from core.i18n import Phrase
from core.settings import Settings
from crm_agents.store.outbox import Delivery, WebhookError, claim_due, record_attempt

PREFIX = "whsec_"
#: A signature older or newer than this is refused by `verify` (replayed captures).
TOLERANCE = 5 * 60

log = logging.getLogger(__name__)


def subscription_secret(settings: Settings, subscription_id: str) -> str:
    """The subscription's signing secret, or a WebhookError when no signing key is set."""
    if settings.webhook_signing_key is None:
        raise WebhookError(Phrase("webhooks.no_signing_key"))
    master = settings.webhook_signing_key.get_secret_value().encode()
    raw = hmac.new(master, f"crm-agents webhook {subscription_id}".encode(), hashlib.sha256)
    return PREFIX + base64.b64encode(raw.digest()).decode()


def sign(secret: str, message_id: str, timestamp: int, body: str) -> str:
    key = base64.b64decode(secret.removeprefix(PREFIX))
    signed = f"{message_id}.{timestamp}.{body}".encode()
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def verify(secret: str, headers: dict[str, str], body: str, now: float | None = None) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    lowered = {k.lower(): v for k, v in headers.items()}
    try:
        message_id, stamp = lowered["webhook-id"], int(lowered["webhook-timestamp"])
        given = lowered["webhook-signature"].split()
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - stamp) > TOLERANCE:
        return False
    expected = sign(secret, message_id, stamp, body)
    return any(hmac.compare_digest(expected, g) for g in given)


def _attempt(settings: Settings, delivery: Delivery, url: str) -> tuple[int | None, str | None]:
    """One POST of the delivery: the receiver's status, or why there was none."""
    try:
        secret = subscription_secret(settings, delivery.subscription_id)
    except WebhookError as err:
        return None, str(err)
    stamp = int(time.time())
    headers = {
        "content-type": "application/json",
        "webhook-id": delivery.id,
        "webhook-timestamp": str(stamp),
        "webhook-signature": sign(secret, delivery.id, stamp, delivery.payload),
        "user-agent": "crm-retention-agents-webhooks",
    }
    try:
        answer = httpx.post(
            url,
            content=delivery.payload.encode(),
            headers=headers,
            timeout=settings.webhook_timeout,
            follow_redirects=False,
        )
    except httpx.HTTPError as err:
        return None, settings.redact(f"{type(err).__name__}: {err}")[:500]
    problem = None if answer.is_success else settings.redact(answer.text[:300])
    return answer.status_code, problem


def deliver_due(engine: Engine, settings: Settings) -> int:
    """Send every delivery that is due now; how many were attempted."""
    sent = 0
    while due := claim_due(engine):
        for delivery, url in due:
            status, problem = _attempt(settings, delivery, url)
            backoff = settings.webhook_backoff
            retry_in = backoff[delivery.attempts] if delivery.attempts < len(backoff) else None
            record_attempt(engine, delivery, status, problem, retry_in)
            if problem:
                log.warning(
                    "webhook %s to subscription %s: %s",
                    delivery.id,
                    delivery.subscription_id,
                    problem,
                )
            sent += 1
    return sent


class Dispatcher:
    """Sends due deliveries on a thread of its own, every `interval` seconds until stopped."""

    def __init__(self, engine: Engine, settings: Settings, interval: float = 0.5) -> None:
        self.engine, self.settings, self.interval = engine, settings, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="webhooks", daemon=True)

    def start(self) -> Dispatcher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.settings.webhook_timeout + 5)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                deliver_due(self.engine, self.settings)
            except Exception:  # a database hiccup: logged, tried again next round
                log.exception("webhook dispatcher round failed")
            self._stop.wait(self.interval)
