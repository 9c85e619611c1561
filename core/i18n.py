"""Every word a user reads, in every language: one catalogue and `t(key, lang, **values)`.

The phrases are data, one TOML file per language in `core/locales/`, named by the language's
code (`core/locales/languages.toml` declares the languages), with the same keys in each.
Tables nest: `[reason.title] Contract = "…"` is the key `reason.title.Contract`.
`{placeholders}` follow `str.format`; values a phrase does not use are ignored, so a caller may
pass the same values to every language's wording.

The catalogue is checked when it loads: a key missing in one language, or a placeholder one
language uses and another does not, stops the product at start-up with the key named.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType

from core.languages import BASE_LANGUAGE, LanguageSpec, declare, languages, undeclare
from core.types import Language

Catalogue = Mapping[Language, Mapping[str, str]]


class PhraseError(KeyError):
    """A phrase that does not exist, or that was asked for without the values it needs."""

    def __str__(self) -> str:  # KeyError would print the message in quotes
        return str(self.args[0])


def _flatten(table: Mapping[str, object], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            flat |= _flatten(value, f"{key}.")
        elif isinstance(value, str):
            flat[key] = value
        else:
            raise PhraseError(f"phrase {key!r} is {type(value).__name__}; a phrase is a string")
    return flat


def read_locale(text: str) -> dict[str, str]:
    """One language's phrases from the text of its TOML file."""
    return _flatten(tomllib.loads(text))


def placeholders(phrase: str) -> set[str]:
    return {
        field.split(".")[0].split("[")[0]
        for _, field, _, _ in string.Formatter().parse(phrase)
        if field
    }


def problems(catalogue: Catalogue) -> list[str]:
    """What makes a catalogue unusable: a key one language lacks, or placeholders that differ."""
    found: list[str] = []
    every_key = sorted(set().union(*(set(phrases) for phrases in catalogue.values())))
    for key in every_key:
        missing = [lang for lang, phrases in catalogue.items() if key not in phrases]
        if missing:
            found.append(f"{key!r} is missing in {', '.join(missing)}")
            continue
        fields = {lang: placeholders(phrases[key]) for lang, phrases in catalogue.items()}
        if len({frozenset(f) for f in fields.values()}) > 1:
            shown = "; ".join(f"{lang}: {sorted(f)}" for lang, f in fields.items())
            found.append(f"{key!r} uses different placeholders ({shown})")
    return found


def _load() -> dict[Language, Mapping[str, str]]:
    folder = resources.files("core") / "locales"
    catalogue = {
        lang: MappingProxyType(read_locale((folder / f"{lang}.toml").read_text(encoding="utf-8")))
        for lang in languages()
    }
    found = problems(catalogue)
    if found:
        raise PhraseError("the phrase catalogue core/locales is inconsistent: " + "; ".join(found))
    return catalogue


#: Read once at import: the phrases ship with the code. A language added while the product runs
#: (`add_language`) joins it; no phrase ever changes.
CATALOGUE: Catalogue = _load()


def add_language(
    language: LanguageSpec, phrases: Mapping[str, str], names: Mapping[str, str]
) -> None:
    """Speak `language` from now on, in `phrases` (every key of the catalogue, with the same
    placeholders). `names` is the new language's name in each language, its own included (the
    language switch and the SMS count name it). Refused, naming the problems, when they do not
    fit; nothing changes then."""
    key = f"language.{language.code}"
    missing = [lang for lang in (*CATALOGUE, language.code) if lang not in names]
    if missing:
        raise PhraseError(f"{key!r} is missing in {', '.join(missing)}")
    grown: dict[Language, Mapping[str, str]] = {
        lang: MappingProxyType({**known, key: names[lang]}) for lang, known in CATALOGUE.items()
    }
    grown[language.code] = MappingProxyType({**phrases, key: names[language.code]})
    found = problems(grown)
    if found:
        raise PhraseError(f"the phrases of {language.code!r} do not fit: " + "; ".join(found[:5]))
    CATALOGUE.update(grown)  # type: ignore[attr-defined]
    declare(language)


def remove_language(code: str) -> None:
    """Stop speaking a language `add_language` added (its name leaves every language too)."""
    undeclare(code)
    key = f"language.{code}"
    CATALOGUE.pop(code, None)  # type: ignore[attr-defined]
    for lang, known in list(CATALOGUE.items()):
        CATALOGUE[lang] = MappingProxyType({k: v for k, v in known.items() if k != key})  # type: ignore[index]


def t(key: str, lang: Language, **values: object) -> str:
    """The phrase `key` in `lang`, its placeholders filled from `values`."""
    try:
        phrase = CATALOGUE[lang][key]
    except KeyError:
        raise PhraseError(
            f"no phrase {key!r} in language {lang!r}; languages: {', '.join(languages())}"
        ) from None
    try:
        return phrase.format(**values)
    except (KeyError, IndexError) as err:
        raise PhraseError(f"phrase {key!r} needs the value {err}") from None


def has(key: str, lang: Language = BASE_LANGUAGE) -> bool:
    return key in CATALOGUE[lang]


def first(keys: Iterable[str], lang: Language, **values: object) -> str:
    """The first of `keys` the catalogue has (a specific wording before a general one)."""
    keys = list(keys)
    for key in keys:
        if key in CATALOGUE[lang]:
            return t(key, lang, **values)
    raise PhraseError(f"none of the phrases {keys} exists in language {lang!r}")


def section(prefix: str, lang: Language) -> dict[str, str]:
    """Every phrase under `prefix.`, by the rest of its key (e.g. the UI's labels for Gradio)."""
    start = f"{prefix}."
    return {k[len(start) :]: v for k, v in CATALOGUE[lang].items() if k.startswith(start)}


@dataclass(frozen=True)
class Phrase:
    """Words to be said later in whichever language the reader speaks: a catalogue key and its
    values. A value may itself be a phrase, or a list (joined as the reader's language joins
    lists); `str()` is the base language's wording (logs, tests, an LLM)."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)

    def words(self, lang: Language) -> str:
        return t(self.key, lang, **{k: worded(v, lang) for k, v in self.values.items()})

    def __str__(self) -> str:
        return self.words(BASE_LANGUAGE)


def worded(value: object, lang: Language) -> object:
    """A phrase's value in `lang`: a phrase (or its `{"phrase", "values"}` form, as JSON carries
    it) worded, a function of the language (e.g. a data origin's `describe`) called, a list
    joined; anything else as it is."""
    if isinstance(value, Phrase):
        return value.words(lang)
    if callable(value):
        return value(lang)
    if isinstance(value, list | tuple):
        return t("list.separator", lang).join(str(worded(v, lang)) for v in value)
    if isinstance(value, Mapping) and "phrase" in value:
        return t(
            value["phrase"],
            lang,
            **{k: worded(v, lang) for k, v in value.get("values", {}).items()},
        )
    return value


class WordedError(Exception):
    """An error a person reads, worded in their language where it is shown (`words`); `str()`
    is the base language's wording."""

    def __init__(self, phrase: Phrase) -> None:
        self.phrase = phrase
        super().__init__(str(phrase))

    def words(self, lang: Language) -> str:
        return self.phrase.words(lang)


def error_words(err: Exception, lang: Language) -> str:
    """An error in the reader's language when it carries its phrase (`words`), else as it was
    raised."""
    words = getattr(err, "words", None)
    return words(lang) if callable(words) else str(err)
