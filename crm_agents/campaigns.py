"""A campaign made from the latest completed batch run and stored with its members, assigned
before anyone sees the list (the planning itself: `tools/campaigns/planning.py`)."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from core.i18n import Phrase
from core.settings import Settings
from crm_agents.store.campaigns import create_campaign, latest_completed_run, offered_analyses
from tools.campaigns.planning import (
    CampaignDraft,
    CampaignError,
    CampaignSpec,
    assign_arms,
    eligible_members,
    summarise,
    within_budget,
)


def draft_campaign(
    engine: Engine, spec: CampaignSpec, settings: Settings, known_offers: set[str]
) -> CampaignDraft:
    """Make the campaign (status draft) with its members, assigned before anyone sees them."""
    unknown = [o for o in spec.offers if o not in known_offers]
    if unknown:
        raise CampaignError(
            Phrase("campaigns.unknown_offer", {"offers": unknown, "known": sorted(known_offers)})
        )
    run_id = latest_completed_run(engine)
    if run_id is None:
        raise CampaignError(Phrase("campaigns.no_run"))
    eligible, excluded = eligible_members(offered_analyses(engine, run_id), spec, settings)
    members = within_budget(assign_arms(eligible, spec), spec.budget)
    if members.empty:
        raise CampaignError(Phrase("campaigns.nobody", {"run": run_id}))
    stored = members[
        [
            "customer_id",
            "arm",
            "bucket",
            "offer_id",
            "total_cost",
            "churn_probability",
            "risk_reduction",
        ]
    ]
    fields = spec.model_dump() | {"run_id": run_id, "status": "draft"}
    campaign_id = create_campaign(engine, fields, stored)
    return summarise(campaign_id, stored, excluded, len(eligible) - len(members))
