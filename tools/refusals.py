"""Requests the tools refuse, in words of any language.

A refusal carries its phrase key and values, so each surface words it in its user's language
(the offline router, the app, the CLI); `str()` is the English (logs, the LLM). To an LLM a
refusal is a JSON object: the English `error` and the `phrase` with its `values`.
"""

from __future__ import annotations

import json

from core.i18n import Phrase, WordedError
from core.types import Language


class Refusal(WordedError):
    def __init__(self, key: str, **values: object) -> None:
        self.key, self.values = key, values
        super().__init__(Phrase(key, values))

    def as_payload(self) -> str:
        return json.dumps(
            {"error": str(self), "phrase": self.key, "values": self.values}, ensure_ascii=False
        )


def refusal_words(payload: str, language: Language) -> str:
    """A tool's error payload in `language` (a refusal), or the payload as it came."""
    try:
        found = json.loads(payload)
        refusal = Refusal(found["phrase"], **found["values"])
    except (json.JSONDecodeError, KeyError, TypeError):
        return payload
    return refusal.words(language)
