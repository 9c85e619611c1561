"""Figures tied to what they claim: a number written with a unit must be a fact of that kind.

The grounding check (`checks/grounding.py`) asks only whether a number appears somewhere in the
facts, so "using the service for 12 months" passed for a customer of 2 months because 12 was an
unrelated figure. Here a number followed by "months"/"個月" must be a duration of the facts (a
tenure, an offer's length, a horizon), "years"/"年" such a duration in years, "%" a probability
or rate, and "$"/"NT$"/"元" an amount of money. Kinds come from the facts' key names and from the
units in the code-written strings among them.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from agents.checks.grounding import FIGURE as _FIGURE
from agents.checks.grounding import figure_matches, figure_of, text_fields

#: Kind → how a number of that kind is written (the figure is the first two groups).
_WRITTEN: dict[str, tuple[re.Pattern, ...]] = {
    "months": (re.compile(_FIGURE + r"\s*(?:-\s*)?(?:months?\b|mos?\b|個月)", re.I),),
    "years": (re.compile(_FIGURE + r"\s*(?:-\s*)?(?:years?\b|yrs?\b|年(?!\d|月|度))", re.I),),
    "percent": (re.compile(_FIGURE + r"\s*(?:%|percent\b|個百分點)", re.I),),
    "money": (
        re.compile(r"(?:NT|US)?\$\s*" + _FIGURE),
        re.compile(_FIGURE + r"\s*(?:元|dollars?\b)", re.I),
    ),
}
#: Kind → the fact keys that hold a figure of that kind.
_KEYS = {
    "months": re.compile(r"tenure|month(?!ly)|duration|horizon", re.I),
    "percent": re.compile(r"probab|percent|pct|rate|share|churn", re.I),
    "money": re.compile(r"charge|cost|value|revenue|price|amount|clv|budget|margin|spend", re.I),
}
#: Words that make a duration near them the customer's tenure.
_TENURE_WORDS = re.compile(
    r"tenure|as (?:a|our) customer|with us|been (?:a customer|with)|customer (?:for|of)|"
    r"using (?:the |our )?service|subscribed|stayed|joined|已使用|使用了|在網|成為客戶|加入|年資|"
    r"客戶已|往來",
    re.I,
)
_CLAUSE_END = re.compile(r"[,，、.。;；!！?？()（）\n]")
#: "a 2-year customer", 「兩年的客戶」: the duration says how long they have been a customer.
_CUSTOMER_AFTER = re.compile(r"^\s*(?:-\s*)?(?:old\s+)?customer|^的?(?:老)?客戶", re.I)
_CONTRACT_MONTHS = {"one year": 12, "two year": 24, "一年": 12, "兩年": 24, "二年": 24}


def _about_tenure(text: str, match: re.Match) -> bool:
    """Whether the clause around a duration says it is how long the customer has stayed."""
    before = _CLAUSE_END.split(text[max(0, match.start() - 40) : match.start()])[-1]
    after = _CLAUSE_END.split(text[match.end() : match.end() + 25])[0]
    return bool(
        _TENURE_WORDS.search(before) or _TENURE_WORDS.search(after) or _CUSTOMER_AFTER.match(after)
    )


def claims_in(text: str) -> list[tuple[str, float, int, str]]:
    """(kind, value, decimals shown, as written) for every number written with a unit."""
    text = re.sub(r"\b(?:19|20)\d\d\s*年", " ", text)  # a calendar year is not a duration
    found = []
    for kind, patterns in _WRITTEN.items():
        for pattern in patterns:
            for match in pattern.finditer(text):
                claimed = kind
                if kind in ("months", "years") and _about_tenure(text, match):
                    claimed = f"tenure {kind}"
                found.append((claimed, *figure_of(match), match.group(0).strip()))
    return found


def facts_by_kind(facts: object) -> dict[str, set[float]]:
    """The figures of each kind a text about these facts may claim."""
    kinds: dict[str, set[float]] = {
        kind: set() for kind in [*_WRITTEN, "tenure months", "tenure years"]
    }

    def add(kind: str, value: float) -> None:
        value = abs(value)
        if kind.endswith("years"):
            kind, value = kind.replace("years", "months"), value * 12
        kinds[kind].add(value)
        if kind == "percent" and value <= 1:  # fractions are quoted as percentages
            kinds[kind].add(value * 100)
        if kind == "tenure months":  # a tenure is a duration too
            kinds["months"].add(value)
            kinds["years"].add(value / 12)
        if kind.endswith("months"):
            kinds[kind.replace("months", "years")].add(value / 12)

    def walk(value: object, key: str) -> None:
        if isinstance(value, bool):
            return
        if isinstance(value, int | float):
            for kind, pattern in _KEYS.items():
                if pattern.search(key):
                    add(kind, float(value))
            if re.search(r"tenure", key, re.I):
                add("tenure months", float(value))
        elif isinstance(value, str):
            for kind, number, _, _ in claims_in(value):
                add(kind, number)
            lowered = value.casefold()
            for words, months in _CONTRACT_MONTHS.items():
                if words in lowered:
                    add("months", months)
        elif isinstance(value, dict):
            for name, item in value.items():
                walk(item, f"{key}.{name}")
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item, key)

    walk(facts, "")
    return kinds


_WHAT = {
    "tenure months": "the customer's tenure",
    "tenure years": "the customer's tenure",
    "months": "a duration",
    "years": "a duration",
    "percent": "a percentage",
    "money": "an amount of money",
}


def claim_problems_in(text: str, kinds: dict[str, set[float]]) -> list[str]:
    """Each number in `text` whose unit claims a kind of fact it is not."""
    return [
        f"{written!r} is not {_WHAT[kind]} in the tool results"
        for kind, value, decimals, written in claims_in(text)
        if not figure_matches(value, decimals, kinds.get(kind, ()))
    ]


def claim_problems(draft: BaseModel, facts: object) -> list[str]:
    """`claim_problems_in` over every text of a draft, each problem named once."""
    kinds = facts_by_kind(facts)
    found: list[str] = []
    for text in text_fields(draft):
        for problem in claim_problems_in(text, kinds):
            if problem not in found:
                found.append(problem)
    return found
