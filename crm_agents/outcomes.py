"""Outcomes in, effect out, around the results store: a file of outcomes — one row per
customer: `customer_id`, `campaign_id`, `outcome` (`retained` or `churned`) and `date`
(YYYY-MM-DD) — checked like a customer file (every problem named with its lines and what is
accepted, nothing stored unless all of it is right) and stored by (campaign, customer), so
importing it again changes nothing. The measuring is `tools/campaigns/results.py`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import delete, insert, select, tuple_, update
from sqlalchemy.engine import Engine

from core.i18n import Phrase
from crm_agents.store.approvals import campaign_status
from crm_agents.store.campaigns import members_of, members_with_value, plain
from crm_agents.store.database import now, writing
from crm_agents.store.outbox import emit
from crm_agents.store.schema import campaigns, contacts, outcomes
from data.validation import DataValidationError, lines_phrase
from tools.campaigns.results import CampaignResults, OutcomeError, measure, simulate
from tools.campaigns.targeting import LearnedUplift, Targets, learn_uplift, next_targets

COLUMNS = ("customer_id", "campaign_id", "outcome", "date")
OUTCOMES = ("retained", "churned")


def read_outcomes(path: Path, engine: Engine) -> pd.DataFrame:
    """The file's outcomes, checked against its columns, values and the campaigns' members."""
    source = str(path)
    if not path.is_file():
        raise DataValidationError(source, [Phrase("validation.no_file")])
    return checked_outcomes(pd.read_csv(path, dtype=str, keep_default_na=False), source, engine)


def checked_outcomes(raw: pd.DataFrame, source: str, engine: Engine) -> pd.DataFrame:
    """Outcomes as text columns (a file's, or an API request's), checked as a file is."""
    raw.columns = [c.strip() for c in raw.columns]
    missing = [c for c in COLUMNS if c not in raw]
    if missing:
        raise DataValidationError(
            source, [Phrase("outcomes.missing_columns", {"missing": missing, "columns": COLUMNS})]
        )
    if raw.empty:
        raise DataValidationError(source, [Phrase("validation.no_rows")])
    frame = raw[list(COLUMNS)].apply(lambda column: column.str.strip())
    problems: list[Phrase] = []
    frame["outcome"] = frame["outcome"].str.lower()
    bad = ~frame["outcome"].isin(OUTCOMES)
    if bad.any():
        problems.append(_problem("outcomes.bad_outcome", frame.index[bad], allowed=list(OUTCOMES)))
    dates = pd.to_datetime(frame["date"], format="%Y-%m-%d", errors="coerce")
    if dates.isna().any():
        problems.append(_problem("outcomes.bad_date", frame.index[dates.isna()]))
    ids = pd.to_numeric(frame["campaign_id"], errors="coerce")
    if ids.isna().any():
        problems.append(_problem("outcomes.bad_campaign", frame.index[ids.isna()]))
    twice = frame.duplicated(["campaign_id", "customer_id"], keep=False)
    if twice.any():
        problems.append(_problem("outcomes.twice", frame.index[twice]))
    if not problems:
        frame = frame.assign(campaign_id=ids.astype(int), observed_on=dates.dt.date)
        strangers = ~_members(engine, frame)
        if strangers.any():
            problems.append(_problem("outcomes.not_member", frame.index[strangers]))
    if problems:
        raise DataValidationError(source, problems)
    return frame[["campaign_id", "customer_id", "outcome", "observed_on"]]


def _problem(key: str, index: pd.Index, **values) -> Phrase:
    return Phrase(key, {"lines": lines_phrase(index), **values})


def _members(engine: Engine, frame: pd.DataFrame) -> pd.Series:
    """Whether each row's customer is a member of its campaign (control or treated)."""
    known: set[tuple[int, str]] = set()
    for campaign_id in frame["campaign_id"].unique():
        members = members_of(engine, int(campaign_id))["customer_id"]
        known |= {(int(campaign_id), c.casefold()) for c in members}
    keys = zip(frame["campaign_id"], frame["customer_id"].str.casefold(), strict=True)
    return pd.Series([key in known for key in keys], index=frame.index)


def store_outcomes(engine: Engine, frame: pd.DataFrame, source: str) -> int:
    """Store the outcomes, replacing what was stored for the same campaign and customer (so a
    second import of the same file changes nothing). Returns how many rows were stored."""
    keys = list(zip(frame["campaign_id"], frame["customer_id"], strict=True))
    rows = frame.assign(source=source, imported=now()).to_dict("records")
    with writing(), engine.begin() as connection:
        for start in range(0, len(keys), 500):
            part = keys[start : start + 500]
            connection.execute(
                delete(outcomes).where(
                    tuple_(outcomes.c.campaign_id, outcomes.c.customer_id).in_(part)
                )
            )
        connection.execute(insert(outcomes), rows)
        # An exported campaign whose outcomes come in is being measured.
        connection.execute(
            update(campaigns)
            .where(
                campaigns.c.id.in_({int(c) for c in frame["campaign_id"]}),
                campaigns.c.status == "exported",
            )
            .values(status="measuring")
        )
        by_campaign = frame.groupby("campaign_id")["outcome"].value_counts().unstack(fill_value=0)
        for campaign_id, counts in by_campaign.iterrows():
            data = {"campaign_id": int(campaign_id), "source": source}
            emit(connection, "outcomes.imported", data | {k: int(v) for k, v in counts.items()})
    return len(rows)


def outcomes_of(engine: Engine, campaign_id: int) -> pd.DataFrame:
    query = select(outcomes).where(outcomes.c.campaign_id == campaign_id)
    with engine.connect() as connection:
        return plain(pd.read_sql(query, connection))


def campaign_results(engine: Engine, campaign_id: int) -> CampaignResults:
    members = members_with_value(engine, campaign_id)
    return measure(campaign_id, members, outcomes_of(engine, campaign_id))


def simulated_outcomes(
    engine: Engine, campaign_id: int, contracts: pd.Series, seed: int, observed_on
) -> tuple[pd.DataFrame, float]:
    """The campaign's members' outcomes drawn from the simulator's known truth; once the
    campaign is exported, only the customers its files contact get an offer."""
    members = members_of(engine, campaign_id)
    query = select(contacts.c.customer_id).where(contacts.c.campaign_id == campaign_id)
    with engine.connect() as connection:
        contacted = set(connection.execute(query).scalars())
    if contacted or campaign_status(engine, campaign_id) in ("exported", "measuring", "closed"):
        members = members.assign(contacted=members["customer_id"].isin(contacted))
    return simulate(campaign_id, members, contracts, seed, observed_on)


def measured_members(engine: Engine, campaign_id: int, customers: pd.DataFrame) -> pd.DataFrame:
    """The campaign's members with an outcome, their arm, churn probability and profile
    (`customers`: the data in use, indexed by customer ID)."""
    members = members_of(engine, campaign_id)
    joined = members.merge(outcomes_of(engine, campaign_id), on="customer_id")
    missing = ~joined["customer_id"].isin(customers.index)
    if missing.any():
        raise OutcomeError(Phrase("outcomes.other_data", {"id": campaign_id}))
    profile = customers.loc[joined["customer_id"]].reset_index(drop=True)
    return pd.concat([joined.reset_index(drop=True), profile.drop(columns="customerID")], axis=1)


def uplift_targets(engine: Engine, campaign_id: int, service, top: int = 20) -> Targets:
    """Who the campaign's offer moved, learned from its outcomes, and the next campaign's
    targets among the whole base by uplift × lifetime value (`tools/campaigns/targeting.py`);
    `service`: the data in use and its scores."""
    customers = service.data.customers
    measured = measured_members(engine, campaign_id, customers)
    scores = service.scores().set_index("customerID")
    base = customers.assign(churn_probability=scores["churn_probability"])
    base = base.rename(columns={"customerID": "customer_id"})
    return next_targets(measured, base, scores.get("clv"), top)


def latest_learned_uplift(engine: Engine, service) -> LearnedUplift | None:
    """What the newest campaign with enough outcomes on the data in use taught about its
    offers (`tools/campaigns/targeting.py:learn_uplift`), or None when no campaign has."""
    query = select(outcomes.c.campaign_id).distinct().order_by(outcomes.c.campaign_id.desc())
    with engine.connect() as connection:
        measured_campaigns = [int(c) for c in connection.execute(query).scalars()]
    for campaign_id in measured_campaigns:
        try:
            measured = measured_members(engine, campaign_id, service.data.customers)
        except OutcomeError:  # made on other data
            continue
        learned = learn_uplift(campaign_id, measured)
        if learned.verdicts:
            return learned
    return None


def measured_offer_effect(engine: Engine) -> tuple[int, float, float] | None:
    """The newest campaign with a measured effect: (its id, the share of would-be leavers its
    offers kept — the effect on staying over the control group's churn rate — and what an offer
    cost per treated customer), or None before any. The threshold simulator starts from it."""
    query = select(outcomes.c.campaign_id).distinct().order_by(outcomes.c.campaign_id.desc())
    with engine.connect() as connection:
        measured_campaigns = [int(c) for c in connection.execute(query).scalars()]
    for campaign_id in measured_campaigns:
        overall = campaign_results(engine, campaign_id).overall
        effect = overall.effect
        if effect is None or overall.treated == 0 or effect.control_rate >= 1:
            continue
        kept = min(max(effect.difference / (1 - effect.control_rate), 0.0), 1.0)
        return campaign_id, kept, overall.cost / overall.treated
    return None
