"""A question the router cannot map gets what it understood and the nearest questions it can
answer — each of which the router does answer — never a wrong figure."""

from __future__ import annotations

import pytest

from agents.chat.intents import parse
from agents.chat.replies import nearest_questions

NOT_UNDERSTOOD = [
    ("en", "Electronic check payers: trend over the last year?"),
    ("en", "fiber optic and month-to-month — thoughts?"),
    ("en", "Senior citizens — anything?"),
    ("zh-TW", "光纖？"),
    ("zh-TW", "電子支票付款的趨勢？"),
]


@pytest.mark.parametrize(("lang", "question"), NOT_UNDERSTOOD)
def test_what_was_understood_is_said_with_questions_the_router_answers(lang, question):
    intent = parse(question, lang)
    assert intent.kind == "help"
    said = nearest_questions(intent)
    assert said is not None
    suggestions = [line[2:] for line in said.splitlines() if line.startswith("- ")]
    assert len(suggestions) == 3
    for suggestion in suggestions:
        understood = parse(suggestion, lang)
        assert understood.kind == "query", suggestion
        named = {f["column"] for f in understood.query["filters"]}
        assert {f["column"] for f in intent.query["filters"]} <= named | {
            understood.query.get("group_by")
        }, suggestion


def test_a_question_naming_no_segment_gets_the_general_help():
    assert nearest_questions(parse("Tell me a joke", "en")) is None
