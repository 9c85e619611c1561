"""Approval: a person decides on the messages before anything can be sent.

In a run whose context does not ask for review (`Context.review`), it does nothing: the
messages stay drafts, and nothing is ready to send.

The node pauses the graph with LangGraph's `interrupt`, offering what LangChain's Agent Inbox
offers — accept, edit, respond (a note back), ignore — and is resumed with
`Command(resume=ReviewResponse)`. An edit is checked like a writer's draft (one SMS segment,
figures from the facts, only the chosen offer's terms, the run's language); a refused edit
pauses again with its problems, and the decision taken last is the one recorded. A new offer
(one of the customer's eligible offers) sends the run back to `communication`, which writes the
messages for it, and then here again: a person accepts the new words too.
"""

from __future__ import annotations

from typing import Any

from langgraph.graph import END
from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt
from pydantic import ValidationError

from agents.context import Context
from agents.kit import AgentKit, Kits
from agents.nodes.communication import communication_facts, communications_from, message_problems
from agents.outputs import (
    Approval,
    CampaignPlan,
    CommunicationDraft,
    Communications,
    MessageEdit,
    RefusedEdit,
    ReviewResponse,
)
from agents.state import AnalysisState
from agents.trace import StepRecorder, step_note
from core.formats import currency, percent
from core.i18n import t
from core.types import Language

#: What the interrupt offers, in Agent Inbox's words.
ALLOWED = {"allow_accept": True, "allow_edit": True, "allow_respond": True, "allow_ignore": True}
ACTION = "send_retention_offer"


def draft_of(messages: Communications) -> CommunicationDraft:
    """The messages as the words a writer drafts (what a reviewer edits)."""
    script = messages.call_script
    return CommunicationDraft(
        email_subject=messages.email.subject,
        email_body=messages.email.body,
        sms=messages.sms.text,
        call_greeting=script.greeting,
        call_reason=script.reason_for_call,
        call_offer=script.offer,
        objections=script.objections,
        call_close=script.close,
    )


def review_request(state: AnalysisState, problems: list[str]) -> dict[str, Any]:
    """The interrupt's payload: the action to approve, what may be done with it, a line for the
    reviewer in the run's language, and the problems of an edit just refused."""
    language: Language = state["language"]
    plan: CampaignPlan = state["campaign"]
    risk = state["risk"]
    description = t(
        "approval.description",
        language,
        customer=state["customer_id"],
        risk=t(f"risk_level.{risk.risk_level}", language),
        probability=percent(risk.probability),
        offer=plan.offer_title,
        cost=currency(plan.offer.total_cost, language),
        value=currency(plan.offer.expected_value, language),
    )
    if problems:
        description += "\n\n" + t("approval.refused", language, problems="; ".join(problems))
    return {
        "action_request": {
            "action": ACTION,
            "args": {
                "customer_id": state["customer_id"],
                "offer_id": plan.offer.offer_id,
                "offer_title": plan.offer_title,
                **draft_of(state["communications"]).model_dump(),
            },
        },
        "config": ALLOWED,
        "description": description,
        "problems": problems,
        "offers": [o.offer_id for o in (plan.offer, *plan.runners_up)],
    }


def replanned(plan: CampaignPlan, offer_id: str, by: str, kit: AgentKit, language: Language):
    """The plan with the reviewer's offer (one of the chosen offer and its runners-up, all
    eligible within budget), or the problem."""
    options = [plan.offer, *plan.runners_up]
    chosen = next((o for o in options if o.offer_id == offer_id), None)
    if chosen is None:
        known = ", ".join(o.offer_id for o in options)
        return t("approval.not_eligible", language, offer=offer_id, known=known)
    title = kit.playbook.get(offer_id).title_in(language)
    return plan.model_copy(
        update={
            "offer": chosen,
            "offer_title": title,
            "runners_up": [o for o in options if o.offer_id != offer_id],
            "worth_its_cost": chosen.expected_value > 0,
            "why_it_fits": t("approval.offer_chosen", language, by=by),
        }
    )


def edit_problems(state: AnalysisState, draft: CommunicationDraft, kit: AgentKit) -> list[str]:
    plan: CampaignPlan = state["campaign"]
    reasons = [r.feature for r in state["reasons"].reasons]
    language = state["language"]
    facts = communication_facts(
        plan, state["profile"], reasons, state["risk"].value_tier, kit.playbook, language
    )
    return message_problems(draft, facts, plan.offer.offer_id, language, kit.playbook)


def _decided(step: StepRecorder, approval: Approval, update: dict | None = None) -> Command:
    note = step_note(f"approval.{approval.decision}", by=approval.by)
    return Command(
        update={**(update or {}), "approval": approval, "trace": [step.finish(note=note)]},
        goto=END,
    )


def approval(state: AnalysisState, runtime: Runtime[Context], *, kits: Kits) -> Command:
    context = runtime.context or Context()
    if not context.review:  # the messages stay drafts; nothing is decided
        return Command(goto=END)
    kit = kits.kit_for(context)
    language: Language = state["language"]
    step = StepRecorder("approval")
    problems: list[str] = []
    refused: list[RefusedEdit] = []
    while True:  # each refused answer pauses again; resumed, the node replays the answers
        answer = interrupt(review_request(state, problems))
        try:
            response = ReviewResponse.model_validate(answer)
        except ValidationError as err:
            problems = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors()]
            continue
        base = {"decision": response.type, "by": response.by, "at": response.at}
        if response.type != "edit":
            note = response.args if response.type == "respond" else None
            return _decided(step, Approval(**base, note=note, refused=refused))
        edit: MessageEdit = response.args  # type: ignore[assignment]  (checked by the model)
        plan: CampaignPlan = state["campaign"]
        if edit.offer_id is not None and edit.offer_id != plan.offer.offer_id:
            new_plan = replanned(plan, edit.offer_id, response.by, kit, language)
            if isinstance(new_plan, str):
                problems = [new_plan]
                refused.append(RefusedEdit(by=response.by, at=response.at, problems=problems))
                continue
            # The messages are written again for the new offer, and come back here for a yes.
            trace = step.finish(note=step_note("approval.offer_changed", by=response.by))
            return Command(
                update={"campaign": new_plan, "trace": [trace], "approval": None},
                goto="communication",
            )
        changes = edit.model_dump(exclude={"offer_id"}, exclude_none=True)
        draft = draft_of(state["communications"]).model_copy(update=changes)
        draft = CommunicationDraft.model_validate(draft.model_dump())
        problems = edit_problems(state, draft, kit)
        if problems:
            refused.append(RefusedEdit(by=response.by, at=response.at, problems=problems))
            continue
        written_by = t("approval.edited_by", language, by=response.by)
        messages = communications_from(draft, plan.offer.offer_id, language, written_by)
        decided = Approval(**base, edited=list(changes), refused=refused)
        return _decided(step, decided, {"communications": messages})
