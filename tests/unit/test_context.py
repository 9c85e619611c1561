"""The runtime context: plain, serialisable choices, each refused by name when out of range."""

from __future__ import annotations

import dataclasses
import json

import pytest

from agents.context import Context, ContextError


def test_an_empty_context_changes_nothing():
    assert Context().overrides() == {} and Context().language is None


def test_a_context_is_plain_data_that_survives_json():
    context = Context(language="zh-TW", backend="offline", risk_high=0.8)
    assert Context(**json.loads(json.dumps(dataclasses.asdict(context)))) == context


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"language": "fr"}, "language 'fr' is not supported; use en or zh-TW"),
        ({"backend": "gpt"}, "backend 'gpt' is unknown; use configured or offline"),
        ({"risk_high": 1.0}, "risk_high (1.0) must be a probability between 0 and 1"),
        ({"risk_medium": 0}, "risk_medium (0) must be a probability between 0 and 1"),
        ({"value_high": -5}, "value_high (-5) must be a positive monthly charge"),
        ({"value_mid": 0}, "value_mid (0) must be a positive monthly charge"),
    ],
)
def test_a_value_out_of_range_is_refused_by_name(values, message):
    with pytest.raises(ContextError) as raised:
        Context(**values)
    assert str(raised.value) == message


def test_overrides_name_only_the_thresholds_set():
    assert Context(risk_high=0.9, value_mid=30.0, language="en").overrides() == {
        "risk_high": 0.9,
        "value_mid": 30.0,
    }
