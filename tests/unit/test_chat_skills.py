"""One skill per question type: every kind the router can read has exactly one skill, each
skill's words come from its own folder, and a skill is found by listing the package."""

from __future__ import annotations

from typing import get_args

from agents.chat.intent import IntentKind
from agents.chat.intents import parse, planned_calls
from agents.chat.skills import SKILLS
from agents.chat.vocabulary import SKILL_WORDS, keyword_skills

#: Kinds the router answers without tools.
WITHOUT_TOOLS = {"help", "read_only"}


def test_every_kind_but_help_and_read_only_has_a_skill():
    assert set(SKILLS) == set(get_args(IntentKind)) - WITHOUT_TOOLS


def test_every_skill_has_words_in_both_languages_except_the_grammar_driven_query():
    for kind in set(SKILLS) - {"query"}:
        words = SKILL_WORDS[kind]
        assert words.get("en") and words.get("zh-TW"), kind


def test_a_question_holding_two_skills_words_goes_to_the_one_with_the_lower_priority():
    order = [kind for kind, _ in keyword_skills()]
    assert order.index("compare") < order.index("risk")
    assert parse("Compare the risk of 1234-ABCDE and 5678-FGHIJ").kind == "compare"


def test_the_router_plans_with_the_skill_of_the_questions_kind():
    intent = parse("Write the SMS for 1234-ABCDE")
    assert intent.kind == "sms"
    assert planned_calls(intent) == SKILLS["sms"].calls(intent)
    assert planned_calls(intent)[0][0] == "analyze_customer"
