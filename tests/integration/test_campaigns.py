"""Campaigns made from a batch run: control groups assigned by hash before anyone sees the
list, a budget that cuts both arms alike, the global control group left alone, and a warning
when the campaign is too small for its effect to show."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from core.i18n import Phrase
from crm_agents.batch.run import run_batch
from crm_agents.campaigns import draft_campaign
from crm_agents.store import database
from crm_agents.store.campaigns import campaign_rows, members_of, offered_analyses
from models.uplift.control import in_campaign_holdout, in_global_control
from tools.campaigns.planning import CampaignError, CampaignSpec, assign_arms, eligible_members

OFFERS = {"contract_one_year_discount", "contract_two_year_price_lock", "autopay_credit"}


def _spec(name: str = "Spring", **overrides) -> CampaignSpec:
    fields = {
        "name": name,
        "starts_on": date(2027, 3, 1),
        "ends_on": date(2027, 4, 30),
        "owner": "ana",
        "holdout_share": 0.3,
    }
    return CampaignSpec(**fields | overrides)


@pytest.fixture(scope="module")
def stored_run(demo, tmp_path_factory):
    """A results database with one completed run of 150 medium- and high-risk analyses."""
    path = tmp_path_factory.mktemp("campaigns") / "crm.db"
    run_batch(demo.analyzer, f"sqlite:///{path}", min_risk="medium", limit=150, workers=1)
    return path


@pytest.fixture
def engine(stored_run, tmp_path):
    """A copy of that database per test: campaigns made in one test stay out of the others."""
    copy = tmp_path / "crm.db"
    for part in ("", "-wal", "-shm"):  # the write-ahead log holds the latest writes
        source = stored_run.with_name(stored_run.name + part)
        if source.exists():
            shutil.copy(source, copy.with_name(copy.name + part))
    return database.open_store(f"sqlite:///{copy}")


def test_every_member_is_in_the_arm_its_hash_says_and_appears_once(engine, demo):
    draft = draft_campaign(engine, _spec(), demo.settings, OFFERS | _all_offers(engine))
    members = members_of(engine, draft.campaign_id)
    assert members["customer_id"].is_unique
    expected = members["customer_id"].map(lambda c: in_campaign_holdout("Spring", c, 0.3))
    assert (members["arm"] == expected.map({True: "control", False: "treated"})).all()
    assert 0.15 < draft.control / (draft.treated + draft.control) < 0.45


def test_two_campaigns_hold_out_different_customers(engine, demo):
    offers = _all_offers(engine)
    first = members_of(
        engine, draft_campaign(engine, _spec("A"), demo.settings, offers).campaign_id
    )
    second = members_of(
        engine, draft_campaign(engine, _spec("B"), demo.settings, offers).campaign_id
    )
    assert set(first["customer_id"]) == set(second["customer_id"])
    assert (first["arm"].to_numpy() != second["arm"].to_numpy()).any()


def test_the_budget_cuts_the_list_at_one_place_for_both_arms(engine, demo):
    offers = _all_offers(engine)
    spec = _spec(budget=1500.0)
    ordered, _ = eligible_members(offered_analyses(engine, 1), spec, demo.settings)
    draft = draft_campaign(engine, spec, demo.settings, offers)
    members = draft.members
    assert members.loc[members["arm"] == "treated", "total_cost"].sum() <= 1500.0
    # The kept customers are the first ones of the urgency order, controls included.
    assert list(members["customer_id"]) == list(ordered["customer_id"][: len(members)])
    assert draft.cut_by_budget == len(ordered) - len(members) > 0


def test_the_global_control_group_is_never_in_a_campaign(engine, demo):
    settings = demo.settings.model_copy(update={"global_control_share": 0.2})
    draft = draft_campaign(engine, _spec(), settings, _all_offers(engine))
    members = members_of(engine, draft.campaign_id)
    assert not members["customer_id"].map(lambda c: in_global_control(c, 0.2, "1")).any()
    assert draft.in_global_control > 0


def test_a_campaign_too_small_for_its_effect_says_so(engine, demo):
    draft = draft_campaign(engine, _spec(holdout_share=0.01), demo.settings, _all_offers(engine))
    assert draft.too_small


def test_a_name_already_taken_is_refused_in_the_readers_language(engine, demo):
    offers = _all_offers(engine)
    draft_campaign(engine, _spec(), demo.settings, offers)
    with pytest.raises(database.StoreError) as refused:
        draft_campaign(engine, _spec(), demo.settings, offers)
    assert refused.value.words("zh-TW") == "已有名為「Spring」的活動；請換一個名稱"
    assert len(campaign_rows(engine)) == 1


def test_an_unknown_offer_and_a_store_without_a_run_are_refused(engine, demo, tmp_path):
    with pytest.raises(CampaignError, match="no offer nope in the playbook"):
        draft_campaign(engine, _spec(offers=["nope"]), demo.settings, {"autopay_credit"})
    empty = database.open_store(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(CampaignError) as refused:
        draft_campaign(empty, _spec(), demo.settings, {"autopay_credit"})
    assert refused.value.phrase == Phrase("campaigns.no_run")


def test_a_campaign_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="before it starts"):
        _spec(ends_on=date(2027, 1, 1))


def test_the_arms_are_assigned_before_the_list_is_cut_or_seen(demo):
    import pandas as pd

    frame = pd.DataFrame({"customer_id": ["0001-A", "0002-B", "0003-C"]})
    arms = assign_arms(frame, _spec())
    assert list(arms["arm"]) == list(assign_arms(frame.iloc[::-1], _spec())["arm"])[::-1]


def _all_offers(engine) -> set[str]:
    return set(offered_analyses(engine, 1)["offer_id"])
