"""Secrets removed from text by their value, whatever shape they are quoted in.

An upstream error may quote a secret whole, a part of it, or masked (`a1b2********8f90`), with
or without a known prefix such as `sk-`. Every secret the settings hold is cut into its runs of
`RUN` characters: any run of the text that continues one of them for at least `RUN`
characters is removed, and so is a masked form — a piece of a secret's start, a row of `*`,
and a piece of its end. Short secrets (under `RUN` characters) are removed where they occur
whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

#: The shortest part of a secret that counts as quoting it.
RUN = 8
SHOWN = "[secret]"
#: A masked form: something, a row of at least three stars, something.
_MASKED = re.compile(r"([A-Za-z0-9_\-.]{2,})\*{3,}([A-Za-z0-9_\-.]{2,})")


def known_secrets(
    app_auth: str | None,
    api_key: str | None,
    database_url: str | None,
    *others: str | None,
) -> list[str]:
    """The values to remove: the app's login and its password alone, the LLM API key, the
    database URL's password (as written and decoded), and any other secret whole (the webhook
    signing key)."""
    values = [o for o in others if o]
    if app_auth:
        values += [app_auth, app_auth.partition(":")[2]]
    if api_key:
        values.append(api_key)
    if database_url:
        try:
            password = urlsplit(database_url).password
        except ValueError:  # a URL the store refuses later, in words of its own
            password = None
        if password:
            values += [password, unquote(password)]
    return [v for v in values if v]


class Redactor:
    def __init__(self, secrets: Iterable[str]) -> None:
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)
        #: Every run of RUN characters of every secret, with where it sits in which secret.
        self._runs: dict[str, list[tuple[str, int]]] = {}
        for secret in self.secrets:
            for start in range(len(secret) - RUN + 1):
                self._runs.setdefault(secret[start : start + RUN], []).append((secret, start))

    def __call__(self, text: str) -> str:
        if not self.secrets or not text:
            return text
        for secret in self.secrets:  # whole, also the short ones
            text = text.replace(secret, SHOWN)
        spans = self._quoted(text) + self._masked(text)
        for start, end in sorted(_merged(spans), reverse=True):
            text = text[:start] + SHOWN + text[end:]
        return text

    def _quoted(self, text: str) -> list[tuple[int, int]]:
        """Where the text continues a secret for RUN characters or more."""
        spans, i = [], 0
        while i <= len(text) - RUN:
            found = self._runs.get(text[i : i + RUN])
            if not found:
                i += 1
                continue
            end = max(_extend(text, i, secret, offset) for secret, offset in found)
            spans.append((i, end))
            i = end
        return spans

    def _masked(self, text: str) -> list[tuple[int, int]]:
        """A secret shown as its start, stars and its end (`sk-li****6789`)."""
        spans = []
        for match in _MASKED.finditer(text):
            head, tail = match.group(1), match.group(2)
            for secret in self.secrets:
                if _ends_with_part_of(head, secret, start=True) and _ends_with_part_of(
                    tail, secret, start=False
                ):
                    spans.append(match.span())
                    break
        return spans


def _extend(text: str, at: int, secret: str, offset: int) -> int:
    """How far the text goes on matching `secret` from its `offset`, starting at `at`."""
    length = 0
    while (
        at + length < len(text)
        and offset + length < len(secret)
        and text[at + length] == secret[offset + length]
    ):
        length += 1
    return at + length


def _ends_with_part_of(piece: str, secret: str, *, start: bool) -> bool:
    """For a masked head: its last 2+ characters are the secret's first ones; for a masked
    tail: its first 2+ characters are the secret's last ones (a masked key keeps at least
    two at each end)."""
    for size in range(min(len(piece), len(secret) - 1), 1, -1):
        if start and secret.startswith(piece[-size:]):
            return True
        if not start and secret.endswith(piece[:size]):
            return True
    return False


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
