"""The analysis on the real Telco file: risk levels route correctly, and every figure in the
offline texts traces to a tool result (checked against facts gathered independently here)."""

from __future__ import annotations

import numpy as np
import pytest
from grounding_oracle import ungrounded_texts

SAMPLE = 300


def _pick(service, level: str) -> str:
    scored = service.scores()
    return scored[scored.risk_level == level].customerID.iloc[len(scored) // 100]


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_real_low_risk_customer_is_monitored_not_contacted(real, language):
    result = real.analyzer.run(_pick(real.service, "low"), language=language)
    assert result.risk.risk_level == "low"
    assert result.skipped == ["campaign", "communication", "approval"]
    assert result.campaign is None and result.communications is None


@pytest.mark.parametrize("level", ["high", "medium"])
@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_real_at_risk_customer_gets_every_section(real, level, language):
    result = real.analyzer.run(_pick(real.service, level), language=language)
    assert result.risk.risk_level == level
    assert result.skipped == []
    assert result.reasons.reasons and result.campaign and result.communications
    assert result.communications.sms.length <= (70 if language == "zh-TW" else 160)


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_every_figure_in_offline_texts_traces_to_the_facts(real, language):
    rng = np.random.default_rng(7)
    sample = rng.choice(real.service.customers.index.to_numpy(), size=SAMPLE, replace=False)
    with_messages = 0
    for customer in sample:
        result = real.analyzer.run(customer, language=language)
        assert ungrounded_texts(real.service, result) == []
        with_messages += result.communications is not None
    assert with_messages > 30
