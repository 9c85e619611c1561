"""Reasoning: why this customer may leave, in words a manager can act on.

Reasons are the customer's strongest raising drivers (2–4), each with their own values as
evidence. Total charges move with tenure, so when both push towards churn they are one reason.
Behaviour signals become warning signs, marked when they were simulated.
"""

from __future__ import annotations

from langgraph.runtime import Runtime

from agents.checks.grounding import fact_numbers, grounding_problems
from agents.context import Context
from agents.kit import Kits
from agents.llm.writer import llm_seconds_spent
from agents.outputs import ChurnReasons, Reason, ReasoningDraft, RiskAssessment
from agents.state import AnalysisState
from agents.trace import StepRecorder
from agents.writers import offline
from core.types import Language
from data.schema import ADDON_SERVICES
from tools.schemas import CustomerProfile, Driver

MIN_REASONS, MAX_REASONS = 2, 4
#: A driver this weak (in log-odds) is not a reason, unless needed to reach the minimum.
MEANINGFUL_CONTRIBUTION = 0.05
#: When each behaviour signal counts as a warning sign.
WARNING_THRESHOLDS = {"complain_count": 1, "usage_drop_rate": 0.2}
FEW_LOGINS = 3


def pick_reasons(drivers: list[Driver]) -> list[Driver]:
    raising = [d for d in drivers if d.contribution > 0]
    features = {d.feature for d in raising}
    if {"tenure", "TotalCharges"} <= features:
        raising = [d for d in raising if d.feature != "TotalCharges"]
    strong = [d for d in raising if d.contribution >= MEANINGFUL_CONTRIBUTION]
    picked = strong if len(strong) >= MIN_REASONS else raising[:MIN_REASONS]
    return picked[:MAX_REASONS]


def warning_signals(fields: dict, simulated: list[str]) -> list[tuple[str, object, bool]]:
    signs = []
    for signal, threshold in WARNING_THRESHOLDS.items():
        if signal in fields and float(fields[signal]) >= threshold:
            signs.append((signal, fields[signal], signal in simulated))
    if "recent_login_count" in fields and int(fields["recent_login_count"]) <= FEW_LOGINS:
        signs.append(
            ("recent_login_count", fields["recent_login_count"], "recent_login_count" in simulated)
        )
    return signs


def signal_effect(signal: str, risk: RiskAssessment) -> str:
    """What the churn model does with a warning sign in this customer's score: a sign that is
    worrying in general can still lower the risk of this customer (its exact contribution)."""
    for driver in (*risk.top_drivers, *risk.protective_drivers):
        if driver.feature == signal:
            if driver.contribution >= MEANINGFUL_CONTRIBUTION / 2:
                return "raises"
            if driver.contribution <= -MEANINGFUL_CONTRIBUTION / 2:
                return "lowers"
    return "little"


def reasoning_facts(
    risk: RiskAssessment, profile: CustomerProfile, reasons: list[Driver], language: Language
) -> dict:
    f = profile.fields
    ev = offline.evidence
    return {
        "customer_id": risk.customer_id,
        "risk_level": risk.risk_level,
        "reasons": [
            {
                "feature": d.feature,
                "title": offline.reason_title(d.feature, language),
                "evidence": ev(d.feature, d.value, language),
            }
            for d in reasons
        ],
        "signals": [
            {
                "signal": s,
                "evidence": ev(s, v, language),
                "simulated": sim,
                "effect": signal_effect(s, risk),
            }
            for s, v, sim in warning_signals(f, profile.simulated_signals)
        ],
        "profile": {
            "tenure": ev("tenure", f["tenure"], language),
            "contract": ev("Contract", f["Contract"], language),
            "internet": ev("InternetService", f["InternetService"], language),
            "addons": sum(f[s] == "Yes" for s in ADDON_SERVICES),
            "charges": ev("MonthlyCharges", f["MonthlyCharges"], language),
            "payment": ev("PaymentMethod", f["PaymentMethod"], language),
        },
    }


def _check(draft: ReasoningDraft, n_reasons: int, allowed: set[float]) -> list[str]:
    problems = grounding_problems(draft, allowed)
    if len(draft.explanations) != n_reasons:
        problems.append(f"{len(draft.explanations)} explanations for {n_reasons} reasons")
    return problems


def reasoning(state: AnalysisState, runtime: Runtime[Context], *, kits: Kits) -> dict:
    kit = kits.kit_for(runtime.context)
    language = state["language"]
    step = StepRecorder("reasoning")
    risk: RiskAssessment = state["risk"]
    profile: CustomerProfile = state["profile"]
    drivers = pick_reasons(risk.top_drivers)
    facts = reasoning_facts(risk, profile, drivers, language)
    written = kit.writer.write(
        "reasoning",
        ReasoningDraft,
        facts,
        language,
        offline=lambda: offline.reasoning(facts, language),
        check=lambda draft: _check(draft, len(drivers), fact_numbers(facts)),
        spent_s=llm_seconds_spent(state.get("trace", [])),
    )
    reasons = ChurnReasons(
        reasons=[
            Reason(
                feature=d.feature,
                title=item["title"],
                evidence=item["evidence"],
                explanation=text,
                contribution=d.contribution,
                simulated=d.simulated,
            )
            for d, item, text in zip(
                drivers, facts["reasons"], written.draft.explanations, strict=True
            )
        ],
        # Signals are facts with the model's own effect: worded by code whoever wrote the rest,
        # so a sign that lowers this customer's risk is never shown as pushing it up.
        warning_signs=offline.warning_lines(facts, language),
        background=written.draft.background,
        simulated_signals=profile.simulated_signals,
        written_by=written.written_by,
    )
    trace = step.finish(written)
    return {"reasons": reasons, "trace": [trace]}
