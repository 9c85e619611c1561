"""Checks of LLM text beyond its numbers: not empty, no template or role markup, in the
language asked for, not an echo of the question, and a risk level that is the customer's own.
Every LLM draft and chat answer passes these before it is used; a failure falls back to the
offline writer with the reason in the trace."""

from __future__ import annotations

import re

from pydantic import BaseModel

from agents.checks.grounding import text_fields
from core.languages import spec
from core.types import Language

#: Chat-template and role markers small models leak into their text.
_MARKUP = re.compile(
    r"<</?SYS>>|\[/?INST\]|<\|[a-z_]+\|>|</?start_of_turn>|</?end_of_turn>|<bos>|<eos>|\{\{|\}\}",
    re.IGNORECASE,
)
_LETTERS = re.compile(r"[A-Za-zÀ-ɏ\u4e00-\u9fff]")
RISK_WORDS: dict[str, tuple[str, ...]] = {
    "high": ("high risk", "high-risk", "高風險", "風險高"),
    "medium": ("medium risk", "medium-risk", "moderate risk", "中風險", "風險中等"),
    "low": ("low risk", "low-risk", "低風險", "風險低"),
}


def _squeezed(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def leaked_markup(text: str) -> str | None:
    """The first chat-template or role marker in `text`, if any."""
    found = _MARKUP.search(text)
    return found.group(0) if found else None


def text_problems(text: str, language: Language, question: str | None = None) -> list[str]:
    """What is wrong with one piece of LLM text, if anything."""
    if not text.strip():
        return ["empty text"]
    problems = []
    markup = leaked_markup(text)
    if markup:
        problems.append(f"template markup {markup!r}")
    letters = _LETTERS.findall(text)
    own_letter = spec(language).letters()
    own = sum(1 for c in letters if own_letter.match(c))
    if letters and own / len(letters) < 0.3:  # a word or a name in other letters is fine
        problems.append(f"not written in {spec(language).name}")
    if question is not None and _squeezed(text) == _squeezed(question):
        problems.append("repeats the question")
    return problems


def draft_problems(draft: BaseModel, language: Language) -> list[str]:
    """`text_problems` of every text field of a draft, each named once."""
    found: list[str] = []
    for text in text_fields(draft):
        for problem in text_problems(text, language):
            if problem not in found:
                found.append(problem)
    return found


def risk_word_problems(draft: BaseModel, risk_level: str) -> list[str]:
    """A risk level named in the text that is not the customer's."""
    text = " ".join(text_fields(draft)).casefold()
    wrong = [
        level
        for level, words in RISK_WORDS.items()
        if level != risk_level and any(w in text for w in words)
    ]
    return [f"calls the customer {level} risk; the model says {risk_level}" for level in wrong]
