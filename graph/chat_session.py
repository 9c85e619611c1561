"""One conversation with the chat graph, as every surface uses it: start or continue a thread,
stream a turn as typed events, read the checked answer, list and reopen earlier threads.

The Ask tab, `crm-agents ask` and (through the app) the chat benchmark go through here; none of
them reads LangGraph's stream modes or its checkpointer. A turn streams as:

- `ToolsStarted`: the assistant chose tools (the message with its calls);
- `ToolsDone`: their results;
- `AnswerTokens`: as much of the answer being written as may be shown before it is checked
  (`agents/chat/preview.py`), each time it grows;
- `AnswerChecked`: last, the answer that passed its checks (or the offline router's that replaced
  it, with the reason), with the whole thread.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from langchain_core.messages import AIMessage, AIMessageChunk, AnyMessage, HumanMessage, ToolMessage
from langgraph.graph.state import CompiledStateGraph
from pydantic import BaseModel

from agents.chat.bounds import kept_question
from agents.chat.preview import AnswerPreview
from agents.chat.turn import this_turn
from core.languages import BASE_LANGUAGE
from core.types import Language


class ToolCallMade(BaseModel):
    name: str
    args: dict


class ChatAnswer(BaseModel):
    """A turn's checked answer and how it came about."""

    answer: str
    tool_calls: list[ToolCallMade]
    thread: str
    language: Language
    backend: str
    fallback: str | None = None


@dataclass(frozen=True)
class ToolsStarted:
    message: AIMessage


@dataclass(frozen=True)
class ToolsDone:
    messages: list[ToolMessage]


@dataclass(frozen=True)
class AnswerTokens:
    shown: str


@dataclass(frozen=True)
class AnswerChecked:
    answer: ChatAnswer
    messages: list[AnyMessage]


ChatEvent = ToolsStarted | ToolsDone | AnswerTokens | AnswerChecked


@dataclass(frozen=True)
class PastThread:
    thread: str
    title: str  # its first question, cut to one line


class ChatSession:
    """One thread of the chat graph, new or continued by its id."""

    def __init__(
        self,
        chat: CompiledStateGraph,
        thread: str | None = None,
        language: Language = BASE_LANGUAGE,
    ) -> None:
        self.chat = chat
        self.thread = thread or uuid.uuid4().hex
        self.language = language  # the answers' language when a question does not ask for one

    @property
    def _config(self) -> dict:
        return {"configurable": {"thread_id": self.thread}}

    def messages(self) -> list[AnyMessage]:
        """The thread as stored: every question, tool step and answer."""
        return list(self.chat.get_state(self._config).values.get("messages", []))

    def first_question(self) -> str | None:
        first = next((m for m in self.messages() if isinstance(m, HumanMessage)), None)
        return None if first is None else first.text

    def stream(
        self, question: str, language: Language | None = None, tokens: bool = True
    ) -> Iterator[ChatEvent]:
        """Answer `question` in this thread, event by event. `language` fixes the answers'
        language (else the question's own, or the session's); without `tokens` the answer
        arrives only checked, whole."""
        asked = HumanMessage(kept_question(question))  # repeats collapsed, length bounded
        thread = [*self.messages(), asked]
        turn: dict = {"messages": [asked], "fallback": None}
        if language is not None:
            turn["language"] = language
        preview = AnswerPreview(thread)
        modes = ["updates", "messages"] if tokens else ["updates"]
        for kind, event in self.chat.stream(turn, self._config, stream_mode=modes):
            if kind == "updates":
                for node, update in event.items():
                    added = update.get("messages", []) if isinstance(update, dict) else []
                    thread.extend(added)
                    yield from _steps(node, added)
                preview = AnswerPreview(thread)
                continue
            token, about = event
            if about.get("langgraph_node") != "assistant" or not isinstance(token, AIMessageChunk):
                continue
            before = preview.shown
            if preview.add(token.text) != before:
                yield AnswerTokens(preview.shown)
        stored = self.messages()
        yield AnswerChecked(self._answer(stored, language), stored)

    def ask(self, question: str, language: Language | None = None) -> ChatAnswer:
        """The checked answer to `question`, whole."""
        for event in self.stream(question, language, tokens=False):
            if isinstance(event, AnswerChecked):
                return event.answer
        raise RuntimeError("the chat ended its turn without an answer")

    def _answer(self, messages: list[AnyMessage], language: Language | None) -> ChatAnswer:
        _, turn = this_turn(messages)
        reply = turn[-1]
        meta = reply.response_metadata
        return ChatAnswer(
            answer=reply.text,
            tool_calls=[
                ToolCallMade(name=call["name"], args=call["args"])
                for m in turn
                if isinstance(m, AIMessage)
                for call in m.tool_calls
            ],
            thread=self.thread,
            language=meta.get("language") or language or self.language,
            backend=meta.get("backend") or meta.get("model_name") or "LLM",
            fallback=meta.get("fallback"),
        )


def _steps(node: str, added: list[AnyMessage]) -> Iterator[ChatEvent]:
    if node == "tools":
        results = [m for m in added if isinstance(m, ToolMessage)]
        if results:
            yield ToolsDone(results)
        return
    for message in added:
        if isinstance(message, AIMessage) and message.tool_calls:
            yield ToolsStarted(message)


def past_threads(chat: CompiledStateGraph, threads: Iterable[str]) -> list[PastThread]:
    """The threads among `threads` that hold a question, each named by its first one."""
    found = []
    for thread in threads:
        first = ChatSession(chat, thread).first_question()
        if first is not None:
            title = first.replace("\n", " ")
            found.append(PastThread(thread, title[:60] + ("…" if len(title) > 60 else "")))
    return found
