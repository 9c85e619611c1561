"""Play the Ask development set and check every turn three ways: its figures (against `Facts`),
its tool-call trajectory (against the turn's reference, with agentevals) and its language.

The set is data: one TOML file per family in `conversations/`, each conversation in one language
with its turns. A turn:

    [[conversation.turn]]
    ask = "What share of month-to-month customers are high risk?"
    expect = [{ share = { of = { risk_level = "high" }, within = { Contract = "Month-to-month" } }}]
    tools = [{ name = "query_customers", args = { group_by = "risk_level" } }]
    match = "unordered"        # or strict, subset, superset (agentevals' modes)

`tools` is the reference trajectory: each call's name and the arguments it must have (more are
allowed); `tools = []` means no tool may run (a refusal). Placeholders name customers by role.
Used by `tests/unit/test_ask_dev_set.py` (offline router) and `benchmarks/bench_ask_dev_set.py`
(either backend, with pass^k).
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from agentevals.trajectory.match import create_trajectory_match_evaluator
from ask_dev_set.facts import Facts

from core.types import Language
from graph.chat_session import ChatAnswer, ChatSession

FOLDER = Path(__file__).parent / "conversations"
LANGUAGES: tuple[Language, ...] = ("en", "zh-TW")
MATCH_MODES = ("strict", "unordered", "subset", "superset")


@dataclass(frozen=True)
class Turn:
    ask: str
    expect: tuple[dict, ...]
    tools: tuple[dict, ...] | None
    match: str = "unordered"


@dataclass(frozen=True)
class Conversation:
    family: str
    name: str
    language: Language
    turns: tuple[Turn, ...]


@dataclass
class TurnResult:
    family: str
    conversation: str
    turn: int
    question: str
    answer: str
    problems: list[str] = field(default_factory=list)
    backend: str = ""
    fallback: str | None = None

    @property
    def passed(self) -> bool:
        return not self.problems


def load(folder: Path = FOLDER) -> list[Conversation]:
    """Every conversation of every family file, checked for shape."""
    found = []
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for c in data.get("conversation", []):
            if c["language"] not in LANGUAGES:
                raise ValueError(f"{path.name}: {c['name']!r} has language {c['language']!r}")
            turns = []
            for raw in c["turn"]:
                match = raw.get("match", "unordered")
                if match not in MATCH_MODES:
                    raise ValueError(f"{path.name}: {c['name']!r}: match {match!r}")
                tools = raw.get("tools")
                turns.append(
                    Turn(
                        raw["ask"],
                        tuple(raw.get("expect", ())),
                        None if tools is None else tuple(tools),
                        "strict" if tools == [] else match,
                    )
                )
            found.append(Conversation(path.stem, c["name"], c["language"], tuple(turns)))
    return found


# ---- the three checks -------------------------------------------------------------------
_FIGURE = re.compile(r"\d")


def _holds(answer: str, wanted: str) -> bool:
    """`wanted` is in `answer`; a figure only as a whole figure ("16.3%" is not in "116.3%")."""
    if not _FIGURE.search(wanted):
        return wanted.casefold() in answer.casefold()
    pattern = r"(?<![\d.,])" + re.escape(wanted) + r"(?![\d]|[.,]\d)"
    return re.search(pattern, answer) is not None


def figure_problems(facts: Facts, turn: Turn, lang: Language, answer: str) -> list[str]:
    problems = []
    for spec in turn.expect:
        expected = facts.expected(facts.filled(spec), lang)
        problems += [f"missing {w!r}" for w in expected.present if not _holds(answer, w)]
        problems += [f"should not say {w!r}" for w in expected.absent if _holds(answer, w)]
        for options in expected.any_of:
            if not any(_holds(answer, w) for w in options):
                problems.append(f"missing one of {list(options)!r}")
    return problems


_CJK = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_LATIN = re.compile(r"[A-Za-z]")
_ID = re.compile(r"\b\d{4}-[A-Z]{5}\b|`[^`]*`|\b[A-Za-z_]+\.(?:csv|json)\b")
#: Characters written only in Simplified Chinese (their Traditional forms differ): one of them
#: in an answer is the wrong script for a Taiwanese reader.
SIMPLIFIED_ONLY = set("这们说户钱价测险费单个为与门问么对产发实现时间过还进听们类别动态")


def language_problems(answer: str, lang: Language) -> list[str]:
    text = _ID.sub(" ", answer)
    cjk, latin = len(_CJK.findall(text)), len(_LATIN.findall(text))
    if lang == "en":
        return [f"{cjk} Chinese characters in an English answer"] if cjk else []
    problems = []
    simplified = sorted(set(text) & SIMPLIFIED_ONLY)
    if simplified:
        problems.append(f"Simplified characters {''.join(simplified)!r} in a zh-TW answer")
    if cjk < 0.5 * (cjk + latin / 4):  # four Latin letters ≈ one word ≈ one or two characters
        problems.append(f"mostly not Chinese ({cjk} characters, {latin} Latin letters)")
    return problems


def _as_openai(question: str, calls: Iterable[tuple[str, dict]], answer: str) -> list[dict]:
    made = [
        {"function": {"name": name, "arguments": json.dumps(args, sort_keys=True)}}
        for name, args in calls
    ]
    said = [{"role": "assistant", "content": "", "tool_calls": made}] if made else []
    return [{"role": "user", "content": question}, *said, {"role": "assistant", "content": answer}]


def trajectory_problems(facts: Facts, turn: Turn, question: str, answer: ChatAnswer) -> list[str]:
    if turn.tools is None:
        return []
    reference = [(c["name"], facts.filled(c.get("args", {}))) for c in turn.tools]
    made = [(c.name, c.args) for c in answer.tool_calls]
    # A reference names the arguments that matter; a call may carry more (its language, a
    # limit). agentevals' unordered mode applies its argument matcher both ways, so the calls
    # are cut to the arguments the reference names and then matched exactly.
    named: dict[str, set[str]] = {}
    for name, args in reference:
        named.setdefault(name, set()).update(args)
    seen = [(n, {k: v for k, v in a.items() if k in named.get(n, ())}) for n, a in made]
    evaluator = create_trajectory_match_evaluator(
        trajectory_match_mode=turn.match, tool_args_match_mode="exact"
    )
    verdict = evaluator(
        outputs=_as_openai(question, seen, answer.answer),
        reference_outputs=_as_openai(question, reference, ""),
    )
    if verdict["score"]:
        return []
    return [f"tool calls {made} do not {turn.match}-match the reference {reference}"]


# ---- playing ----------------------------------------------------------------------------
def play(
    new_session: Callable[[str], ChatSession], facts: Facts, conversation: Conversation, n: int
) -> list[TurnResult]:
    """Every turn of `conversation` on a fresh thread (`new_session(thread)`), checked."""
    session = new_session(f"dev-set-{n}")
    results = []
    for i, turn in enumerate(conversation.turns, start=1):
        question = facts.fill(turn.ask)
        try:
            answer = session.ask(question)
        except Exception as err:  # a crash is a failed turn, reported, not a stopped run
            results.append(
                TurnResult(
                    conversation.family,
                    conversation.name,
                    i,
                    question,
                    "",
                    [f"crashed: {type(err).__name__}: {err}"],
                )
            )
            continue
        problems = figure_problems(facts, turn, conversation.language, answer.answer)
        problems += trajectory_problems(facts, turn, question, answer)
        problems += language_problems(answer.answer, conversation.language)
        results.append(
            TurnResult(
                conversation.family,
                conversation.name,
                i,
                question,
                answer.answer,
                problems,
                answer.backend,
                answer.fallback,
            )
        )
    return results


def run_set(
    new_session: Callable[[str], ChatSession], facts: Facts, conversations: list[Conversation]
) -> list[TurnResult]:
    return [r for n, c in enumerate(conversations) for r in play(new_session, facts, c, n)]


def per_family(results: list[TurnResult]) -> pd.DataFrame:
    """Turns, passed and pass rate per family (and in all)."""
    frame = pd.DataFrame(
        {"family": [r.family for r in results], "passed": [r.passed for r in results]}
    )
    table = frame.groupby("family").passed.agg(turns="size", passed="sum")
    table.loc["all"] = [len(frame), int(frame.passed.sum())]
    table["rate"] = table.passed / table.turns
    return table


def failures(results: list[TurnResult]) -> str:
    return "\n".join(
        f"  FAILED {r.family} / {r.conversation} / turn {r.turn}: {r.question!r}\n"
        f"    {'; '.join(r.problems)}\n    answer: {r.answer[:240]!r}"
        for r in results
        if not r.passed
    )


def describe(conversations: list[Conversation]) -> dict[str, Any]:
    """The set's size: conversations, turns, per family and per language."""
    turns = [(c.family, c.language) for c in conversations for _ in c.turns]
    return {
        "conversations": len(conversations),
        "turns": len(turns),
        "families": sorted({f for f, _ in turns}),
        "languages": sorted({lang for _, lang in turns}),
    }
