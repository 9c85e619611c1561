"""Communication writer: the email, SMS and call script that deliver the chosen offer.

The customer never sees scores. The texts may quote only the chosen offer's terms and the
customer's own bill, and may not name any other offer; the SMS must fit one segment.
"""

from __future__ import annotations

from langgraph.runtime import Runtime
from pydantic import ValidationError

from agents.checks.claims import claim_problems
from agents.checks.drafts import draft_problems
from agents.checks.grounding import fact_numbers, grounding_problems
from agents.context import Context
from agents.kit import Kits
from agents.llm.writer import llm_seconds_spent
from agents.outputs import (
    CallScript,
    CampaignPlan,
    CommunicationDraft,
    Communications,
    Email,
    Sms,
)
from agents.state import AnalysisState
from agents.trace import StepRecorder
from agents.writers import offline_messages
from core.languages import languages
from core.types import Language
from tools.offers.playbook import Playbook
from tools.schemas import CustomerProfile


def communication_facts(
    plan: CampaignPlan,
    profile: CustomerProfile,
    reasons: list[str],
    value_tier: str,
    playbook: Playbook,
    language: Language,
) -> dict:
    offer = playbook.get(plan.offer.offer_id)
    return {
        "offer": {
            "title": offer.title_in(language),
            "pitch": offer.pitch_in(language),
            "type": offer.type,
            "changes": offer.changes,
            "duration_months": offer.duration_months,
            "discount_percent": offer.discount_percent,
            "bill_credit": offer.bill_credit,
            "price_during_offer": plan.offer.price_during_offer,
            "current_monthly_charges": float(profile.fields["MonthlyCharges"]),
        },
        "context": {"tenure_months": int(profile.fields["tenure"]), "reasons": reasons},
        "value_tier": value_tier,
    }


def communications_from(
    draft: CommunicationDraft, offer_id: str, language: Language, written_by: str
) -> Communications:
    return Communications(
        offer_id=offer_id,
        email=Email(subject=draft.email_subject, body=draft.email_body),
        sms=Sms(text=draft.sms, language=language),
        call_script=CallScript(
            greeting=draft.call_greeting,
            reason_for_call=draft.call_reason,
            offer=draft.call_offer,
            objections=draft.objections,
            close=draft.call_close,
        ),
        written_by=written_by,
    )


def other_offer_titles(playbook: Playbook, offer_id: str) -> list[str]:
    """Every other offer's title in every language: words the messages may not use."""
    return [o.title_in(lang) for o in playbook.offers if o.id != offer_id for lang in languages()]


def message_problems(
    draft: CommunicationDraft, facts: dict, offer_id: str, language: Language, playbook: Playbook
) -> list[str]:
    """Everything the writer's checks find in messages written by someone else (a reviewer's
    edit): text in the language and free of markup, figures and claims from the facts, no other
    offer named, an SMS that fits one segment."""
    return [
        *draft_problems(draft, language),
        *claim_problems(draft, facts),
        *_check(
            draft, offer_id, language, fact_numbers(facts), other_offer_titles(playbook, offer_id)
        ),
    ]


def _check(
    draft: CommunicationDraft, offer_id: str, language: Language, allowed: set, others: list[str]
) -> list[str]:
    problems = grounding_problems(draft, allowed, forbidden_terms=others)
    try:
        communications_from(draft, offer_id, language, "check")
    except ValidationError as err:
        problems += [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors()]
    return problems


def communication(state: AnalysisState, runtime: Runtime[Context], *, kits: Kits) -> dict:
    kit = kits.kit_for(runtime.context)
    language = state["language"]
    step = StepRecorder("communication")
    plan: CampaignPlan = state["campaign"]
    offer_id = plan.offer.offer_id
    reasons = [r.feature for r in state["reasons"].reasons]
    facts = communication_facts(
        plan, state["profile"], reasons, state["risk"].value_tier, kit.playbook, language
    )
    others = other_offer_titles(kit.playbook, offer_id)
    written = kit.writer.write(
        "communication",
        CommunicationDraft,
        facts,
        language,
        offline=lambda: offline_messages.communication(facts, language),
        check=lambda draft: _check(draft, offer_id, language, fact_numbers(facts), others),
        spent_s=llm_seconds_spent(state.get("trace", [])),
    )
    communications = communications_from(written.draft, offer_id, language, written.written_by)
    trace = step.finish(written)
    return {"communications": communications, "trace": [trace]}
