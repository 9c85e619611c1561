"""A behaviour signal shown as a warning sign says what the churn model does with it for this
customer: never a warning sign beside a bar that lowers the risk without a word."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from agents.nodes.reasoning import signal_effect
from agents.writers.offline import warning_lines
from tools.schemas import Driver


def _risk(contribution: float | None):
    driver = (
        [Driver(feature="usage_drop_rate", value=0.36, contribution=contribution, label="usage")]
        if contribution is not None
        else []
    )
    up = [d for d in driver if d.contribution > 0]
    down = [d for d in driver if d.contribution < 0]
    return SimpleNamespace(top_drivers=up, protective_drivers=down)


@pytest.mark.parametrize(
    ("contribution", "effect"),
    [(0.4, "raises"), (-0.3, "lowers"), (0.01, "little"), (None, "little")],
)
def test_a_signals_effect_is_its_contribution_in_this_customers_score(contribution, effect):
    assert signal_effect("usage_drop_rate", _risk(contribution)) == effect


def test_a_warning_sign_that_lowers_the_risk_says_so_in_both_languages():
    facts = {"signals": [{"evidence": "usage down 36%", "simulated": False, "effect": "lowers"}]}
    (english,) = warning_lines(facts, "en")
    assert english.startswith("usage down 36%") and "lowering the risk" in english
    (chinese,) = warning_lines(facts, "zh-TW")
    assert "降低風險" in chinese


def test_a_simulated_signal_keeps_its_mark_beside_its_effect():
    facts = {"signals": [{"evidence": "2 complaints", "simulated": True, "effect": "raises"}]}
    (line,) = warning_lines(facts, "en")
    assert "simulated" in line and "towards leaving" in line
