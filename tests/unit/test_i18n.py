"""The phrase catalogue: one place for every word, the same keys in every language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.i18n import CATALOGUE, PhraseError, first, placeholders, problems, read_locale, t
from core.languages import languages
from data.schema import CATEGORICAL_VALUES, ENRICHED_FEATURES, feature_label

ROOT = Path(__file__).resolve().parents[2]
CODE = ["agents", "tools", "ui", "graph", "crm_agents", "data", "models", "core", "app.py"]
#: `t("key", …)`, `first(["key", …])`, `has("key")`, `Phrase("key", …)` with a literal key.
_LITERAL_KEY = re.compile(r"""\b(?:t|first|has|Phrase)\(\s*\[?\s*"([a-z_][\w.\-=]*)"[,)\]]""")


def test_every_language_has_every_key_with_the_same_placeholders():
    assert problems(CATALOGUE) == []
    assert set(CATALOGUE) == set(languages())


def test_a_key_missing_in_one_language_is_reported_with_the_language():
    catalogue = {"en": {"ui.run": "Analyze", "ui.tab": "Ask"}, "zh-TW": {"ui.run": "分析"}}
    assert problems(catalogue) == ["'ui.tab' is missing in zh-TW"]


def test_a_placeholder_used_in_one_language_only_is_reported():
    catalogue = {"en": {"greet": "Hello {name}"}, "zh-TW": {"greet": "您好 {nmae}"}}
    [problem] = problems(catalogue)
    assert "'greet' uses different placeholders" in problem
    assert "nmae" in problem


def test_placeholders_are_named_without_their_format():
    assert placeholders("${v:,.2f} over {months} months, {{literal}}") == {"v", "months"}


def test_nested_tables_become_dotted_keys():
    text = '[reason.title]\nContract = "No commitment"\n[value]\n"No phone service" = "none"\n'
    assert read_locale(text) == {
        "reason.title.Contract": "No commitment",
        "value.No phone service": "none",
    }


def test_a_phrase_that_is_not_a_string_is_refused():
    with pytest.raises(PhraseError, match=r"'ui\.count' is int"):
        read_locale("[ui]\ncount = 3\n")


def test_t_fills_placeholders_in_the_language_asked():
    assert t("present.offer.budget", "en", budget="120.00") == "Budget cap 120.00."
    assert t("present.offer.budget", "zh-TW", budget="120.00 元") == "預算上限 120.00 元。"


def test_t_ignores_values_a_language_does_not_use():
    assert t("word.high", "zh-TW", unused=1) == "高"


def test_an_unknown_key_names_the_key_and_the_language():
    with pytest.raises(PhraseError, match=r"no phrase 'ui\.nope' in language 'zh-TW'"):
        t("ui.nope", "zh-TW")


def test_a_missing_value_names_the_value():
    with pytest.raises(PhraseError, match="needs the value 'budget'"):
        t("present.offer.budget", "en")


def test_first_prefers_the_specific_phrase():
    keys = ["evidence.tenure=1", "evidence.tenure"]
    assert first(keys, "en", v=1) == "1 month as a customer"
    assert first(["evidence.tenure=7", "evidence.tenure"], "en", v=7) == "7 months as a customer"


@pytest.mark.parametrize("lang", languages())
def test_every_feature_and_category_value_has_words(lang):
    for feature in ENRICHED_FEATURES:
        assert feature_label(feature, lang)
    for values in CATEGORICAL_VALUES.values():
        for value in values:
            assert t(f"value.{value}", lang)


def test_every_key_the_code_names_exists():
    named: set[str] = set()
    for entry in CODE:
        path = ROOT / entry
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for file in files:
            named |= set(_LITERAL_KEY.findall(file.read_text(encoding="utf-8")))
    assert len(named) > 50  # the pattern still finds the code's keys
    missing = sorted(k for k in named if k not in CATALOGUE["en"])
    assert missing == []


def test_a_phrase_is_worded_when_read_with_its_lists_and_inner_phrases_in_that_language():
    from core.i18n import Phrase

    inner = Phrase("validation.lines", {"lines": [2, 3]})
    phrase = Phrase("validation.blank", {"column": "tenure", "lines": inner, "kind": "x"})
    assert str(phrase) == "column tenure: blank value on lines 2, 3; expected x"
    assert phrase.words("zh-TW") == "欄位 tenure：第 2、3 行是空白；應為x"


def test_an_error_carrying_its_phrase_is_worded_and_any_other_error_stays_as_raised():
    from core.i18n import Phrase, WordedError, error_words

    refused = WordedError(Phrase("validation.no_rows"))
    assert error_words(refused, "zh-TW") == "檔案只有標題列，沒有任何客戶資料"
    assert str(refused) == "the file has a header but no customer rows"
    assert error_words(ValueError("as it was"), "zh-TW") == "as it was"
