"""Outcomes in, effect out: a file checked like a customer file, stored once however often it is
imported, and a campaign's effect with its interval — or "too few outcomes to conclude"."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from crm_agents.campaigns import draft_campaign
from crm_agents.outcomes import (
    campaign_results,
    outcomes_of,
    read_outcomes,
    simulated_outcomes,
    store_outcomes,
)
from crm_agents.store.campaigns import members_of
from data.validation import DataValidationError
from tests.integration.test_campaigns import _all_offers, _spec, engine, stored_run  # noqa: F401


@pytest.fixture
def campaign(engine, demo):  # noqa: F811
    draft = draft_campaign(engine, _spec(holdout_share=0.5), demo.settings, _all_offers(engine))
    return draft.campaign_id


def _file(tmp_path, rows: list[tuple]) -> object:
    path = tmp_path / "outcomes.csv"
    frame = pd.DataFrame(rows, columns=["customer_id", "campaign_id", "outcome", "date"])
    frame.to_csv(path, index=False)
    return path


def _members(engine, campaign):  # noqa: F811
    return members_of(engine, campaign)["customer_id"].tolist()


def test_a_file_of_outcomes_is_stored_once_however_often_it_is_imported(
    engine,  # noqa: F811
    campaign,
    tmp_path,
):
    ids = _members(engine, campaign)[:5]
    path = _file(tmp_path, [(c, campaign, "retained", "2027-05-01") for c in ids])
    assert store_outcomes(engine, read_outcomes(path, engine), "outcomes.csv") == 5
    store_outcomes(engine, read_outcomes(path, engine), "outcomes.csv")
    stored = outcomes_of(engine, campaign)
    assert len(stored) == 5 and set(stored["customer_id"]) == set(ids)


def test_every_problem_of_a_file_is_named_with_its_lines_and_nothing_is_stored(
    engine,  # noqa: F811
    campaign,
    tmp_path,
):
    first, second = _members(engine, campaign)[:2]
    rows = [
        (first, campaign, "stayed", "2027-05-01"),
        (second, campaign, "churned", "01/05/2027"),
        ("9999-NOBODY", "x", "retained", "2027-05-01"),
    ]
    with pytest.raises(DataValidationError) as refused:
        read_outcomes(_file(tmp_path, rows), engine)
    words = str(refused.value)
    assert "column outcome: line 2 not one of retained, churned" in words
    assert "column date: line 3 not a date written YYYY-MM-DD" in words
    assert "column campaign_id: line 4 not a campaign number" in words
    assert "欄位 outcome：第 2 行不是 retained、churned 之一" in refused.value.words("zh-TW")
    assert outcomes_of(engine, campaign).empty


def test_an_outcome_for_a_customer_outside_the_campaign_is_refused(
    engine,  # noqa: F811
    campaign,
    tmp_path,
):
    path = _file(tmp_path, [("9999-NOBOD", campaign, "retained", "2027-05-01")])
    with pytest.raises(DataValidationError, match="not in that campaign"):
        read_outcomes(path, engine)


def test_simulated_outcomes_show_the_offers_effect_with_an_interval_around_the_truth(
    engine,  # noqa: F811
    campaign,
    demo,
):
    contracts = demo.service.data.customers["Contract"]
    drawn, truth = simulated_outcomes(engine, campaign, contracts, 3, date(2027, 5, 1))
    store_outcomes(engine, drawn, "simulated")
    found = campaign_results(engine, campaign)
    assert found.with_outcome == found.members
    effect = found.overall.effect
    assert effect.low < effect.difference < effect.high
    assert abs(effect.difference - truth) < 3 * (effect.high - effect.low)
    members = members_of(engine, campaign)
    assert effect.treated == members["arm"].eq("treated").sum()
    # Each offer: its treated against the controls it would have had; together, everyone.
    assert set(found.by_offer) == set(members["offer_id"])
    per_offer = found.by_offer.values()
    assert sum(g.effect.treated + g.effect.control for g in per_offer if g.effect) <= len(members)
    cost = members.loc[members["arm"] == "treated", "total_cost"].sum()
    assert found.overall.cost == pytest.approx(cost)


def test_a_handful_of_outcomes_is_too_few_to_conclude(engine, campaign, tmp_path):  # noqa: F811
    members = members_of(engine, campaign)
    few = pd.concat([members[members.arm == "treated"][:2], members[members.arm == "control"][:2]])
    rows = [(c, campaign, "retained", "2027-05-01") for c in few["customer_id"]]
    store_outcomes(engine, read_outcomes(_file(tmp_path, rows), engine), "few")
    found = campaign_results(engine, campaign)
    assert found.with_outcome == 4 and not found.overall.conclusive
