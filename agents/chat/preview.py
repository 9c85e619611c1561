"""What of an LLM answer being streamed may be shown before the answer is checked.

Tokens are shown as they come only while what they say could still pass: every figure is one
this turn's tools produced (or the question holds) and no template markup has leaked. Text is
shown up to its last complete figure or tag, so a number is judged whole ("12" of "120" is not
shown on its own). Once something fails, the preview stops growing; when the turn ends the
checked answer, or the offline answer that replaced it with the reason, takes its place.
"""

from __future__ import annotations

import re

from langchain_core.messages import AnyMessage

from agents.chat.turn import TurnFacts
from agents.checks.drafts import leaked_markup

#: A figure or a tag that may still be growing at the end of the streamed text.
_UNFINISHED = re.compile(r"(?:[-+]?\d[\d.,]*%?|<[^>\s]*>?|\[[^\]\s]*|\{)$")


class AnswerPreview:
    def __init__(self, messages: list[AnyMessage]) -> None:
        """`messages`: the thread so far, this turn's question and tool results included (read
        once here, not on every token)."""
        self._facts = TurnFacts(messages)
        self._streamed = ""
        self.shown = ""
        self.held = False

    def add(self, token: str) -> str:
        """Take one more streamed token; returns the text that may be shown now."""
        self._streamed += token
        if self.held:
            return self.shown
        candidate = _UNFINISHED.sub("", self._streamed)
        if leaked_markup(candidate) or self._facts.problems(candidate):
            self.held = True
        else:
            self.shown = candidate
        return self.shown
