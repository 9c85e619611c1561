"""The languages the product speaks: declared once (`locales/languages.toml`), and everything
that differs by language derived from that declaration (its phrase file, its SMS alphabet, the
letters its text is written in, the browser languages that choose it).

`BASE_LANGUAGE` is the language of what is written for developers and machines: logs, the notes
a trace keeps beside their phrase key, and the instructions an LLM is given.
A language may also be added while the product runs (`core.i18n.add_language`), with its
phrases: the tests add a pseudo-language that way to prove no word bypasses the catalogue.
"""

from __future__ import annotations

import re
import threading
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Literal

Script = Literal["latin", "han"]
SmsAlphabet = Literal["gsm7", "ucs2"]
#: Characters one SMS segment holds in each alphabet.
SMS_SEGMENT: dict[SmsAlphabet, int] = {"gsm7": 160, "ucs2": 70}
_LETTERS: dict[Script, re.Pattern[str]] = {
    "latin": re.compile(r"[A-Za-zÀ-ɏ]"),
    "han": re.compile(r"[\u4e00-\u9fff]"),
}

BASE_LANGUAGE = "en"


@dataclass(frozen=True)
class LanguageSpec:
    code: str
    name: str  # in English: for reasons and logs written for developers
    script: Script
    sms_alphabet: SmsAlphabet
    browser: tuple[str, ...] = ()
    locale: str = "en_US"  # CLDR locale of its numbers and money (Babel)

    @property
    def sms_limit(self) -> int:
        return SMS_SEGMENT[self.sms_alphabet]

    def letters(self) -> re.Pattern[str]:
        """One letter of this language's script."""
        return _LETTERS[self.script]


def _declared() -> dict[str, LanguageSpec]:
    text = (resources.files("core") / "locales" / "languages.toml").read_text(encoding="utf-8")
    return {
        code: LanguageSpec(
            code,
            entry["name"],
            entry["script"],
            entry["sms_alphabet"],
            tuple(entry.get("browser", ())),
            entry.get("locale", "en_US"),
        )
        for code, entry in tomllib.loads(text).items()
    }


_SPECS: dict[str, LanguageSpec] = _declared()
_DECLARED = frozenset(_SPECS)  # read once: they stay whatever is added while running
_LOCK = threading.Lock()


def languages() -> tuple[str, ...]:
    """Every language code, in the order declared (the first is the default)."""
    return tuple(_SPECS)


def spec(code: str) -> LanguageSpec:
    try:
        return _SPECS[code]
    except KeyError:
        raise ValueError(unknown_language(code)) from None


def unknown_language(code: object) -> str:
    *others, last = _SPECS
    spoken = f"{', '.join(others)} or {last}" if others else last
    return f"language {code!r} is not supported; use {spoken}"


def known_language(code: str) -> str:
    """`code` when the product speaks it; else a `ValueError` naming the languages it does."""
    if code not in _SPECS:
        raise ValueError(unknown_language(code))
    return code


def declare(language: LanguageSpec) -> None:
    """Speak one more language from now on (its phrases go to `core.i18n.add_language`)."""
    with _LOCK:
        _SPECS[language.code] = language


def undeclare(code: str) -> None:
    """Stop speaking a language added while running; the declared ones always stay."""
    if code in _DECLARED:
        raise ValueError(f"language {code!r} is declared in core/locales/languages.toml")
    with _LOCK:
        _SPECS.pop(code, None)


def of_script(script: Script) -> str | None:
    """The first language written in `script` (how a question's own language is told)."""
    return next((code for code, s in _SPECS.items() if s.script == script), None)


def for_browser(navigator_language: str) -> str:
    """The language a browser set to `navigator_language` starts the app in."""
    said = navigator_language.lower()
    for code, language in _SPECS.items():
        if any(said.startswith(prefix.lower()) for prefix in language.browser):
            return code
    return BASE_LANGUAGE
