"""The analysis on the real Telco file: risk levels route correctly, and every figure in the
offline texts traces to a tool result (checked against facts gathered independently here)."""

from __future__ import annotations

import numpy as np
import pytest

from agents.context import AnalysisContext
from agents.grounding import text_fields, ungrounded_numbers
from data.schema import SIGNAL_WINDOW_DAYS
from graph.analysis import AnalysisResult, run_analysis
from tools.playbook import load_playbook

SAMPLE = 300


@pytest.fixture(scope="module")
def real_context(real_service) -> AnalysisContext:
    return AnalysisContext.build(real_service)


def _pick(service, level: str) -> str:
    scored = service.scores()
    return scored[scored.risk_level == level].customerID.iloc[len(scored) // 100]


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_real_low_risk_customer_is_monitored_not_contacted(real_context, language):
    result = run_analysis(_pick(real_context.service, "low"), real_context, language)
    assert result.risk.risk_level == "low"
    assert result.skipped == ["campaign", "communication"]
    assert result.campaign is None and result.communications is None


@pytest.mark.parametrize("level", ["high", "medium"])
@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_real_at_risk_customer_gets_every_section(real_context, level, language):
    result = run_analysis(_pick(real_context.service, level), real_context, language)
    assert result.risk.risk_level == level
    assert result.skipped == []
    assert result.reasons.reasons and result.campaign and result.communications
    assert result.communications.sms.length <= (70 if language == "zh-TW" else 160)


def _customer_facts(service, result: AnalysisResult) -> set[float]:
    fields = service.profile(result.customer_id).fields
    numbers = {float(v) for v in fields.values() if isinstance(v, int | float)}
    numbers |= {float(fields["usage_drop_rate"]) * 100}
    numbers |= {float(days) for days in SIGNAL_WINDOW_DAYS.values()}
    return numbers | {float(n) for n in range(7)}  # 0–6 add-on services


def _analysis_facts(service, result: AnalysisResult) -> set[float]:
    prediction = service.predict(result.customer_id)
    segment = service.segment(result.customer_id)
    numbers = {prediction.probability * 100, segment.clv_estimate, segment.clv_horizon_months}
    plan = result.campaign
    if plan is not None:
        for option in [plan.offer, *plan.runners_up]:
            offer = load_playbook().get(option.offer_id)
            numbers |= {
                option.total_cost,
                option.monthly_cost,
                option.probability_after * 100,
                abs(option.expected_value),
                option.price_during_offer,
                *offer.figures().values(),
            }
    return numbers | _customer_facts(service, result)


def _message_facts(service, result: AnalysisResult) -> set[float]:
    """A message to the customer may quote only the chosen offer and the customer's own bill."""
    option = result.campaign.offer
    fields = service.profile(result.customer_id).fields
    offer_terms = load_playbook().get(option.offer_id).figures().values()
    return {*offer_terms, option.price_during_offer, fields["MonthlyCharges"], fields["tenure"]}


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_every_figure_in_offline_texts_traces_to_the_facts(real_context, language):
    service = real_context.service
    rng = np.random.default_rng(7)
    sample = rng.choice(service.customers.index.to_numpy(), size=SAMPLE, replace=False)
    checked_messages = 0
    for customer in sample:
        result = run_analysis(customer, real_context, language)
        allowed = _analysis_facts(service, result)
        texts = [result.risk.summary, result.risk.detail, result.reasons.background]
        texts += result.reasons.warning_signs
        texts += [t for r in result.reasons.reasons for t in (r.title, r.evidence, r.explanation)]
        if result.campaign is not None:
            texts.append(result.campaign.why_it_fits)
        for text in texts:
            assert ungrounded_numbers(text, allowed) == [], (customer, text)
        if result.communications is not None:
            checked_messages += 1
            message_allowed = _message_facts(service, result)
            for text in text_fields(result.communications):
                assert ungrounded_numbers(text, message_allowed) == [], (customer, text)
    assert checked_messages > 30
