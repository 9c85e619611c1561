"""The grounding check: every figure in generated text must be one the tools produced.

A number in the text matches a fact when the fact, rounded to the decimals the text shows,
equals it ("72%" matches a probability of 0.7235 given as the percentage 72.35; "$89.1" matches
89.10). Percentages, money amounts, probabilities and bare numbers are all checked, so an
invented discount or a wrong probability cannot pass. Customer IDs are removed first, because
their digits are an identifier, not a figure. Offer terms: a text about one offer may not name
any other offer of the playbook.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel

from data.schema import CUSTOMER_ID_PATTERN

_ID = re.compile(CUSTOMER_ID_PATTERN.pattern.strip("^$"))
#: A figure as written: whole part (thousands separators allowed), then decimals.
FIGURE = r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"
_NUMBER = re.compile(r"(?<![\w.])" + FIGURE)


def figure_of(match: re.Match) -> tuple[float, int]:
    """(value, decimals shown) of a match whose first two groups are `FIGURE`'s."""
    whole, fraction = match.group(1).replace(",", ""), match.group(2) or ""
    return float(f"{whole}.{fraction or 0}"), len(fraction)


def numbers_in(text: str) -> list[tuple[float, int, str]]:
    """(value, decimals shown, as written) for every number in the text."""
    text = _ID.sub(" ", text)
    return [(*figure_of(match), match.group(0)) for match in _NUMBER.finditer(text)]


def figure_matches(value: float, decimals: int, facts: Iterable[float]) -> bool:
    # Within half a unit of the last shown decimal: what rounding the fact could have produced.
    tolerance = 0.5 * 10.0**-decimals + 1e-9
    return any(abs(fact - value) <= tolerance for fact in facts)


def ungrounded_numbers(text: str, facts: Iterable[float]) -> list[str]:
    facts = list(facts)
    return [
        written for value, d, written in numbers_in(text) if not figure_matches(value, d, facts)
    ]


def text_fields(draft: BaseModel) -> list[str]:
    """Every string inside a draft, nested models and lists included."""
    out: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, BaseModel):
            for item in value.__dict__.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    walk(draft)
    return out


def grounding_problems(
    draft: BaseModel, facts: Iterable[float], forbidden_terms: Iterable[str] = ()
) -> list[str]:
    """What in the draft is not backed by the facts; empty when it is grounded."""
    facts = list(facts)
    problems = []
    for text in text_fields(draft):
        bad = ungrounded_numbers(text, facts)
        if bad:
            problems.append(f"figures not in the tool results: {', '.join(bad)}")
        lowered = text.casefold()
        problems += [
            f"names another offer: {term!r}"
            for term in forbidden_terms
            if term.casefold() in lowered
        ]
    return problems


def fact_numbers(facts: object) -> set[float]:
    """Every number a text about these facts may quote: the values, their magnitudes, and the
    figures inside the fact strings (those strings were written by code from the data)."""
    found: set[float] = set()

    def walk(value: object) -> None:
        if isinstance(value, bool):
            return
        if isinstance(value, int | float):
            found.update({float(value), abs(float(value))})
        elif isinstance(value, str):
            found.update(v for v, _, _ in numbers_in(value))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(facts)
    return found
