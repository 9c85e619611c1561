"""What differs between OpenAI-compatible servers, found out and adapted to once per endpoint.

- Structured output: `json_schema` (OpenAI, vLLM), else `json_mode` (the schema goes in the
  prompt and pydantic validates the answer; llama.cpp's server), else `function_calling`. The
  kind an endpoint accepted is remembered for the process.
- Errors that cannot change on a retry (HTTP 4xx other than 408/409/429) are not retried.
- Assistant messages that call tools are sent with `content: ""`, not `null`, which some
  servers reject (HTTP 500).
- Streaming: llama.cpp's `chatml-function-calling` format streams a text answer but refuses
  (HTTP 500) to stream a tool call the model chose itself. An endpoint that refused is asked
  without streaming from then on: tool steps still show as they happen, the answer arrives
  whole.
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

from core.settings import Settings

#: The order structured-output kinds are tried in when the settings say "auto".
METHODS = ("json_schema", "json_mode", "function_calling")
#: Endpoint → the structured-output kind it accepted (or the next to try after a refusal).
ACCEPTED_METHODS: dict[str, str] = {}
#: Endpoints that refused to stream a chat turn; their turns are asked without streaming.
STREAMING_REFUSED: set[str] = set()
_ABOUT_THE_METHOD = ("response_format", "json_schema", "json_object", "tool")
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


def endpoint_key(settings: Settings) -> str:
    return f"{settings.openai_base_url or 'openai'}|{settings.llm_model}"


def structured_method(settings: Settings) -> str:
    if settings.llm_structured_method != "auto":
        return settings.llm_structured_method
    return ACCEPTED_METHODS.get(endpoint_key(settings), METHODS[0])


def _status(err: Exception) -> int | None:
    status = getattr(err, "status_code", None)
    return status if isinstance(status, int) else None


def method_refused(err: Exception, method: str) -> str | None:
    """The next structured-output kind to try when `err` says the server does not take
    `method`, else None."""
    if _status(err) not in (400, 422, 500) or method not in METHODS[:-1]:
        return None
    if not any(word in str(err).casefold() for word in _ABOUT_THE_METHOD):
        return None
    return METHODS[METHODS.index(method) + 1]


def streaming_refused(err: Exception) -> bool:
    """True when `err` is the server saying it cannot stream this request."""
    return _status(err) in (400, 422, 500) and "stream" in str(err).casefold()


def retryable(err: Exception) -> bool:
    """False for a request the server refused as such: sending it again cannot help."""
    status = _status(err)
    return status is None or not (400 <= status < 500) or status in (408, 409, 429)


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
