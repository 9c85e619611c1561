"""Campaign designer: the offer worth its cost for this customer, chosen by expected value.

The offer desk re-scores the customer under every eligible playbook offer; here the best
expected value wins and the next ones are kept as runners-up. When none pays for itself the
plan says so instead of pretending.
"""

from __future__ import annotations

from langgraph.runtime import Runtime

from agents.checks.grounding import fact_numbers, grounding_problems
from agents.context import Context
from agents.kit import AgentKit, Kits
from agents.llm.writer import llm_seconds_spent
from agents.outputs import CampaignDraft, CampaignPlan
from agents.state import AnalysisState
from agents.trace import StepRecorder, step_note
from agents.writers import offline
from core.i18n import t
from core.types import Language
from data.schema import feature_label
from tools.offers.playbook import Playbook
from tools.schemas import OfferEvaluation, OfferOption

RUNNERS_UP = 3


def campaign_facts(
    evaluation: OfferEvaluation, chosen: OfferOption, playbook: Playbook, language: Language
) -> dict:
    offer = playbook.get(chosen.offer_id)
    return {
        "customer_id": evaluation.customer_id,
        "value_at_risk": evaluation.value_at_risk,
        "worth_its_cost": chosen.expected_value > 0,
        "chosen": {
            "title": offer.title_in(language),
            "total_cost": chosen.total_cost,
            "monthly_cost": chosen.monthly_cost,
            "duration_months": chosen.duration_months,
            "probability_before_percent": round(evaluation.probability * 100, 1),
            "probability_after_percent": round(chosen.probability_after * 100, 1),
            "expected_value": chosen.expected_value,
            "addresses": [feature_label(f, language) for f in chosen.addresses],
        },
        "runners_up": [
            {
                "title": playbook.get(o.offer_id).title_in(language),
                "expected_value": o.expected_value,
            }
            for o in evaluation.options[1 : 1 + RUNNERS_UP]
        ],
    }


def campaign(state: AnalysisState, runtime: Runtime[Context], *, kits: Kits) -> dict:
    kit = kits.kit_for(runtime.context)
    language = state["language"]
    step = StepRecorder("campaign")
    evaluation = step.call(
        kit.tools.evaluate_offers, customer_id=state["customer_id"], language=language
    )
    if not evaluation.options:
        note = step_note("trace.no_offer_in_budget", budget={"money": evaluation.budget_cap})
        return {"campaign": None, "trace": [step.finish(note=note)]}
    chosen, by_uplift, note = evaluation.options[0], None, None
    if kit.settings.offer_ranking == "uplift":
        chosen, by_uplift, note = rank_by_uplift(evaluation, state, kit)
    facts = campaign_facts(evaluation, chosen, kit.playbook, language)
    written = kit.writer.write(
        "campaign",
        CampaignDraft,
        facts,
        language,
        offline=lambda: offline.campaign(facts, language),
        check=lambda draft: grounding_problems(draft, fact_numbers(facts)),
        spent_s=llm_seconds_spent(state.get("trace", [])),
    )
    others = [o for o in evaluation.options if o.offer_id != chosen.offer_id]
    plan = CampaignPlan(
        offer=chosen,
        offer_title=facts["chosen"]["title"],
        runners_up=others[:RUNNERS_UP],
        worth_its_cost=(by_uplift[1] if by_uplift else chosen.expected_value) > 0,
        why_it_fits=written.draft.why_it_fits,
        value_at_risk=evaluation.value_at_risk,
        budget_cap=evaluation.budget_cap,
        ineligible=evaluation.ineligible,
        caveat=t("campaign.caveat", language),
        written_by=written.written_by,
        estimate="uplift" if by_uplift is not None else "what_if",
        uplift=by_uplift[0] if by_uplift else None,
        uplift_value=by_uplift[1] if by_uplift else None,
    )
    trace = step.finish(written, note=note)
    return {"campaign": plan, "trace": [trace]}


def rank_by_uplift(
    evaluation: OfferEvaluation, state: AnalysisState, kit: AgentKit
) -> tuple[OfferOption, tuple[float, float] | None, dict]:
    """The offer worth most by uplift × lifetime value − cost, among the offers the newest
    measured campaign found a persuadable segment for; else the what-if's best, and the trace
    says plainly why (no measured campaign, or no persuadable segment)."""
    learned = kit.learned_uplift
    first = evaluation.options[0]
    if learned is None:
        return first, None, step_note("trace.uplift_unmeasured")
    risk = state["risk"]
    customer = {**state["profile"].fields, "churn_probability": risk.probability}
    lifetime = risk.lifetime.lifetime_value if risk.lifetime else risk.value_at_risk
    valued = []
    for option in evaluation.options:
        uplift = learned.uplift(option.offer_id, customer)
        if uplift is not None:
            valued.append((uplift * lifetime - option.total_cost, uplift, option))
    if not valued:
        tested = ", ".join(sorted(learned.verdicts)) or "—"
        note = step_note("trace.uplift_none", campaign=learned.campaign_id, offers=tested)
        return first, None, note
    value, uplift, best = max(valued, key=lambda v: v[0])
    note = step_note(
        "trace.uplift_ranked",
        campaign=learned.campaign_id,
        uplift=f"{uplift * 100:.1f}",
        value={"money": value},
    )
    return best, (uplift, value), note
