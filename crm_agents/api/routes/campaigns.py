"""`/api/v1/campaigns`: the campaign loop's objects with the same rules as the app and the CLI —
a draft from the latest batch run, sent for approval, each item decided through the analysis
graph's approval step (an edit checked like a writer's draft), exported after the contact
policy, outcomes imported, results measured, closed."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Path, Request
from sqlalchemy.engine import Engine

from core.i18n import Phrase
from crm_agents.api.campaign_schemas import Campaign, Member
from crm_agents.api.idempotency import IdempotencyKey, answered, once
from crm_agents.api.problems import ApiProblem, Problem
from crm_agents.api.security import Approver, Reader, context_of
from crm_agents.campaigns import draft_campaign
from crm_agents.exports import FILES
from crm_agents.outcomes import campaign_results
from crm_agents.store.api_keys import ApiKey
from crm_agents.store.approvals import approval_counts, move_campaign, open_approvals
from crm_agents.store.campaigns import campaign_rows, members_of, plain
from tools.campaigns.planning import CampaignSpec
from tools.campaigns.results import CampaignResults
from tools.offers.playbook import load_playbook

router = APIRouter(prefix="/campaigns", tags=["campaigns"])
CampaignId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The campaign's number")]
MISSING = {404: {"model": Problem, "description": "No such campaign"}}
REFUSED = MISSING | {409: {"model": Problem, "description": "Not in a stage that allows it"}}
#: The files an export writes, by name.
FILE_NAMES = (*FILES.values(), "exclusions.csv")


def _by(key: ApiKey) -> str:
    """Who decided, as the approvals record it: the key's name."""
    return f"api:{key.name}"


def _views(store: Engine, rows: pd.DataFrame) -> list[Campaign]:
    views = []
    for row in plain(rows).to_dict("records"):
        budget = row["budget"]
        views.append(
            Campaign(
                **{k: row[k] for k in Campaign.model_fields if k not in ("approvals", "budget")},
                budget=None if pd.isna(budget) else float(budget),
                approvals=approval_counts(store, int(row["id"])),
            )
        )
    return views


def campaign_view(request: Request, campaign_id: int) -> Campaign:
    """The campaign, or a 404 naming it."""
    store = context_of(request).store
    found = campaign_rows(store, campaign_id)
    if found.empty:
        raise ApiProblem(404, Phrase("approvals.no_campaign", {"id": campaign_id}))
    return _views(store, found)[0]


@router.get("", response_model=list[Campaign], summary="Every campaign, newest first")
def list_campaigns(request: Request, _key: Reader) -> list[Campaign]:
    store = context_of(request).store
    return _views(store, campaign_rows(store))


@router.post(
    "",
    status_code=201,
    response_model=Campaign,
    summary="A draft campaign from the latest completed batch run, its members assigned",
    responses={409: {"model": Problem, "description": "No batch run, unknown offer, nobody"}},
)
def create_campaign(
    spec: CampaignSpec, request: Request, key: Approver, _retry: IdempotencyKey = None
):
    context = context_of(request)

    def run():
        known = {o.id for o in load_playbook().offers}
        draft = draft_campaign(context.store, spec, context.settings, known)
        headers = {"Location": f"/api/v1/campaigns/{draft.campaign_id}"}
        return answered(201, campaign_view(request, draft.campaign_id), headers)

    return once(request, key, spec, run)


@router.get("/{campaign_id}", response_model=Campaign, responses=MISSING, summary="A campaign")
def read_campaign(campaign_id: CampaignId, request: Request, _key: Reader) -> Campaign:
    return campaign_view(request, campaign_id)


@router.get(
    "/{campaign_id}/members",
    response_model=list[Member],
    responses=MISSING,
    summary="Who the campaign is for: each customer's arm (treated or held-out control) and offer",
)
def list_members(campaign_id: CampaignId, request: Request, _key: Reader) -> list[Member]:
    campaign_view(request, campaign_id)
    rows = members_of(context_of(request).store, campaign_id)
    return [
        Member(customer_id=r.customer_id, arm=r.arm, offer_id=r.offer_id)
        for r in rows.itertuples(index=False)
    ]


@router.post(
    "/{campaign_id}/submit",
    response_model=Campaign,
    responses=REFUSED,
    summary="Send a draft for approval: an item per treated customer",
)
def submit_campaign(campaign_id: CampaignId, request: Request, _key: Approver) -> Campaign:
    campaign_view(request, campaign_id)
    open_approvals(context_of(request).store, campaign_id)
    return campaign_view(request, campaign_id)


@router.get(
    "/{campaign_id}/results",
    response_model=CampaignResults,
    responses=MISSING,
    summary="The effect on who stays, overall and per offer, with its interval and worth",
)
def results(campaign_id: CampaignId, request: Request, _key: Reader) -> CampaignResults:
    campaign_view(request, campaign_id)
    return campaign_results(context_of(request).store, campaign_id)


@router.post(
    "/{campaign_id}/close",
    response_model=Campaign,
    responses=REFUSED,
    summary="Close an exported or measured campaign",
)
def close(campaign_id: CampaignId, request: Request, _key: Approver) -> Campaign:
    found = campaign_view(request, campaign_id)
    if not move_campaign(
        context_of(request).store, campaign_id, ("exported", "measuring"), "closed"
    ):
        raise ApiProblem(
            409, Phrase("exports.not_closable", {"id": campaign_id, "status": found.status})
        )
    return campaign_view(request, campaign_id)
