"""The offline chat's intent router: a question in English or Chinese → the tool calls that
answer it. Deterministic, so the offline chat makes exactly the calls an LLM would be expected
to make, and the same question always gets the same answer.
"""

from __future__ import annotations

import re
from dataclasses import replace

from agents.chat.bounds import MOST_CUSTOMERS, MOST_PARTS
from agents.chat.intent import Intent, IntentKind
from agents.chat.queries import (
    MAX_LISTED,
    filters_in,
    group_in,
    measures_in,
    query_arguments,
    requested_count,
    view_of,
)
from agents.chat.requests import what_it_asks
from agents.chat.skills import SKILLS
from agents.chat.vocabulary import keyword_skills, names_any, said_in_any_language
from core.languages import BASE_LANGUAGE, of_script, spec
from core.types import Language
from models.segments import RiskLevel, ValueTier

# Loose on purpose: a mistyped ID should reach the tool and get its clear error and suggestions.
CUSTOMER_ID = re.compile(r"(?<![\w-])(\d{3,5}-[A-Za-z0-9]{1,8})(?![\w-])")
#: An ID typed without its dash (7590VHVEG): letters and digits mixed, 8–12 long. The tool
#: answers it with the closest stored IDs.
_UNDASHED_ID = re.compile(r"(?<![\w-])(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]{8,12}(?![\w-])")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[A-Za-z]{2,}")

#: Each skill's words, the skill that comes first winning (`skills/*/words.toml`).
_KEYWORDS: list[tuple[IntentKind, tuple[str, ...]]] = keyword_skills()

#: A question that opens with a condition is a what-if when it names a change
#: ("If 7590-VHVEG switched to automatic payment, how would their risk change?").
_CONDITION = re.compile(r"^\W*(?:if|suppose|supposing|assuming|say)\b")
_TOP_ZH = re.compile(r"前\s*\d+|\d+\s*(名|位|個)")

_CHANGES: list[tuple[tuple[str, ...], dict[str, str]]] = [
    (("two-year", "two year", "2-year", "2 year", "兩年", "二年"), {"Contract": "Two year"}),
    (("one-year", "one year", "1-year", "1 year", "annual", "一年"), {"Contract": "One year"}),
    (
        ("auto-pay", "autopay", "auto pay", "automatic", "credit card", "自動扣", "自動轉帳"),
        {"PaymentMethod": "Credit card (automatic)"},
    ),
    (("tech support", "technical support", "技術支援", "技術支持"), {"TechSupport": "Yes"}),
    (("online security", "security", "網路安全", "資安"), {"OnlineSecurity": "Yes"}),
    (("online backup", "backup", "備份"), {"OnlineBackup": "Yes"}),
    (("device protection", "裝置保護"), {"DeviceProtection": "Yes"}),
    (("dsl",), {"InternetService": "DSL"}),
]

_TIERS: list[tuple[tuple[str, ...], ValueTier]] = [
    (("high-value", "high value", "高價值"), "high"),
    (("mid-value", "mid value", "medium-value", "medium value", "中價值"), "mid"),
    (("low-value", "low value", "低價值"), "low"),
]
_RISKS: list[tuple[tuple[str, ...], RiskLevel]] = [
    (("high-risk", "high risk", "高風險"), "high"),
    (("medium-risk", "medium risk", "中風險"), "medium"),
]


def _has(text: str, words: tuple[str, ...]) -> bool:
    """Does `text` hold one of `words` ("…" in a word: its parts in that order)?"""
    return any(names_any(text, (w,)) if "…" in w else w in text for w in words)


def _said(question: str, section: str) -> bool:
    """Does the question use one of the words of a vocabulary section (in any language)?"""
    return said_in_any_language(question, section)


def named_customers(question: str) -> tuple[str, ...]:
    """Every customer ID the question names, once each, in order (undashed ones when none is
    dashed)."""
    ids = tuple(dict.fromkeys(m.upper() for m in CUSTOMER_ID.findall(question)))
    return ids or tuple(dict.fromkeys(m.upper() for m in _UNDASHED_ID.findall(question)))


def _changes(text: str) -> dict[str, str]:
    """The feature changes a what-if names (the first of each feature)."""
    changes: dict[str, str] = {}
    for words, change in _CHANGES:
        if _has(text, words) and not set(change) & set(changes):
            changes.update(change)
    return changes


def language_of(text: str, default: Language) -> Language:
    """The question's own language, as far as its letters tell: `default` when they are
    `default`'s script (or say nothing: a bare ID), else the first language written in them
    (Chinese characters in an English page: Traditional Chinese)."""
    if _CJK.search(text):
        script = "han"
    elif len(_WORD.findall(CUSTOMER_ID.sub(" ", text))) >= 2:
        script = "latin"
    else:
        return default
    if spec(default).script == script:
        return default
    return of_script(script) or default


def parse(
    question: str, default_language: Language = BASE_LANGUAGE, language: Language | None = None
) -> Intent:
    """The intent of one question; `language` forces the answer language (the user asked)."""
    text = question.casefold()
    language = language or language_of(question, default_language)
    ids = named_customers(question)[:MOST_CUSTOMERS]
    without_ids = CUSTOMER_ID.sub(" ", question)
    kind: IntentKind = "help"
    for candidate, words in _KEYWORDS:
        if _has(text, words):
            kind = candidate
            break
    if what_it_asks(question).kind == "change":
        return Intent("read_only", language, ids)
    if kind != "what_if" and _CONDITION.match(text) and _changes(text):
        kind = "what_if"
    if kind in ("help", "risk") and _TOP_ZH.search(question) and not ids:
        kind = "top"
    if kind == "compare" and len(ids) < 2:
        kind = "risk" if ids else "help"
    # "How long do we have before they go?": a customer discussed before, referred to.
    refers = not ids and said_in_any_language(question, "refers", whole_words=True)
    if (ids or refers) and kind in ("help", "risk"):
        if _said(question, "lifetime_value"):
            return Intent("lifetime_value", language, ids)
        if _said(question, "when"):
            return Intent("when", language, ids)
    # "Who should we send offers to this week?": no customer named, a time that makes it urgent.
    urgent = not ids and kind in ("help", "risk", "top", "offer") and _said(question, "urgent")
    if kind == "what_if":
        changes = _changes(text)
        if not changes:
            return Intent("help", language, ids)
        return Intent("what_if", language, ids, changes=changes)
    # A figure over a segment ("revenue at risk by tier", "how many high-risk…") is a query,
    # even when its words also sound like a top-N list.
    if not ids and kind != "model" and not urgent and (kind != "top" or measures_in(question)):
        arguments = query_arguments(question)
        if arguments is not None:
            return Intent("query", language, (), query=arguments, view=view_of(question))
    if (
        kind == "top"
        or urgent
        or (kind in ("help", "risk") and not ids and _has(text, ("customers", "客戶")))
    ):
        limit = min(max(requested_count(without_ids) or 10, 1), MAX_LISTED)
        segment = filters_in(question)
        if {f["column"] for f in segment} - {"risk_level", "value_tier"}:
            # a segment list_at_risk cannot filter: the query keeps every filter
            listed = {"filters": segment, "measures": ["count", "share"], "list_customers": limit}
            return Intent("query", language, (), limit=limit, query=listed)
        tier = next((t for words, t in _TIERS if _has(text, words)), None)
        risk = next((r for words, r in _RISKS if _has(text, words)), None)
        order = "urgency" if urgent else "probability"
        return Intent(
            "top", language, (), limit=limit, value_tier=tier, risk_level=risk, order=order
        )
    if kind == "help" and ids:
        kind = "risk"
    if kind == "help":  # not understood: keep what was, for the nearest questions
        understood = {"filters": filters_in(question), "group_by": group_in(question)}
        return Intent("help", language, query=understood)
    return Intent(kind, language, ids)


def planned_calls(intent: Intent) -> list[tuple[str, dict]]:
    """(tool name, arguments) the intent needs, in order: its skill's plan."""
    if intent.needs_customer and not intent.customer_ids:
        return []
    skill = SKILLS.get(intent.kind)
    return skill.calls(intent) if skill is not None else []


#: Where a question may hold a second one: a question mark, a semicolon, or "and" / 還有 /
#: 另外 before a question word.
_SECOND_PART = re.compile(
    r"(?<=[?？;；。])\s*|\s+(?:and|also|then)\s+(?=(?:what|why|how|which|who|write|draft|"
    r"give|list|show|compare)\b)|[，,]\s*(?:還有|另外|並且|以及|再)",
    re.IGNORECASE,
)


def part_count(question: str) -> int:
    """How many questions the message holds, as `parts_of` reads it."""
    return max(1, len([p for p in _SECOND_PART.split(question) if p and p.strip()]))


def parts_of(question: str, language: Language) -> list[Intent]:
    """The question's intents: one, or one per part of a two-part question ("What is X's
    risk and what should we offer them?"). A later part without a customer is about the
    customers of the part before it."""
    whole = parse(question, language, language)
    pieces = [p for p in _SECOND_PART.split(question) if p and p.strip()][:MOST_PARTS]
    if len(pieces) < 2:
        return [whole]
    parts = [parse(p, language, language) for p in pieces]
    if any(p.kind in ("help", "read_only") for p in parts):
        return [whole]
    for i, part in enumerate(parts[1:], start=1):
        earlier = parts[i - 1].customer_ids
        if part.needs_customer and not part.customer_ids and earlier:
            parts[i] = replace(part, customer_ids=earlier)
    return parts
