"""Analyst: how likely is this customer to leave, what drives the score, what is at stake."""

from __future__ import annotations

from langgraph.runtime import Runtime
from langgraph.types import Overwrite

from agents.checks.drafts import risk_word_problems
from agents.checks.grounding import fact_numbers, grounding_problems
from agents.context import Context
from agents.kit import Kits
from agents.outputs import AnalystDraft, RiskAssessment
from agents.state import AnalysisState
from agents.trace import StepRecorder
from agents.writers import offline
from core.types import Language
from tools.schemas import ChurnPrediction, Driver, ValueSegment
from tools.service.time_to_churn import next_step
from tools.timing_schemas import TimeToChurn

TOP_DRIVERS = 5
PROTECTIVE_DRIVERS = 3
#: Contributions smaller than this (in log-odds) are noise, not something holding a customer.
NOTABLE = 0.05


def _driver_facts(drivers: list[Driver], language: Language) -> list[dict]:
    return [
        {
            "feature": d.feature,
            "evidence": offline.evidence(d.feature, d.value, language),
            "contribution": round(d.contribution, 2),
            "simulated": d.simulated,
        }
        for d in drivers
    ]


def analyst_facts(
    prediction: ChurnPrediction,
    value: ValueSegment,
    language: Language,
    lifetime: TimeToChurn | None = None,
) -> dict:
    timing = (
        {
            "within_days": 90,
            "leave_within_90d_percent": round(lifetime.churn_within_90d * 100, 1),
            "median_months_left": lifetime.median_months_left,
            "lifetime_value": lifetime.lifetime_value,
            "lifetime_months": lifetime.horizon_months,
        }
        if lifetime is not None
        else {}
    )
    return {
        **timing,
        "customer_id": prediction.customer_id,
        "probability_percent": round(prediction.probability * 100, 1),
        "risk_level": prediction.risk_level,
        "value_tier": value.tier,
        "monthly_charges": value.monthly_charges,
        "value_at_risk": value.clv_estimate,
        "horizon_months": value.clv_horizon_months,
        "drivers_up": _driver_facts(prediction.top_drivers(3), language),
        "drivers_down": _driver_facts(
            [d for d in prediction.top_drivers(2, raising=False) if d.contribution <= -NOTABLE],
            language,
        ),
    }


def analyst(state: AnalysisState, runtime: Runtime[Context], *, kits: Kits) -> dict:
    """First node of a run: it also resets what an earlier run on the thread left behind."""
    kit = kits.kit_for(runtime.context)
    language = kit.language(runtime.context)
    step = StepRecorder("analyst")
    customer_id = kit.service.canonical_id(state["customer_id"])
    profile = step.call(kit.tools.lookup_customer, customer_id=customer_id)
    prediction = step.call(kit.tools.predict_churn, customer_id=customer_id)
    value = step.call(kit.tools.segment_value, customer_id=customer_id)
    lifetime = (
        step.call(kit.tools.predict_time_to_churn, customer_id=customer_id)
        if kit.service.survival is not None
        else None
    )
    facts = analyst_facts(prediction, value, language, lifetime)
    written = kit.writer.write(
        "analyst",
        AnalystDraft,
        facts,
        language,
        offline=lambda: offline.analyst(facts, language),
        check=lambda draft: [
            *grounding_problems(draft, fact_numbers(facts)),
            *risk_word_problems(draft, facts["risk_level"]),
        ],
        spent_s=0.0,  # the first node: no LLM time spent yet in this run
    )
    risk = RiskAssessment(
        customer_id=prediction.customer_id,
        probability=prediction.probability,
        risk_level=prediction.risk_level,
        value_tier=value.tier,
        value_basis=value.basis,
        monthly_charges=value.monthly_charges,
        value_at_risk=value.clv_estimate,
        clv_horizon_months=value.clv_horizon_months,
        lifetime=lifetime,
        next_step=next_step(prediction.risk_level, lifetime, kit.settings),
        top_drivers=prediction.top_drivers(TOP_DRIVERS),
        protective_drivers=prediction.top_drivers(PROTECTIVE_DRIVERS, raising=False),
        actionable_driver=prediction.top_actionable_driver(),
        similar=value.similar,
        model=prediction.model,
        data_source=kit.service.data.origin.describe(language),
        summary=written.draft.summary,
        detail=written.draft.detail,
        written_by=written.written_by,
    )
    return {
        "customer_id": customer_id,
        "language": language,
        "profile": profile,
        "risk": risk,
        "campaign": None,
        "communications": None,
        "trace": Overwrite([step.finish(written)]),
    }
