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
from functools import cache
from pathlib import Path
from typing import Generic, TypeVar
from urllib.parse import urlparse

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel

from agents.trace import LLMCall
from crm_agents.settings import Language, Settings

PROMPTS = Path(__file__).with_name("prompts")
OFFLINE = "offline writer"
LANGUAGE_NAMES: dict[Language, str] = {"en": "English", "zh-TW": "Traditional Chinese (Taiwan)"}

Draft = TypeVar("Draft", bound=BaseModel)
Check = Callable[[BaseModel], list[str]]


@cache
def prompt(name: str) -> str:
    return (PROMPTS / f"{name}.md").read_text(encoding="utf-8").strip()


@dataclass
class Written(Generic[Draft]):
    draft: Draft
    written_by: str
    llm_calls: list[LLMCall] = field(default_factory=list)
    fallback: str | None = None


def chat_client(settings: Settings, max_retries: int):
    """`ChatOpenAI` on the configured endpoint: the one place the client is built."""
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
    ) -> Written[Draft]:
        return Written(draft=offline(), written_by=OFFLINE)


class OpenAIWriter:
    """Structured output from any OpenAI-compatible chat endpoint via `ChatOpenAI`.

    A circuit breaker keeps a dead endpoint from costing every node its timeouts: after
    `FAILURES_TO_OPEN` failed calls in a row, nodes go straight to the offline writer for
    `COOL_DOWN_S` seconds, then the endpoint is tried again.
    """

    FAILURES_TO_OPEN = 3
    COOL_DOWN_S = 60.0

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.chat = chat_client(settings, max_retries=0)  # retries are ours: each is checked
        self.name = f"{settings.llm_model} @ {self.host}"
        self._failures_in_a_row = 0
        self._open_until = 0.0

    @property
    def host(self) -> str:
        return urlparse(self.settings.openai_base_url or "https://api.openai.com/v1").netloc

    def describe(self) -> str:
        return self.name

    def write(
        self,
        node: str,
        schema: type[Draft],
        facts: dict,
        language: Language,
        offline: Callable[[], Draft],
        check: Check,
    ) -> Written[Draft]:
        structured = self.chat.with_structured_output(
            schema, method=self.settings.llm_structured_method, include_raw=True
        )
        messages = [
            SystemMessage(prompt("system") + "\n\n" + prompt(node)),
            HumanMessage(
                f"Language: {LANGUAGE_NAMES[language]}\nFacts:\n"
                + json.dumps(facts, ensure_ascii=False, separators=(",", ":"))
            ),
        ]
        calls: list[LLMCall] = []
        if time.monotonic() < self._open_until:
            return Written(
                draft=offline(),
                written_by=OFFLINE,
                fallback=f"{self.name} skipped: {self._failures_in_a_row} failed calls in a row, "
                f"retrying after a {self.COOL_DOWN_S:.0f} s pause",
            )
        problem = "no attempt made"
        for attempt in range(1, self.settings.llm_retries + 2):
            t0 = time.perf_counter()
            usage: dict = {}
            try:
                answer = structured.invoke(messages)
                usage = getattr(answer["raw"], "usage_metadata", None) or {}
                draft = answer["parsed"]
                if answer.get("parsing_error") or draft is None:
                    raise ValueError(f"invalid output: {answer.get('parsing_error')}")
                problems = check(draft)
                problem = "; ".join(problems)
            except Exception as err:  # any failure of the endpoint is a reason to fall back
                draft, problem = None, f"{type(err).__name__}: {err}"[:300]
            calls.append(
                LLMCall(
                    model=self.settings.llm_model,
                    attempt=attempt,
                    outcome=problem or "ok",
                    input_tokens=usage.get("input_tokens", 0),
                    output_tokens=usage.get("output_tokens", 0),
                    total_tokens=usage.get("total_tokens", 0),
                    duration_ms=(time.perf_counter() - t0) * 1e3,
                )
            )
            if draft is not None and not problem:
                self._failures_in_a_row = 0
                return Written(draft=draft, written_by=self.name, llm_calls=calls)
            self._failures_in_a_row += 1
            if self._failures_in_a_row >= self.FAILURES_TO_OPEN:
                self._open_until = time.monotonic() + self.COOL_DOWN_S
                break
            messages = [
                *messages[:2],
                HumanMessage(f"Your previous answer was rejected: {problem}. Answer again."),
            ]
        return Written(
            draft=offline(),
            written_by=OFFLINE,
            llm_calls=calls,
            fallback=f"{self.name} failed {len(calls)} time(s), last: {problem}",
        )


Writer = OfflineWriter | OpenAIWriter


def make_writer(settings: Settings) -> Writer:
    """The LLM when an endpoint or key is configured, the offline writer otherwise."""
    return OpenAIWriter(settings) if settings.llm_configured else OfflineWriter()
