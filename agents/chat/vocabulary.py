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


def _skill_words() -> dict[str, dict]:
    """Each skill's words, read from its folder (`skills/<skill>/words.toml`), by intent kind."""
    found: dict[str, dict] = {}
    for folder in sorted((resources.files("agents.chat") / "skills").iterdir(), key=str):
        words = folder / "words.toml"
        if words.is_file():
            for kind, table in tomllib.loads(words.read_text(encoding="utf-8")).items():
                if kind in VOCABULARY or kind in found:
                    raise ValueError(f"the words of {kind!r} are given twice")
                found[kind] = table
    return found


SKILL_WORDS: dict[str, dict] = _skill_words()
# A skill's words are matched like the shared grammar's (by language code).
VOCABULARY.update(
    {
        kind: {k: v for k, v in table.items() if k != "priority"}
        for kind, table in SKILL_WORDS.items()
    }
)
_PUNCTUATION = re.compile(r"[^\w\s-]")


def padded(question: str) -> str:
    """Lower case, punctuation as spaces, a space at each end (so " male" is a whole word)."""
    return " " + _PUNCTUATION.sub(" ", question.casefold()) + " "


def names_any(question: str, words: Iterable[str], whole: bool = False) -> bool:
    """Does the question hold one of `words` (as whole words when `whole`)? A word with "…"
    matches its parts in that order with anything between (面臨風險…營收: 面臨風險的月營收)."""
    text = padded(question)
    return any(_in_order(text, w.split("…"), whole) for w in words)


def _in_order(text: str, parts: list[str], whole: bool) -> bool:
    at = 0
    for part in parts:
        found = text.find(f" {part} " if whole else part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


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


def keyword_skills() -> list[tuple[str, tuple[str, ...]]]:
    """(kind, words in every language) of the skills a question's words choose, the lowest
    priority first: the first whose words a question holds is its kind."""
    ranked = sorted((t["priority"], kind) for kind, t in SKILL_WORDS.items() if "priority" in t)
    return [
        (kind, tuple(w for code, ws in VOCABULARY[kind].items() for w in ws)) for _, kind in ranked
    ]
