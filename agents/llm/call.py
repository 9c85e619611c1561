"""One structured request to the LLM, bounded by its caller's deadline, read back as an
`Attempt`: the draft, or why there is none and whether asking again could help.

The writer streams its requests: a server stops generating when the client hangs up on a
streamed answer (llama-cpp-python's server checks between tokens; on a plain request it computes
the whole answer for nobody), and the connection closes at the caller's deadline
(`requests_end_by`), so an analysis that stops waiting leaves the server free for the next one.
Token counts are the server's when it reports them; a server that reports none on a stream
(llama-cpp-python) has its streamed pieces counted, one per token, as output tokens.
"""

from __future__ import annotations

import json
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from pydantic import BaseModel

from agents.llm.endpoint import method_refused, retryable, streaming_refused
from agents.llm.transport import requests_end_by

#: How much of an answer the trace keeps when it was not used: enough to see what was written.
ANSWER_KEPT = 1000
#: Errors the client raises about a reply it received (by name: the client is imported lazily).
_MODEL_OUTPUT_ERRORS = frozenset(
    {
        "LengthFinishReasonError",
        "ContentFilterFinishReasonError",
        "OutputParserException",
        "ValidationError",
    }
)
# langchain-openai dumps every streamed json_schema chunk with pydantic, whose `parsed` field
# the openai SDK types as None while it holds the parsed draft: a warning per answer about
# nothing that is wrong.
warnings.filterwarnings(
    "ignore",
    message=r"(?s)Pydantic serializer warnings:.*field_name='parsed'",
    category=UserWarning,
)
#: Requests run here so that a caller can stop waiting at its deadline: an endpoint that accepts
#: the connection and never answers costs the analysis its remaining budget, not the request
#: timeout. The request itself ends at the same deadline, so the connection closes then too.
_CALLS = ThreadPoolExecutor(max_workers=32, thread_name_prefix="llm-call")


@dataclass
class Attempt:
    """What one request to the endpoint came to."""

    draft: BaseModel | None = None
    problem: str = ""
    reply: str = ""  # what the model wrote, kept in the trace when it was not used
    usage: dict = field(default_factory=dict)
    answered: bool = False  # the endpoint answered: a bad draft is no outage
    final: bool = False  # the same request would fail the same way
    #: The endpoint refused this way of asking: the way to ask instead ("no streaming", or the
    #: next structured-output method). Not an attempt.
    adapt: str | None = None


class _StreamedPieces(BaseCallbackHandler):
    """Counts the pieces of a streamed answer that carry text or a tool call's arguments
    (llama.cpp sends one token a piece; the role and the finish come in empty pieces)."""

    def __init__(self) -> None:
        self.pieces = 0

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        message = getattr(kwargs.get("chunk"), "message", None)
        if token or getattr(message, "tool_call_chunks", None):
            self.pieces += 1

    def usage(self) -> dict:
        """The pieces as token counts, for a stream whose server reported none."""
        return {"output_tokens": self.pieces, "total_tokens": self.pieces} if self.pieces else {}


def _text_of(raw: object) -> str:
    """What the model replied, as text: its content, else the arguments of its tool calls."""
    text = str(getattr(raw, "text", "") or "")
    if not text and getattr(raw, "tool_calls", None):
        text = json.dumps([c.get("args") for c in raw.tool_calls], ensure_ascii=False)
    return text[:ANSWER_KEPT]


def ask_within(
    structured: Any, messages: list, deadline: float, limit: int, counter: _StreamedPieces
) -> Attempt:
    """Send `messages` to the structured runnable (`include_raw=True`); every request ends by
    `deadline` (`time.monotonic()`). `limit` is the token limit the request was sent with;
    `counter` counts the pieces of a streamed answer."""
    with requests_end_by(deadline):
        out = structured.invoke(messages, config={"callbacks": [counter]})
    raw = out["raw"]
    usage = dict(getattr(raw, "usage_metadata", None) or {})
    if not usage.get("output_tokens"):
        usage = counter.usage() or usage
    answer = Attempt(draft=out["parsed"], reply=_text_of(raw), usage=usage, answered=True)
    finish = (getattr(raw, "response_metadata", None) or {}).get("finish_reason")
    if finish == "length":  # a streamed answer cut short: say so, not "invalid JSON"
        answer.draft = None
        answer.problem = f"the answer was cut at the token limit ({limit} tokens)"
    elif out.get("parsing_error") or answer.draft is None:
        answer.draft = None
        answer.problem = f"invalid output: {out.get('parsing_error')}"
    return answer


def answer_in_error(err: Exception, counter: _StreamedPieces) -> tuple[str, dict]:
    """The reply and token counts inside a client error about an answer it received (cut at the
    token limit, filtered): the tokens were spent, and the trace shows what was written. A
    stream cut short carries no counts: its pieces are counted."""
    completion = getattr(err, "completion", None)
    if completion is None or not getattr(completion, "choices", None):
        return "", {}
    text = str(completion.choices[0].message.content or "")[:ANSWER_KEPT]
    usage = getattr(completion, "usage", None)
    if usage is None:
        return text, counter.usage()
    counts = {
        "input_tokens": usage.prompt_tokens,
        "output_tokens": usage.completion_tokens,
        "total_tokens": usage.total_tokens,
    }
    return text, counts


def attempt(
    structured: Any,
    messages: list,
    deadline: float,
    limit: int,
    method: str | None,
    budget_s: float,
) -> Attempt:
    """One request within `deadline`. `method` is the structured-output method in use when the
    endpoint may be adapted to (another is proposed when it refuses this one), else None."""
    out_of_time = f"no answer within the {budget_s:g} s LLM time budget of this analysis"
    left = deadline - time.monotonic()
    counter = _StreamedPieces()
    try:
        # A second's grace: the request's own timeout (the same deadline) ends it first.
        future = _CALLS.submit(ask_within, structured, messages, deadline, limit, counter)
        return future.result(timeout=left + 1.0)
    except FutureTimeout:
        return Attempt(problem=out_of_time)
    except Exception as err:  # any failure of the endpoint is a reason to fall back
        problem = f"{type(err).__name__}: {err}"[:300]
        if streaming_refused(err):
            return Attempt(problem=f"streaming refused: {problem}", adapt="no streaming")
        following = method_refused(err, method) if method else None
        if following is not None:
            return Attempt(problem=f"{method} refused: {problem}", adapt=following)
        if "Timeout" in type(err).__name__ and time.monotonic() >= deadline:
            return Attempt(problem=out_of_time)
        reply, usage = answer_in_error(err, counter)
        tried = Attempt(
            problem=problem,
            reply=reply,
            usage=usage,
            # The endpoint answered, with output the client could not use (cut at the token
            # limit, filtered, unparseable): the model's fault, not an outage.
            answered=type(err).__name__ in _MODEL_OUTPUT_ERRORS,
        )
        if not retryable(err):
            tried.problem += " (not retried: the same request would fail the same way)"
            tried.final = True
        return tried
