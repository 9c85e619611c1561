"""One OpenAI-compatible endpoint as this process knows it, and what differs between servers.

- Structured output: `json_schema` (OpenAI, vLLM), else `json_mode` (the schema goes in the
  prompt and pydantic validates the answer; llama.cpp's server), else `function_calling`. The
  kind an endpoint accepted is remembered by its `Endpoint`.
- Errors that cannot change on a retry (HTTP 4xx other than 408/409/429) are not retried.
- Streaming: llama.cpp's `chatml-function-calling` format streams a text answer but refuses
  (HTTP 500) to stream a tool call the model chose itself. An endpoint that refused is asked
  without streaming from then on: tool steps still show as they happen, the answer arrives
  whole.

The composition root builds one `Endpoint` and gives it to the analysis writer and the chat, so
what one of them learns (and the circuit breaker's count) the other uses at once. What the wire
needs (empty content, `max_tokens`, deadlines) is in `transport.py`.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import urlparse

from agents.llm.breaker import CircuitBreaker
from agents.llm.transport import compatible_http_client
from core.settings import Settings

#: The order structured-output kinds are tried in when the settings say "auto".
METHODS = ("json_schema", "json_mode", "function_calling")
_ABOUT_THE_METHOD = ("response_format", "json_schema", "json_object", "tool")


class Endpoint:
    """Where the LLM is, its circuit breaker, and what it was found to refuse. Gradio answers
    from several threads, so what is learned changes under a lock."""

    def __init__(self, settings: Settings, breaker: CircuitBreaker | None = None) -> None:
        self.settings = settings
        self.breaker = breaker or CircuitBreaker()
        self._lock = threading.Lock()
        chosen = settings.llm_structured_method
        #: False when the settings fix the structured-output kind: a refusal is then final.
        self.adapts = chosen == "auto"
        self._method = METHODS[0] if self.adapts else chosen
        self._streams = True

    @property
    def host(self) -> str:
        # hostname and port only: a URL may carry user:password before the host
        url = urlparse(self.settings.openai_base_url or "https://api.openai.com/v1")
        return f"{url.hostname}:{url.port}" if url.port else str(url.hostname)

    @property
    def name(self) -> str:
        return f"{self.settings.llm_model} @ {self.host}"

    def structured_method(self) -> str:
        """The structured-output kind to ask with now."""
        with self._lock:
            return self._method

    def use_method(self, method: str) -> None:
        """Ask with `method` from now on: the kind that worked, or the next after a refusal."""
        if self.adapts:
            with self._lock:
                self._method = method

    @property
    def streams(self) -> bool:
        """False once the endpoint refused to stream a request."""
        with self._lock:
            return self._streams

    def stop_streaming(self) -> None:
        with self._lock:
            self._streams = False

    def client(
        self, max_retries: int, max_tokens: int | None = None, streaming: bool = False
    ) -> Any:
        """`ChatOpenAI` on this endpoint: the one place the client is built. Every call carries
        `max_tokens`: without it a small local model may write until its context is full. A
        `streaming` client streams every answer (and asks for its token counts at the end)."""
        from langchain_openai import ChatOpenAI  # only when an endpoint is configured

        settings = self.settings
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        return ChatOpenAI(
            model=settings.llm_model,
            # Local servers (Ollama, vLLM, llama.cpp) need no key, but the client insists on one.
            api_key=key or "not-needed",
            base_url=settings.openai_base_url,
            temperature=settings.llm_temperature,
            timeout=settings.llm_timeout,
            max_retries=max_retries,
            max_tokens=max_tokens or settings.llm_max_tokens.get("chat", 800),
            http_client=compatible_http_client(settings.llm_timeout),
            **({"streaming": True, "stream_usage": True} if streaming else {}),
        )


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
