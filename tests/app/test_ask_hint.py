"""The Ask tab's hint names a customer of the data in use, in every language, and none before
login."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from core.i18n import t
from ui.tabs.ask import _hint


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_the_hint_names_a_customer_of_the_data_in_use_in_each_language(demo, lang):
    backend = SimpleNamespace(service=demo.service)
    shown = _hint(backend)(lang).placeholder
    example = demo.service.example_id()
    assert example in demo.service.customers.index and example in shown
    assert shown == t("ui.ask.placeholder", lang, example=example)


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_the_hint_before_login_names_no_customer(lang):
    assert not re.search(r"\d{4}-[A-Z]{5}", t("ui.ask.placeholder_plain", lang))
