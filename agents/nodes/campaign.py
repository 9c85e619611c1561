"""Campaign designer: the offer worth its cost for this customer, chosen by expected value.

The offer desk re-scores the customer under every eligible playbook offer; here the best
expected value wins and the next ones are kept as runners-up. When none pays for itself the
plan says so instead of pretending.
"""

from __future__ import annotations

from langgraph.runtime import Runtime

from agents.checks.grounding import fact_numbers, grounding_problems
from agents.context import Context
from agents.kit import Kits
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
    chosen = evaluation.options[0]
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
    plan = CampaignPlan(
        offer=chosen,
        offer_title=facts["chosen"]["title"],
        runners_up=evaluation.options[1 : 1 + RUNNERS_UP],
        worth_its_cost=chosen.expected_value > 0,
        why_it_fits=written.draft.why_it_fits,
        value_at_risk=evaluation.value_at_risk,
        budget_cap=evaluation.budget_cap,
        ineligible=evaluation.ineligible,
        caveat=t("campaign.caveat", language),
        written_by=written.written_by,
    )
    trace = step.finish(written)
    return {"campaign": plan, "trace": [trace]}
