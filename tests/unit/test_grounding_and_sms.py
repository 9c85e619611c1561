"""The grounding check and the SMS limits: the rules that keep generated text honest."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from agents.checks.grounding import fact_numbers, grounding_problems, numbers_in, ungrounded_numbers
from agents.outputs import Sms, sms_length, sms_problem


class _Draft(BaseModel):
    text: str
    items: list[str] = []


def test_numbers_are_read_with_the_decimals_they_show():
    assert numbers_in("pay $1,209.60 or 72% now") == [(1209.6, 2, "1,209.60"), (72.0, 0, "72")]


def test_a_rounded_percentage_matches_its_fact():
    assert ungrounded_numbers("churn risk 72%", [72.35]) == []
    assert ungrounded_numbers("churn risk 72.4%", [72.35]) == []


def test_a_figure_rounded_the_wrong_way_is_caught():
    # 72.35 may be shown as 72, 72.3 or 72.4, never as 73 or 72.36.
    assert ungrounded_numbers("churn risk 73%", [72.35]) == ["73"]
    assert ungrounded_numbers("churn risk 72.36%", [72.35]) == ["72.36"]
    assert ungrounded_numbers("churn risk 71%", [72.35]) == ["71"]


def test_a_wrong_probability_is_caught():
    assert ungrounded_numbers("churn risk 83%", [72.35]) == ["83"]


def test_an_invented_discount_is_caught():
    assert ungrounded_numbers("get 50% off", [10.0, 6.0]) == ["50"]


def test_customer_id_digits_are_not_figures():
    assert ungrounded_numbers("7590-VHVEG is at risk", []) == []


def test_fact_numbers_include_figures_inside_fact_strings():
    facts = {"title": "10% off for 6 months", "p": 0.5, "flag": True}
    assert {10.0, 6.0, 0.5} <= fact_numbers(facts)


def test_fact_numbers_include_magnitudes_of_negative_values():
    assert 53.52 in fact_numbers({"expected_value": -53.52})


def test_grounding_walks_nested_text_and_names_other_offers():
    draft = _Draft(text="fine", items=["Try our Tech Support free for 3 months"])
    problems = grounding_problems(draft, [], forbidden_terms=["Tech Support free for 3 months"])
    assert any("figures not in the tool results: 3" in p for p in problems)
    assert any("names another offer" in p for p in problems)


def test_grounded_draft_has_no_problems():
    assert grounding_problems(_Draft(text="Only 10% off for 6 months"), [10, 6]) == []


def test_english_sms_counts_extension_characters_twice():
    assert sms_length("a€", "en") == 3


def test_english_sms_counts_each_basic_character_once():
    assert sms_length("Hello, 20% off!", "en") == 15
    assert sms_length("{x}", "en") == 5


def test_chinese_sms_length_is_a_whole_number_of_units():
    length = sms_length("感謝您", "zh-TW")
    assert length == 3 and isinstance(length, int)


def test_english_sms_rejects_characters_outside_gsm7():
    assert "GSM-7" in sms_problem("Smart “quotes”", "en")


def test_an_empty_sms_is_named_as_empty():
    assert sms_problem("   ", "en") == "the SMS is empty"


def test_the_characters_outside_gsm7_are_listed():
    assert sms_problem("Olá ✓ ok", "en") == ("the English SMS has characters outside GSM-7: 'á✓'")


def test_extension_characters_can_push_an_english_sms_over_its_segment():
    assert sms_problem("x" * 159 + "€", "en") == (
        "the SMS is 161 characters; one en segment allows 160"
    )


def test_english_sms_over_160_is_rejected():
    with pytest.raises(ValidationError, match="160"):
        Sms(text="x" * 161, language="en")


def test_chinese_sms_over_70_is_rejected():
    with pytest.raises(ValidationError, match="70"):
        Sms(text="優" * 71, language="zh-TW")


def test_chinese_sms_length_counts_utf16_units_so_an_emoji_counts_twice():
    assert sms_length("優惠🎁", "zh-TW") == 4
    with pytest.raises(ValidationError, match="70"):
        Sms(text="優" * 69 + "🎁", language="zh-TW")  # 70 characters but 71 UTF-16 units
    assert Sms(text="優" * 68 + "🎁", language="zh-TW").length == 70


def test_sms_records_its_length_and_limit():
    sms = Sms(text="優惠" * 35, language="zh-TW")
    assert (sms.length, sms.limit) == (70, 70)


def test_grounding_lists_every_ungrounded_figure_in_one_problem():
    problems = grounding_problems(_Draft(text="83% now, 50% off"), [72.35])
    assert problems == ["figures not in the tool results: 83, 50"]


def test_an_offer_not_named_is_no_problem():
    draft = _Draft(text="Your plan", items=["One year contract at 10% off"])
    problems = grounding_problems(draft, [10], forbidden_terms=["Tech Support free"])
    assert problems == []


def test_another_offer_is_named_whatever_its_case():
    draft = _Draft(text="try TECH SUPPORT FREE today")
    assert grounding_problems(draft, [], forbidden_terms=["Tech Support free"]) == [
        "names another offer: 'Tech Support free'"
    ]


def test_fact_numbers_walk_lists_and_tuples():
    assert {1.5, 2.0, 3.0} <= fact_numbers({"values": [1.5, (2, "3 months")]})


class _Nested(BaseModel):
    title: str
    extra: dict[str, str] = {}
    parts: tuple[str, ...] = ()


def test_every_string_of_a_draft_is_checked_in_dicts_and_tuples_too():
    from agents.checks.grounding import text_fields

    draft = _Nested(title="t", extra={"note": "from the dict"}, parts=("from the tuple",))
    assert text_fields(draft) == ["t", "from the dict", "from the tuple"]
