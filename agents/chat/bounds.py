"""How much a chat turn may take in and give out. A question is read with its repeated
sentences collapsed, and refused past `MOST_CHARACTERS`; at most `MOST_CUSTOMERS` customers and
`MOST_PARTS` questions are answered from one message, saying so; an LLM's turn may make at
most `MOST_TOOL_CALLS` tool calls; an answer is cut at `MOST_ANSWER_CHARACTERS`, saying where.
A 50,000-character message of one repeated question once got a 1 MB answer (1,563 copies), and
400 IDs in one question made 800 tool calls."""

from __future__ import annotations

import re

from core.i18n import t
from core.types import Language

MOST_CHARACTERS = 2_000
MOST_CUSTOMERS = 10
MOST_PARTS = 4
MOST_TOOL_CALLS = 12
MOST_ANSWER_CHARACTERS = 6_000

_SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？\n]*")


def collapsed(question: str) -> str:
    """The question with each sentence kept once (the first time), spaces evened."""
    seen: set[str] = set()
    kept = []
    for sentence in _SENTENCE.findall(question):
        key = " ".join(sentence.split()).casefold()
        if key and key not in seen:
            seen.add(key)
            kept.append(sentence.strip())
    return " ".join(kept) if kept else question.strip()


def kept_question(question: str) -> str:
    """What a turn stores and reads: collapsed, and no longer than one character past the
    limit (enough for the reply to say it was too long, nothing more kept)."""
    return collapsed(question)[: MOST_CHARACTERS + 1]


def too_long(question: str) -> bool:
    return len(question) > MOST_CHARACTERS


def cut_answer(answer: str, lang: Language) -> str:
    """The answer, cut at the last line break before the limit, saying it was cut."""
    if len(answer) <= MOST_ANSWER_CHARACTERS:
        return answer
    head = answer[:MOST_ANSWER_CHARACTERS]
    head = head[: head.rfind("\n")] if "\n" in head else head
    shown = f"{len(head):,}"
    return head + "\n\n" + t("chat.cut", lang, shown=shown, total=f"{len(answer):,}")
