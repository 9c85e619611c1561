"""What a node did, for the Trace tab, the JSON output and the batch report.

Each node returns one `TraceStep` in its update; the state's reducer appends it to the run's
trace, so the trace is the ordered record of the run.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from core.formats import currency
from core.i18n import t
from core.languages import BASE_LANGUAGE
from core.types import Language
from tools.registry import Result, Tool
from tools.schemas import ToolResult

# Who wrote a section when no LLM did (or its draft was refused): the templates.
OFFLINE = "offline writer"


class ToolCall(BaseModel):
    tool: str
    args: dict[str, Any]
    result: ToolResult
    duration_ms: float


class LLMCall(BaseModel):
    model: str
    attempt: int
    outcome: str = Field(description="ok, or why the answer was not used")
    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    duration_ms: float
    answer: str = Field(
        default="", description="What the model replied when its answer was not used (cut)"
    )


class TraceStep(BaseModel):
    node: str
    status: Literal["ran", "skipped"]
    started_at: str | None = None
    duration_ms: float = 0.0
    tool_calls: list[ToolCall] = Field(default_factory=list)
    llm_calls: list[LLMCall] = Field(default_factory=list)
    written_by: str | None = None
    fallback: str | None = Field(default=None, description="Why the offline writer took over")
    note: str | None = None  # in English, for logs and the stored trace
    #: The note's phrase and values, so a screen words it in its reader's language.
    note_key: str | None = None
    note_values: dict[str, Any] = Field(default_factory=dict)


def note_words(key: str, values: dict, lang: Language) -> str:
    """A note in `lang`; a value `{"money": amount}` is written as money in that language."""
    shown = {
        k: currency(v["money"], lang) if isinstance(v, dict) and "money" in v else v
        for k, v in values.items()
    }
    return t(key, lang, **shown)


def step_note(key: str, **values: object) -> dict:
    """A step's note from the phrase catalogue: the English and what words it again."""
    return {"note": note_words(key, values, BASE_LANGUAGE), "note_key": key, "note_values": values}


class Authored(Protocol):
    """Who wrote a node's words (the writer's `Written`), as far as the trace needs to know."""

    written_by: str
    llm_calls: Sequence[LLMCall]
    fallback: str | None


class StepRecorder:
    """Times one node and records every tool call it makes."""

    def __init__(self, node: str) -> None:
        self.node = node
        self._started = datetime.now(UTC).isoformat(timespec="milliseconds")
        self._t0 = time.perf_counter()
        self.tool_calls: list[ToolCall] = []

    def call(self, tool: Tool[Result], **args: Any) -> Result:
        t0 = time.perf_counter()
        result = tool(**args)
        # Built without re-validating: the result is already the tool's typed model.
        self.tool_calls.append(
            ToolCall.model_construct(
                tool=tool.name,
                args=args,
                result=result,
                duration_ms=(time.perf_counter() - t0) * 1e3,
            )
        )
        return result

    def finish(self, written: Authored | None = None, *, note: dict | None = None) -> TraceStep:
        """The node's step: its tool calls, and who wrote its words (LLM calls, any fallback)."""
        return TraceStep(
            node=self.node,
            status="ran",
            started_at=self._started,
            duration_ms=(time.perf_counter() - self._t0) * 1e3,
            tool_calls=self.tool_calls,
            llm_calls=list(written.llm_calls) if written else [],
            written_by=written.written_by if written else None,
            fallback=written.fallback if written else None,
            **(note or {}),
        )
