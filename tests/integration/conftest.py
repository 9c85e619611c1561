"""Fixtures of the campaign loop's tests: a results database with one batch run, on SQLite
and on a real PostgreSQL (`database`), in which each test makes a campaign of its own."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from crm_agents.approvals import reviews_on
from crm_agents.batch.run import run_batch
from crm_agents.campaigns import draft_campaign
from crm_agents.store import database
from crm_agents.store.approvals import open_approvals
from crm_agents.store.campaigns import members_of, offered_analyses
from tests.postgres_cluster import database_kinds, postgres_cluster
from tools.campaigns.planning import CampaignSpec


@pytest.fixture(scope="module", params=database_kinds())
def store_url(request, demo, tmp_path_factory):
    """A results database with one batch run of 80 medium- and high-risk analyses. Each test
    makes a campaign of its own in it."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('approvals') / 'crm.db'}"
        run_batch(demo.analyzer, url, min_risk="medium", limit=80, workers=1)
        yield url
        return
    with postgres_cluster() as url:
        run_batch(demo.analyzer, url, min_risk="medium", limit=80, workers=1)
        yield url


@pytest.fixture
def engine(store_url):
    return database.open_store(store_url)


def new_campaign(engine, demo, **choices) -> int:
    fields = {
        "name": f"Winter {uuid.uuid4().hex[:8]}",
        "starts_on": date(2027, 1, 4),
        "ends_on": date(2027, 2, 26),
        "owner": "ana",
        "holdout_share": 0.2,
    }
    spec = CampaignSpec(**fields | choices)
    offers = set(offered_analyses(engine, 1)["offer_id"])
    return draft_campaign(engine, spec, demo.settings, offers).campaign_id


@pytest.fixture
def in_review(engine, demo):
    """A campaign sent for approval, its reviews over the store's checkpoints."""
    campaign_id = new_campaign(engine, demo)
    open_approvals(engine, campaign_id)
    return engine, campaign_id, reviews_on(demo, engine)


def treated(engine, campaign_id) -> list[str]:
    members = members_of(engine, campaign_id)
    return list(members.loc[members["arm"] == "treated", "customer_id"])
