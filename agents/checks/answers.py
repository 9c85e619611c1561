"""A chat answer checked as strictly as an analysis draft: each customer it names is one this
turn's tools (or the question) were about, each figure said of a customer is that customer's,
each risk level said of a customer is the model's, durations written in words count as
figures, and reasons come with a tool result behind them.

Run on hand-written answers, the earlier checks accepted an answer about 9497-QCMMS quoting
7590-VHVEG's figures, "7216-EWTRS is low risk" for a high-risk customer, "two years" for a
tenure of 2 months, and reasons with no tool call behind them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from agents.checks.drafts import RISK_WORDS
from agents.checks.grounding import figure_matches, numbers_in

_ID = re.compile(r"(?<![\w-])[0-9]{3,5}-[A-Za-z0-9]{1,8}(?![\w-])")
#: A sentence ends at . ! ? before a space or the end (not a decimal point), or at 。！？ or a line.
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|[。！？\n]")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
#: Number words a duration may be written in, and their value.
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24,
    "一": 1, "兩": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "十": 10, "十一": 11, "十二": 12,
}  # fmt: skip
_WORDED_DURATION = re.compile(
    r"\b(" + "|".join(k for k in _NUMBER_WORDS if k.isascii()) + r")\s+(months?|years?)\b"
    r"|("
    + "|".join(sorted((k for k in _NUMBER_WORDS if not k.isascii()), key=len, reverse=True))
    + r")\s*(個月|年)",
    re.IGNORECASE,
)
_REASON_MARKERS = (
    "because",
    "due to",
    "driven by",
    "the reason",
    "reasons",
    "因為",
    "由於",
    "原因",
)

ToolResult = tuple[str, dict, Any]


def with_durations_in_digits(text: str) -> str:
    """ "two years" → "2 years", 兩年 → 2年: so the claim checks read them as figures."""

    def digits(match: re.Match) -> str:
        word, unit = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
        return f"{_NUMBER_WORDS[word.casefold() if word.isascii() else word]} {unit}"

    return _WORDED_DURATION.sub(digits, text)


def _text(payload: Any) -> str:
    return payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)


def _by_customer(results: Iterable[ToolResult]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for _, args, payload in results:
        customer = args.get("customer_id")
        if customer:
            found.setdefault(str(customer).upper(), []).append(payload)
    return found


#: The keys whose values a percentage may quote (probabilities, chances, rates, shares).
_PERCENT_KEYS = ("probab", "churn_within", "rate", "share", "reduction", "chance", "low", "high")


def _percent_facts(payload: Any) -> set[float]:
    """The figures of a payload a percentage may quote, as fractions and as percentages."""
    if not isinstance(payload, dict | list):
        found = {v for v, _, _ in numbers_in(_text(payload))}
        return found | {v * 100 for v in found if 0 <= v <= 1}
    found: set[float] = set()

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for item in value:
                walk(item, key)
        elif (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and any(mark in key for mark in _PERCENT_KEYS)
        ):
            found.update({float(value), float(value) * 100})

    walk(payload)
    return found


def _risk_of(payloads: list[Any]) -> str | None:
    for payload in payloads:
        if isinstance(payload, dict):
            level = payload.get("risk_level") or (payload.get("risk") or {}).get("risk_level")
            if level:
                return str(level)
    return None


def answer_problems(answer: str, question: str, results: list[ToolResult]) -> list[str]:
    """What in a chat answer the question and this turn's tool results do not back."""
    problems: list[str] = []
    seen = question + " " + " ".join(_text(p) for _, _, p in results)
    known = {c.upper() for c in _ID.findall(seen)}
    known |= {str(a.get("customer_id", "")).upper() for _, a, _ in results}
    named = list(dict.fromkeys(c.upper() for c in _ID.findall(answer)))
    strangers = [c for c in named if c not in known]
    if strangers:
        problems.append(f"names {', '.join(strangers)}, whom no tool result of this turn is about")
    own = _by_customer(results)
    for sentence in _SENTENCE_END.split(answer):
        ids = {c.upper() for c in _ID.findall(sentence)}
        if len(ids) != 1:
            continue
        (customer,) = ids
        payloads = own.get(customer)
        if not payloads:
            continue
        facts = {v for p in payloads for v in _percent_facts(p)}
        for figure in _PERCENT.findall(sentence):
            value = float(figure)
            decimals = len(figure.partition(".")[2])
            if not figure_matches(value, decimals, facts):
                problems.append(f"gives {customer} {figure}%, which is not {customer}'s figure")
        level = _risk_of(payloads)
        lowered = sentence.casefold()
        for said, words in RISK_WORDS.items():
            if level and said != level and any(w in lowered for w in words):
                problems.append(f"calls {customer} {said} risk; the model says {level}")
    if not results and any(m in answer.casefold() for m in _REASON_MARKERS):
        problems.append("gives reasons with no tool result behind them this turn")
    return problems
