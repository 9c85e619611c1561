"""LLM text is checked beyond its numbers: empty, markup, language, echo, the risk level."""

from __future__ import annotations

import pytest

from agents.checks.drafts import draft_problems, risk_word_problems, text_problems
from agents.outputs import AnalystDraft


def test_good_text_has_no_problem():
    assert text_problems("The customer is at high risk (81.2%).", "en") == []
    assert text_problems("此客戶流失風險高（81.2%）。", "zh-TW") == []


@pytest.mark.parametrize("text", ["", "   \n"])
def test_empty_text_is_refused(text):
    assert text_problems(text, "en") == ["empty text"]


@pytest.mark.parametrize(
    "marker", ["<</SYS>>", "[INST]", "<|im_start|>", "<end_of_turn>", "{{customer_id}}"]
)
def test_template_and_role_markup_is_refused(marker):
    [problem] = text_problems(f"Dear customer {marker} we value you.", "en")
    assert problem.startswith("template markup")


def test_english_text_asked_in_chinese_is_refused_and_the_reverse():
    assert text_problems("The customer may leave soon.", "zh-TW") == [
        "not written in Traditional Chinese"
    ]
    assert text_problems("這位客戶可能很快就會離開。", "en") == ["not written in English"]


def test_a_chinese_text_may_hold_an_id_and_a_product_name():
    assert text_problems("客戶 7590-VHVEG 使用 DSL 網路，流失風險低。", "zh-TW") == []


def test_an_echo_of_the_question_is_refused():
    assert text_problems("What is 7590-VHVEG's risk?", "en", "what is 7590-VHVEG's risk") == [
        "repeats the question"
    ]


def test_each_problem_of_a_draft_is_named_once():
    draft = AnalystDraft(summary="<</SYS>> hello", detail="<</SYS>> again")
    assert draft_problems(draft, "en") == ["template markup '<</SYS>>'"]


def test_a_risk_level_that_is_not_the_customers_is_refused():
    draft = AnalystDraft(summary="A high risk customer.", detail="Act now.")
    assert risk_word_problems(draft, "medium") == [
        "calls the customer high risk; the model says medium"
    ]
    assert risk_word_problems(draft, "high") == []
    chinese = AnalystDraft(summary="此客戶為低風險。", detail="持續觀察。")
    assert risk_word_problems(chinese, "medium") == [
        "calls the customer low risk; the model says medium"
    ]
