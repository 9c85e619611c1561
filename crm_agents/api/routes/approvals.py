"""`/api/v1/campaigns/{id}/approvals`: each treated customer's item decided through the
analysis graph's approval step (Agent Inbox's accept, edit, respond, ignore), with the same
rules as the app and the CLI: an edit is checked like a writer's draft, an item decided or
being decided is refused with who and when."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Body, Query, Request

from core.i18n import Phrase
from crm_agents.api.campaign_schemas import (
    AcceptAll,
    AcceptedAll,
    ApprovalItem,
    ApprovalState,
    Decision,
    Draft,
)
from crm_agents.api.idempotency import IdempotencyKey, answered, once
from crm_agents.api.problems import ApiProblem, Problem
from crm_agents.api.routes.campaigns import MISSING, REFUSED, CampaignId, campaign_view
from crm_agents.api.schemas import CustomerId
from crm_agents.api.security import Approver, Reader, context_of
from crm_agents.approvals import accept_all, decide, open_review
from crm_agents.store.api_keys import ApiKey
from crm_agents.store.approvals import approval_rows
from graph.review import Decided, Pending

router = APIRouter(prefix="/campaigns", tags=["approvals"])


def _by(key: ApiKey) -> str:
    """Who decided, as the approvals record it: the key's name."""
    return f"api:{key.name}"


@router.get(
    "/{campaign_id}/approvals",
    response_model=list[ApprovalItem],
    responses=MISSING,
    summary="The campaign's items and where each stands",
)
def list_approvals(
    campaign_id: CampaignId,
    request: Request,
    _key: Reader,
    status: Annotated[
        list[str] | None, Query(description="pending, deciding, accept, edit, respond, ignore")
    ] = None,
) -> list[ApprovalItem]:
    campaign_view(request, campaign_id)
    rows = approval_rows(context_of(request).store, campaign_id, tuple(status) if status else None)
    return [
        ApprovalItem(**{k: (None if pd.isna(r[k]) else r[k]) for k in ApprovalItem.model_fields})
        for r in rows.to_dict("records")
    ]


def _state(campaign_id: int, found: Pending | Decided) -> ApprovalState:
    if isinstance(found, Decided):
        result = found.result
        return ApprovalState(
            campaign_id=campaign_id,
            customer_id=result.customer_id,
            status="decided",
            approval=result.approval,
            result=result,
        )
    draft, args = found.draft, found.request["action_request"]["args"]
    return ApprovalState(
        campaign_id=campaign_id,
        customer_id=found.customer_id,
        status="pending",
        draft=Draft(
            offer_id=args["offer_id"],
            offers=list(found.request.get("offers", [])),
            email_subject=draft.email_subject,
            email_body=draft.email_body,
            sms=draft.sms,
            call_script=draft.script_text(),
        ),
        problems=found.problems,
    )


@router.get(
    "/{campaign_id}/approvals/{customer_id}",
    response_model=ApprovalState,
    responses={404: {"model": Problem}, 409: {"model": Problem}},
    summary="One item: the draft waiting for a decision, or the decision",
)
def read_approval(
    campaign_id: CampaignId, customer_id: CustomerId, request: Request, _key: Reader
) -> ApprovalState:
    campaign_view(request, campaign_id)
    context = context_of(request)
    return _state(
        campaign_id, open_review(context.store, context.reviews, campaign_id, customer_id)
    )


@router.post(
    "/{campaign_id}/approvals/{customer_id}",
    response_model=ApprovalState,
    responses={
        404: {"model": Problem},
        409: {"model": Problem, "description": "Decided already, or someone is deciding it"},
        422: {"model": Problem, "description": "An edit the checks refused, with why"},
    },
    summary="Decide one item: accept, edit, respond or ignore (Agent Inbox's answers)",
)
def decide_approval(
    campaign_id: CampaignId,
    customer_id: CustomerId,
    decision: Decision,
    request: Request,
    key: Approver,
    _retry: IdempotencyKey = None,
):
    campaign_view(request, campaign_id)
    context = context_of(request)
    args = decision.edit if decision.type == "edit" else decision.note
    response = {"type": decision.type, "args": args, "by": _by(key)}

    def run():
        outcome = decide(context.store, context.reviews, campaign_id, customer_id, response)
        if isinstance(outcome, Pending):
            problems = [{"location": ["body", "edit"], "problem": p} for p in outcome.problems]
            raise ApiProblem(
                422, Phrase("api.edit_refused", {"problems": outcome.problems}), errors=problems
            )
        return answered(200, _state(campaign_id, outcome))

    return once(request, key, decision, run, variant=f"{campaign_id}/{customer_id}")


@router.post(
    "/{campaign_id}/accept-all",
    response_model=AcceptedAll,
    responses=REFUSED,
    summary="Accept the pending items as written (all, or those named)",
)
def accept_all_approvals(
    campaign_id: CampaignId,
    request: Request,
    key: Approver,
    _retry: IdempotencyKey = None,
    asked: Annotated[AcceptAll | None, Body()] = None,
):
    campaign_view(request, campaign_id)
    context = context_of(request)
    asked = asked or AcceptAll()

    def run():
        done = accept_all(context.store, context.reviews, campaign_id, _by(key), asked.customers)
        return answered(200, AcceptedAll(accepted=done.accepted, left=done.left))

    return once(request, key, asked, run, variant=str(campaign_id))
