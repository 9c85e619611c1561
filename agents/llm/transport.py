"""The HTTP transport under every LLM client: what differs between OpenAI-compatible servers on
the wire, and requests that end at their caller's deadline.

- Assistant messages that call tools are sent with `content: ""`, not `null`, which some
  servers reject (HTTP 500).
- The token limit is sent as `max_tokens` too (the client sends only `max_completion_tokens`,
  which local servers ignore), except to OpenAI itself.
- A request never outlasts its caller's deadline (`requests_end_by`): the client hangs up when
  the analysis stops waiting, instead of keeping a single-slot server busy for nobody.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import httpx

#: `time.monotonic()` by which the LLM requests made in this context must have ended.
_DEADLINE: ContextVar[float | None] = ContextVar("llm_request_deadline", default=None)
_TIMEOUT_PARTS = ("connect", "read", "write", "pool")


@contextmanager
def requests_end_by(deadline: float) -> Iterator[None]:
    """Within this block every LLM request (and its retries) times out at `deadline` at the
    latest, whatever the client's own timeout: the connection closes when the caller stops
    waiting."""
    token = _DEADLINE.set(deadline)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def _bounded_by_deadline(request: httpx.Request, deadline: float) -> None:
    left = max(deadline - time.monotonic(), 0.001)
    timeout = request.extensions.get("timeout") or {}
    request.extensions["timeout"] = {
        part: left if timeout.get(part) is None else min(timeout[part], left)
        for part in _TIMEOUT_PARTS
    }


class _EndsByDeadline(httpx.SyncByteStream):
    """A streamed answer that stops at the deadline: reading on past it raises a timeout, and
    closing the response closes the connection, which tells the server to stop generating."""

    def __init__(self, inner: httpx.SyncByteStream, deadline: float) -> None:
        self._inner, self._deadline = inner, deadline

    def __iter__(self) -> Iterator[bytes]:
        for piece in self._inner:
            if time.monotonic() > self._deadline:
                raise httpx.ReadTimeout("the caller's deadline passed during the answer")
            yield piece

    def close(self) -> None:
        self._inner.close()


class _CompatibleTransport(httpx.BaseTransport):
    """Rewrites each chat request before it leaves (public httpx API; the LangChain client is
    not touched)."""

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        deadline = _DEADLINE.get()
        if deadline is not None:
            _bounded_by_deadline(request, deadline)
        if request.method == "POST" and request.url.path.endswith("/chat/completions"):
            body = json.loads(request.read() or b"{}")
            changed = False
            for message in body.get("messages", []):
                if message.get("role") == "assistant" and message.get("content") is None:
                    message["content"] = ""
                    changed = True
            limit = body.get("max_completion_tokens")
            if limit and "max_tokens" not in body and request.url.host != "api.openai.com":
                body["max_tokens"] = limit  # local servers read only the older name
                changed = True
            if changed:
                headers = {
                    k: v for k, v in request.headers.items() if k.lower() != "content-length"
                }
                request = httpx.Request(
                    request.method,
                    request.url,
                    headers=headers,
                    content=json.dumps(body).encode(),
                    extensions=request.extensions,
                )
        response = self._inner.handle_request(request)
        if deadline is None:
            return response
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=_EndsByDeadline(response.stream, deadline),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._inner.close()


def compatible_http_client(timeout: float) -> httpx.Client:
    return httpx.Client(transport=_CompatibleTransport(), timeout=timeout)
