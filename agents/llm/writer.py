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
from typing import Any, Generic, TypeVar

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel

from agents.checks.claims import claim_problems
from agents.checks.drafts import draft_problems
from agents.llm.breaker import CircuitBreaker
from agents.llm.call import attempt
from agents.llm.endpoint import Endpoint
from agents.prompts import prompt
from agents.trace import OFFLINE, LLMCall, TraceStep
from core.i18n import t
from core.languages import BASE_LANGUAGE
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


class OfflineWriter:
    """Template writing from the facts; the default when no endpoint is configured."""

    name = OFFLINE
    endpoint: Endpoint | None = None

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


@dataclass
class _Request:
    """One node's request as it stands: what it asks, how, and until when."""

    node: str
    schema: type[BaseModel]
    facts: dict
    language: Language
    check: Check
    question: HumanMessage
    deadline: float
    method: str = ""  # the structured-output kind `structured` asks with
    structured: Any = None
    messages: list = field(default_factory=list)


@dataclass
class _Outcome:
    """What one attempt came to: a draft that passed every check, or the problem."""

    draft: BaseModel | None = None
    problem: str = ""
    made: bool = True  # False when the time ran out before a request could be sent
    stop: bool = False  # asking again cannot help now


class OpenAIWriter:
    """Structured output from any OpenAI-compatible chat endpoint via `ChatOpenAI`.

    The endpoint's circuit breaker (shared with the chat) keeps a dead endpoint from costing
    every node its timeouts; one analysis may spend at most `llm_budget` seconds waiting for
    the LLM, after which its remaining nodes use the offline writer and the trace says why.
    """

    def __init__(self, settings: Settings, endpoint: Endpoint | None = None) -> None:
        self.settings = settings
        self.endpoint = endpoint or Endpoint(settings)
        self.name = self.endpoint.name
        self._clients: dict[tuple[str, bool], object] = {}

    @property
    def breaker(self) -> CircuitBreaker:
        return self.endpoint.breaker

    def describe(self) -> str:
        return self.name

    def _limit(self, node: str) -> int:
        return self.settings.llm_max_tokens.get(node, 800)

    def _client(self, node: str, streaming: bool):
        """One client per node, each with that node's token limit; retries are ours."""
        if (node, streaming) not in self._clients:
            self._clients[node, streaming] = self.endpoint.client(
                max_retries=0, max_tokens=self._limit(node), streaming=streaming
            )
        return self._clients[node, streaming]

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
        question = HumanMessage(
            f"Language: {t(f'language.{language}', BASE_LANGUAGE)}\nFacts:\n"
            + json.dumps(facts, ensure_ascii=False, separators=(",", ":"))
        )
        request = _Request(node, schema, facts, language, check, question, deadline=0.0)
        self._ask(request)
        # The clock starts once the client is built: the budget is time spent waiting on the LLM.
        request.deadline = time.monotonic() + budget - spent_s
        calls: list[LLMCall] = []
        outcome, made = _Outcome(problem="no attempt made", made=False), 0
        while made <= self.settings.llm_retries and not outcome.stop:
            outcome = self._attempt(request, made + 1, calls)
            made += outcome.made
            if outcome.draft is not None:
                return Written(draft=outcome.draft, written_by=self.name, llm_calls=calls)
        return self._offline(
            offline, calls, f"{self.name} failed {made} time(s), last: {outcome.problem}"
        )

    def _attempt(self, request: _Request, number: int, calls: list[LLMCall]) -> _Outcome:
        """Attempt `number`: one request, after as many changes of the way of asking as the
        endpoint asks for (those are no attempts). Its calls are added to `calls`."""
        budget = self.settings.llm_budget
        while True:
            if request.deadline - time.monotonic() <= 0:
                out = f"the LLM time budget of {budget:g} s for this analysis ran out"
                return _Outcome(problem=out, made=False, stop=True)
            t0 = time.perf_counter()
            tried = attempt(
                request.structured,
                request.messages,
                request.deadline,
                limit=self._limit(request.node),
                method=request.method if self.endpoint.adapts else None,
                budget_s=budget,
            )
            if tried.adapt is None:
                break
            # The endpoint does not take this way of asking: the next way, now and for every
            # later call to this endpoint.
            calls.append(self._call(number, tried.problem, {}, t0))
            if tried.adapt == "no streaming":
                self.endpoint.stop_streaming()
            else:
                self.endpoint.use_method(tried.adapt)
            self._ask(request)
        if tried.draft is not None:
            problems = [
                *draft_problems(tried.draft, request.language),
                *claim_problems(tried.draft, request.facts),
                *request.check(tried.draft),
            ]
            tried.problem = "; ".join(problems)
        # The reply is kept only when it was not used: the draft shows what was.
        kept = self.settings.redact(tried.reply) if tried.problem else ""
        calls.append(self._call(number, tried.problem or "ok", tried.usage, t0, kept))
        problem = self.settings.redact(tried.problem)
        if tried.draft is not None and not problem:
            self.breaker.record_success()
            self.endpoint.use_method(request.method)  # what "auto" found
            return _Outcome(draft=tried.draft)
        if tried.answered:  # the endpoint is up: a draft that failed its checks is no outage
            self.breaker.record_success()
            # A wrong answer may come out right: say what was wrong.
            again = HumanMessage(f"Your previous answer was rejected: {problem}. Answer again.")
            request.messages = [*request.messages[:2], again]
        else:
            self.breaker.record_failure(problem)
        # Opened now or elsewhere: no more attempts.
        stop = tried.final or self.breaker.open_reason() is not None
        return _Outcome(problem=problem, stop=stop)

    def _ask(self, request: _Request) -> None:
        """The structured runnable for the endpoint's current way of asking, and the messages
        that go with it."""
        method = self.endpoint.structured_method()
        system = prompt("system") + "\n\n" + prompt(request.node)
        if method == "json_mode":  # the server checks only that it is JSON: give the schema
            schema = request.schema
            shape = json.dumps(schema.model_json_schema(), separators=(",", ":"))
            system += (
                f'\n\nAnswer with one JSON object valid against the JSON schema "{schema.__name__}"'
                f" and nothing else: {shape}"
            )
        client = self._client(request.node, self.endpoint.streams)
        request.method = method
        request.structured = client.with_structured_output(
            request.schema, method=method, include_raw=True
        )
        request.messages = [SystemMessage(system), request.question]

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


def make_writer(settings: Settings, endpoint: Endpoint | None = None) -> Writer:
    """The LLM when an endpoint or key is configured, the offline writer otherwise."""
    return OpenAIWriter(settings, endpoint) if settings.llm_configured else OfflineWriter()
