"""The offline router's words (`vocabulary.toml`), read once, and how a question is matched
against them."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from importlib import resources

from core.languages import spec

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


def said_in_any_language(question: str, section: str, whole_words: bool = False) -> bool:
    """Does the question use a word of `section` (its words keyed by language code), in any
    language? `whole_words` matches words of a spaced script whole ("them", not "theme")."""
    return any(
        names_any(question, words, whole=whole_words and _spaced(code))
        for code, words in VOCABULARY[section].items()
    )


def _spaced(code: str) -> bool:
    try:
        return spec(code).script == "latin"
    except ValueError:  # words of a language not spoken now: matched as they are
        return False
