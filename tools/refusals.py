"""Requests the tools refuse, in words of any language.

A refusal carries its phrase key and values, so each surface words it in its user's language
(the offline router, the app, the CLI); `str()` is the English (logs, the LLM). To an LLM a
refusal is a JSON object: the English `error` and the `phrase` with its `values`.
"""

from __future__ import annotations

import json

from core.i18n import t
from core.languages import BASE_LANGUAGE
from core.types import Language


def _worded(value: object, language: Language) -> object:
    if isinstance(value, list):
        return t("list.separator", language).join(str(_worded(v, language)) for v in value)
    if isinstance(value, dict) and "phrase" in value:
        return t(value["phrase"], language, **value.get("values", {}))
    return value


class Refusal(Exception):
    def __init__(self, key: str, **values: object) -> None:
        self.key, self.values = key, values
        super().__init__(self.words(BASE_LANGUAGE))

    def words(self, language: Language) -> str:
        """The refusal in `language`: lists of values joined as that language joins them, a
        value that is itself a phrase (`{"phrase", "values"}`) worded too."""
        return t(self.key, language, **{k: _worded(v, language) for k, v in self.values.items()})

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
