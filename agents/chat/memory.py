"""What a conversation has been about, read from its own stored messages: the customers of its
latest turn about customers (so "that customer", 這位客戶 or a bare "what should we offer?"
resolve to them, and "them" to all of them), and the answer language the user asked for.

The thread's messages are checkpointed, so the memory survives restarts and page reloads with
them; nothing else has to be stored or kept in step.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage

from agents.chat.intents import CUSTOMER_ID, Intent, parse
from agents.chat.queries import filters_in, measures_in, share_within
from agents.chat.vocabulary import VOCABULARY, names_any, said_in_any_language
from core.types import Language

#: Any text shaped like an ID, dashed or not (for comparing, not for reading questions).
_ANY_ID = re.compile(r"[0-9]{3,5}-?[A-Za-z0-9]{1,8}")


def _ids_of(turn: list[AnyMessage]) -> tuple[str, ...]:
    """The customers a turn was about: its tool calls' customers, else the question's IDs."""
    called = [
        str(call["args"]["customer_id"]).upper()
        for m in turn
        if isinstance(m, AIMessage)
        for call in m.tool_calls
        if "customer_id" in call["args"]
    ]
    if called:
        return tuple(dict.fromkeys(called))
    questions = [m.text for m in turn if isinstance(m, HumanMessage)]
    return tuple(dict.fromkeys(i.upper() for q in questions for i in CUSTOMER_ID.findall(q)))


def _plain_id(customer_id: str) -> str:
    """An ID as compared: letters and digits only, case folded (7590vhveg is 7590-VHVEG)."""
    return re.sub(r"[^0-9a-z]", "", customer_id.casefold())


def strangers(messages: list[AnyMessage], calls: list[dict]) -> list[str]:
    """The customers `calls` name that nobody mentioned: not in a question of the thread, nor
    in a tool result it holds (a list of customers counts)."""
    seen = " ".join(
        m.text if isinstance(m, HumanMessage) else str(m.content)
        for m in messages
        if isinstance(m, HumanMessage | ToolMessage)
    )
    known = {_plain_id(found) for found in _ANY_ID.findall(seen)}
    named = [str(c["args"]["customer_id"]) for c in calls if "customer_id" in c.get("args", {})]
    return [c for c in dict.fromkeys(named) if _plain_id(c) not in known]


def earlier_turns(messages: list[AnyMessage]) -> list[list[AnyMessage]]:
    """The conversation before its latest question, split into turns (oldest first)."""
    starts = [i for i, m in enumerate(messages) if isinstance(m, HumanMessage)]
    return [messages[a:b] for a, b in itertools.pairwise(starts)]


def last_subjects(messages: list[AnyMessage]) -> tuple[str, ...]:
    """The customers of the latest earlier turn that was about customers, or ()."""
    for turn in reversed(earlier_turns(messages)):
        ids = _ids_of(turn)
        if ids:
            return ids
    return ()


def points_at_several(question: str) -> bool:
    """Does the question point at several customers already discussed ("them", 這些客戶)?"""
    return said_in_any_language(question, "several", whole_words=True)


def requested_language(question: str) -> Language | None:
    """The answer language the user asks for in so many words, if any."""
    for language, phrases in VOCABULARY["language_requests"].items():
        if names_any(question, phrases):
            return language  # type: ignore[return-value]
    return None


def remembered_language(messages: list[AnyMessage]) -> Language | None:
    """The latest answer language the user asked for in this conversation."""
    for m in reversed(messages):
        if isinstance(m, HumanMessage):
            asked = requested_language(m.text)
            if asked is not None:
                return asked
    return None


def with_subjects(
    intent: Intent, question: str, messages: list[AnyMessage]
) -> Intent | tuple[str, ...]:
    """The intent with the customers it refers back to, or the candidates when the reference
    is ambiguous (one customer needed, several discussed)."""
    if intent.customer_ids or intent.kind in ("read_only", "top", "model"):
        return intent
    subjects = last_subjects(messages)
    several = points_at_several(question)
    if not subjects or (intent.kind == "help" and not several):
        return intent
    comparable = intent.kind in ("help", "risk", "compare")
    if len(subjects) >= 2 and comparable and (intent.kind == "compare" or several):
        return replace(intent, kind="compare", customer_ids=subjects[:2])
    if len(subjects) == 1:
        kind = "risk" if intent.kind == "help" else intent.kind
        return replace(intent, kind=kind, customer_ids=subjects)
    return subjects


#: What a bare follow-up ("And 1234-ABCDE?", 「那 X 呢？」) may ask again of another customer.
_REPEATABLE = (
    "why",
    "risk",
    "risk_change",
    "when",
    "lifetime_value",
    "offer",
    "email",
    "sms",
    "call_script",
)
_LEFT_OVER = re.compile(r"[\s?？.,，。!！、]+")


def _bare(question: str) -> bool:
    """Is the question only customer IDs and words that ask the same again?"""
    rest = " " + CUSTOMER_ID.sub(" ", question).casefold() + " "
    words = [w for ws in VOCABULARY["bare_follow_up"].values() for w in ws]
    for word in sorted(words, key=len, reverse=True):
        rest = rest.replace(f" {word} " if word.isascii() else word, " ")
    return not _LEFT_OVER.sub("", rest)


def with_last_kind(intent: Intent, question: str, messages: list[AnyMessage]) -> Intent:
    """ "And 1234-ABCDE?" after "How long until 7590-VHVEG leaves?": the last question about a
    customer (not itself a bare follow-up), asked of the customer this one names."""
    if intent.kind != "risk" or not intent.customer_ids or not _bare(question):
        return intent
    for turn in reversed(earlier_turns(messages)):
        asked = turn[0].text if turn and isinstance(turn[0], HumanMessage) else ""
        if not _ids_of(turn) or _bare(asked):
            continue
        kind = parse(asked, intent.language).kind
        return replace(intent, kind=kind) if kind in _REPEATABLE else intent
    return intent


def last_query(messages: list[AnyMessage]) -> dict | None:
    """The arguments of the latest segment question (query_customers) before this one."""
    for turn in reversed(earlier_turns(messages)):
        for m in reversed(turn):
            if isinstance(m, AIMessage):
                for call in reversed(m.tool_calls):
                    if call["name"] == "query_customers":
                        return dict(call["args"])
    return None


def with_segment(intent: Intent, question: str, messages: list[AnyMessage]) -> Intent:
    """ "The same for fiber customers": the last segment question, its filters replaced (per
    column) or extended by the ones this question names."""
    if intent.customer_ids or intent.kind not in ("help", "query", "risk", "top"):
        return intent
    if said_in_any_language(question, "refine"):  # "of those": the last segment, narrowed
        return _narrowed(intent, question, messages)
    if measures_in(question):  # a figure of its own: a new question, not the last one again
        return intent
    again = said_in_any_language(question, "same_again")
    previous = last_query(messages) if again else None
    named = filters_in(question)
    if previous is None or not named:
        return intent
    kept = _not_renamed(previous, named)
    return replace(intent, kind="query", query={**previous, "filters": [*kept, *named]})


def _not_renamed(previous: dict, named: list[dict]) -> list[dict]:
    """The last segment's filters on the columns this question does not name anew."""
    columns = {n["column"] for n in named}
    return [f for f in previous.get("filters", []) if f["column"] not in columns]


def _narrowed(intent: Intent, question: str, messages: list[AnyMessage]) -> Intent:
    """ "And how many of those pay by electronic check?": the last segment's filters and this
    question's, its own figures (or the last question's when it names none)."""
    previous = last_query(messages)
    if previous is None:
        return intent
    named = filters_in(question)
    kept = _not_renamed(previous, named)
    if named and kept:
        # How many of those are X: X's share within the last segment, not within everyone.
        query, view = share_within([*kept, *named[1:]], named[0])
        return replace(intent, kind="query", query=query, view=view)
    asked = intent.query if intent.kind == "query" else {}
    query = {**(asked or previous), "filters": [*kept, *named]}
    if not asked:
        query.pop("group_by", None)  # "those" are one segment now, not its groups
    return replace(intent, kind="query", query=query, view={})
