"""The offline router's words (`vocabulary.toml`), read once, and how a question is matched
against them."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from importlib import resources

VOCABULARY: dict = tomllib.loads(
    (resources.files("agents.chat") / "vocabulary.toml").read_text(encoding="utf-8")
)
_PUNCTUATION = re.compile(r"[^\w\s-]")


def padded(question: str) -> str:
    """Lower case, punctuation as spaces, a space at each end (so " male" is a whole word)."""
    return " " + _PUNCTUATION.sub(" ", question.casefold()) + " "


def names_any(question: str, words: Iterable[str], whole: bool = False) -> bool:
    """Does the question hold one of `words` (as whole words when `whole`)?"""
    text = padded(question)
    return any((f" {w} " if whole else w) in text for w in words)


def first_named(question: str, table: dict[str, list[str]]) -> str | None:
    """The first key of `table` whose words the question holds."""
    return next((key for key, words in table.items() if names_any(question, words)), None)
