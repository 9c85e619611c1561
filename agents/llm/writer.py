"""The two writing backends behind one interface: an OpenAI-compatible LLM, or offline templates.

Numbers never come from here: a backend receives the facts a node computed and returns a
draft (words only). An LLM draft must pass the node's checks (schema, SMS limits, grounding);
a timeout, HTTP error, invalid or ungrounded answer is retried `llm_retries` times with the
problem fed back, then the node falls back to the offline writer and says why.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar
from urllib.parse import urlparse

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel

from agents.checks.claims import claim_problems
from agents.checks.drafts import draft_problems
from agents.llm.breaker import CircuitBreaker
from agents.llm.call import attempt
from agents.llm.endpoint import (
    ACCEPTED_METHODS,
    STREAMING_REFUSED,
    compatible_http_client,
    endpoint_key,
    structured_method,
)
from agents.prompts import prompt
from agents.trace import OFFLINE, LLMCall, TraceStep
from core.i18n import t
from core.settings import Settings
from core.types import Language

Draft = TypeVar("Draft", bound=BaseModel)
Check = Callable[[BaseModel], list[str]]


@dataclass
class Written(Generic[Draft]):
    draft: Draft
    written_by: str
    llm_calls: list[LLMCall] = field(default_factory=list)
    fallback: str | None = None


def chat_client(
    settings: Settings, max_retries: int, max_tokens: int | None = None, streaming: bool = False
):
    """`ChatOpenAI` on the configured endpoint: the one place the client is built. Every call
    carries `max_tokens`: without it a small local model may write until its context is full.
    A `streaming` client streams every answer (and asks for its token counts at the end)."""
    from langchain_openai import ChatOpenAI  # only when an endpoint is configured

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


class OfflineWriter:
    """Template writing from the facts; the default when no endpoint is configured."""

    name = OFFLINE

    def describe(self) -> str:
        return OFFLINE

    def write(
        self,
        node: str,
        schema: type[Draft],
        facts: dict,
        language: Language,
        offline: Callable[[], Draft],
        check: Check,
        spent_s: float = 0.0,
    ) -> Written[Draft]:
        return Written(draft=offline(), written_by=OFFLINE)


def llm_seconds_spent(trace: list[TraceStep]) -> float:
    """LLM time an analysis has used so far (every attempt of every node in its trace)."""
    return sum(c.duration_ms for step in trace for c in step.llm_calls) / 1e3


class OpenAIWriter:
    """Structured output from any OpenAI-compatible chat endpoint via `ChatOpenAI`.

    A circuit breaker (shared with the chat) keeps a dead endpoint from costing every node its
    timeouts; one analysis may spend at most `llm_budget` seconds waiting for the LLM, after
    which its remaining nodes use the offline writer and the trace says why.
    """

    def __init__(self, settings: Settings, breaker: CircuitBreaker | None = None) -> None:
        self.settings = settings
        self.breaker = breaker or CircuitBreaker()
        self.name = f"{settings.llm_model} @ {self.host}"
        self._clients: dict[tuple[str, bool], object] = {}

    def _limit(self, node: str) -> int:
        return self.settings.llm_max_tokens.get(node, 800)

    def _client(self, node: str, streaming: bool):
        """One client per node, each with that node's token limit; retries are ours."""
        if (node, streaming) not in self._clients:
            self._clients[node, streaming] = chat_client(
                self.settings, max_retries=0, max_tokens=self._limit(node), streaming=streaming
            )
        return self._clients[node, streaming]

    @property
    def host(self) -> str:
        # hostname and port only: a URL may carry user:password before the host
        url = urlparse(self.settings.openai_base_url or "https://api.openai.com/v1")
        return f"{url.hostname}:{url.port}" if url.port else str(url.hostname)

    def describe(self) -> str:
        return self.name

    def _offline(self, offline: Callable[[], Draft], calls: list[LLMCall], why: str) -> Written:
        return Written(
            draft=offline(),
            written_by=OFFLINE,
            llm_calls=calls,
            fallback=self.settings.redact(why),
        )

    def write(
        self,
        node: str,
        schema: type[Draft],
        facts: dict,
        language: Language,
        offline: Callable[[], Draft],
        check: Check,
        spent_s: float = 0.0,
    ) -> Written[Draft]:
        budget = self.settings.llm_budget
        if spent_s >= budget:
            return self._offline(
                offline, [], f"the LLM time budget of {budget:g} s for this analysis is used up"
            )
        reason = self.breaker.open_reason()
        if reason is not None:
            return self._offline(offline, [], f"{self.name} skipped: {reason}")
        endpoint = endpoint_key(self.settings)
        method = structured_method(self.settings)
        streaming = endpoint not in STREAMING_REFUSED
        question = HumanMessage(
            f"Language: {t(f'language.{language}', 'en')}\nFacts:\n"
            + json.dumps(facts, ensure_ascii=False, separators=(",", ":"))
        )
        structured, messages = self._ask(node, schema, method, question, streaming)
        deadline = time.monotonic() + budget - spent_s
        calls: list[LLMCall] = []
        problem, attempts = "no attempt made", 0
        while attempts <= self.settings.llm_retries:
            if deadline - time.monotonic() <= 0:
                problem = f"the LLM time budget of {budget:g} s for this analysis ran out"
                break
            t0 = time.perf_counter()
            attempts += 1
            tried = attempt(
                structured,
                messages,
                deadline,
                limit=self._limit(node),
                method=method if self.settings.llm_structured_method == "auto" else None,
                budget_s=budget,
            )
            if tried.draft is not None:
                problems = [
                    *draft_problems(tried.draft, language),
                    *claim_problems(tried.draft, facts),
                    *check(tried.draft),
                ]
                tried.problem = "; ".join(problems)
            if tried.adapt is not None:
                # The endpoint does not take this way of asking: the next way, now and for
                # every later call to this endpoint. Not an attempt.
                calls.append(self._call(attempts, tried.problem, {}, t0))
                if tried.adapt == "no streaming":
                    STREAMING_REFUSED.add(endpoint)
                    streaming = False
                else:
                    method = ACCEPTED_METHODS[endpoint] = tried.adapt
                structured, messages = self._ask(node, schema, method, question, streaming)
                attempts -= 1
                continue
            # The reply is kept only when it was not used: the draft shows what was.
            kept = self.settings.redact(tried.reply) if tried.problem else ""
            calls.append(self._call(attempts, tried.problem or "ok", tried.usage, t0, kept))
            problem = self.settings.redact(tried.problem)
            if tried.draft is not None and not problem:
                self.breaker.record_success()
                if self.settings.llm_structured_method == "auto":  # what "auto" found
                    ACCEPTED_METHODS[endpoint] = method
                return Written(draft=tried.draft, written_by=self.name, llm_calls=calls)
            if tried.answered:  # the endpoint is up: a draft that failed its checks is no outage
                self.breaker.record_success()
            else:
                self.breaker.record_failure(problem)
            if tried.final or self.breaker.open_reason() is not None:  # opened now or elsewhere
                break
            if tried.answered:  # a wrong answer may come out right: say what was wrong
                messages = [
                    *messages[:2],
                    HumanMessage(f"Your previous answer was rejected: {problem}. Answer again."),
                ]
        return self._offline(
            offline, calls, f"{self.name} failed {attempts} time(s), last: {problem}"
        )

    def _ask(
        self,
        node: str,
        schema: type[Draft],
        method: str,
        question: HumanMessage,
        streaming: bool = True,
    ):
        """The structured runnable for `method` and the messages that go with it."""
        system = prompt("system") + "\n\n" + prompt(node)
        if method == "json_mode":  # the server checks only that it is JSON: give the schema
            shape = json.dumps(schema.model_json_schema(), separators=(",", ":"))
            system += (
                f'\n\nAnswer with one JSON object valid against the JSON schema "{schema.__name__}"'
                f" and nothing else: {shape}"
            )
        structured = self._client(node, streaming).with_structured_output(
            schema, method=method, include_raw=True
        )
        return structured, [SystemMessage(system), question]

    def _call(
        self, attempt: int, outcome: str, usage: dict, t0: float, answer: str = ""
    ) -> LLMCall:
        return LLMCall(
            model=self.settings.llm_model,
            attempt=attempt,
            outcome=self.settings.redact(outcome),
            input_tokens=usage.get("input_tokens", 0),
            output_tokens=usage.get("output_tokens", 0),
            total_tokens=usage.get("total_tokens", 0),
            duration_ms=(time.perf_counter() - t0) * 1e3,
            answer=answer,
        )


Writer = OfflineWriter | OpenAIWriter


def make_writer(settings: Settings, breaker: CircuitBreaker | None = None) -> Writer:
    """The LLM when an endpoint or key is configured, the offline writer otherwise."""
    return OpenAIWriter(settings, breaker) if settings.llm_configured else OfflineWriter()
