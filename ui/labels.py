"""The page's fixed words, worded again when the language switch changes.

Each tab builds its components through `Labels.make`, naming the phrase of every property that
shows words (a label, a button's value, a placeholder, a dropdown's choices). The switch's one
handler returns every registered component with those properties in the new language; Gradio
updates only the properties returned. What a handler produced (results, tables, charts) is
worded again by that tab's own handler, which takes the language as an input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from core.i18n import t
from core.types import Language

#: A phrase key of the catalogue, or a function of the language for words built from several.
Phrase = str | Callable[[Language], Any]
Component = TypeVar("Component")


class Labels:
    def __init__(self, language: Language) -> None:
        self.language = language
        self._entries: list[tuple[Any, dict[str, Phrase]]] = []

    @staticmethod
    def word(phrase: Phrase, language: Language) -> Any:
        return phrase(language) if callable(phrase) else t(phrase, language)

    def make(self, kind: Callable[..., Component], /, **arguments: Any) -> Component:
        """`kind(**arguments)` in the page's first language, with every argument given as a
        `Words(phrase)` worded now and again on each switch."""
        phrases = {name: a.phrase for name, a in arguments.items() if isinstance(a, Words)}
        worded = {name: self.word(p, self.language) for name, p in phrases.items()}
        component = kind(**{**arguments, **worded})
        self._entries.append((component, phrases))
        return component

    @property
    def components(self) -> list[Any]:
        return [component for component, _ in self._entries]

    def updates(self, language: Language) -> list[Any]:
        """Every registered component with its words in `language` (nothing else changed)."""
        return [
            type(component)(**{name: self.word(p, language) for name, p in phrases.items()})
            for component, phrases in self._entries
        ]


class Words:
    """An argument of `Labels.make` that is words: a phrase key or a function of the language."""

    __slots__ = ("phrase",)

    def __init__(self, phrase: Phrase) -> None:
        self.phrase = phrase
