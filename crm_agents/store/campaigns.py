"""Campaigns in the results database: made with their members in one transaction, read back
with the counts of each arm."""

from __future__ import annotations

import json

import pandas as pd
from sqlalchemy import case, func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from core.i18n import Phrase
from crm_agents.store.database import StoreError, now, writing
from crm_agents.store.schema import analyses, campaign_members, campaigns, runs, scores


def latest_completed_run(engine: Engine) -> int | None:
    query = select(runs.c.id).where(runs.c.status == "completed").order_by(runs.c.id.desc())
    with engine.connect() as connection:
        return connection.execute(query.limit(1)).scalar()


def offered_analyses(engine: Engine, run_id: int) -> pd.DataFrame:
    """The run's analyses that chose an offer worth its cost."""
    query = select(
        analyses.c.customer_id,
        analyses.c.risk_level,
        analyses.c.value_tier,
        analyses.c.offer_id,
        analyses.c.total_cost,
        analyses.c.expected_value,
        analyses.c.churn_probability,
        analyses.c.risk_reduction,
        analyses.c.churn_within_90d,
        analyses.c.clv,
    ).where(
        analyses.c.run_id == run_id,
        analyses.c.offer_id.is_not(None),
        analyses.c.expected_value > 0,
    )
    with engine.connect() as connection:
        return pd.read_sql(query, connection)


def create_campaign(engine: Engine, fields: dict, members: pd.DataFrame) -> int:
    """The campaign and its members, stored whole or not at all; a name already taken is
    refused."""
    row = fields | {
        "offers": json.dumps(fields["offers"]),
        "channels": json.dumps(fields["channels"]),
        "created": now(),
    }
    try:
        with writing(), engine.begin() as connection:
            campaign_id = connection.execute(insert(campaigns).values(**row)).inserted_primary_key[
                0
            ]
            records = members.assign(campaign_id=campaign_id).to_dict("records")
            if records:
                connection.execute(insert(campaign_members), records)
    except StoreError as err:
        if isinstance(err.__context__, IntegrityError):
            raise StoreError(Phrase("campaigns.name_taken", {"name": fields["name"]})) from None
        raise
    return int(campaign_id)


def campaign_rows(engine: Engine, campaign_id: int | None = None) -> pd.DataFrame:
    """Every campaign (or the one asked for) with the customers in each arm, newest first."""
    arms = (
        select(
            campaign_members.c.campaign_id,
            func.sum(case((campaign_members.c.arm == "treated", 1), else_=0)).label("treated"),
            func.sum(case((campaign_members.c.arm == "control", 1), else_=0)).label("control"),
        )
        .group_by(campaign_members.c.campaign_id)
        .subquery()
    )
    query = (
        select(campaigns, arms.c.treated, arms.c.control)
        .join(arms, arms.c.campaign_id == campaigns.c.id, isouter=True)
        .order_by(campaigns.c.id.desc())
    )
    if campaign_id is not None:
        query = query.where(campaigns.c.id == campaign_id)
    with engine.connect() as connection:
        frame = pd.read_sql(query, connection)
    for column in ("treated", "control"):
        frame[column] = frame[column].fillna(0).astype(int)
    for column in ("offers", "channels"):
        frame[column] = frame[column].map(json.loads)
    return frame


def members_of(engine: Engine, campaign_id: int) -> pd.DataFrame:
    query = select(campaign_members).where(campaign_members.c.campaign_id == campaign_id)
    with engine.connect() as connection:
        return plain(pd.read_sql(query.order_by(campaign_members.c.customer_id), connection))


def members_with_value(engine: Engine, campaign_id: int) -> pd.DataFrame:
    """The members with their monthly charges and lifetime value as the campaign's batch run
    stored them (what an effect on who stays is worth)."""
    query = (
        select(campaign_members, scores.c.monthly_charges, analyses.c.clv)
        .join(campaigns, campaigns.c.id == campaign_members.c.campaign_id)
        .join(
            scores,
            (scores.c.run_id == campaigns.c.run_id)
            & (scores.c.customer_id == campaign_members.c.customer_id),
            isouter=True,
        )
        .join(
            analyses,
            (analyses.c.run_id == campaigns.c.run_id)
            & (analyses.c.customer_id == campaign_members.c.customer_id),
            isouter=True,
        )
        .where(campaign_members.c.campaign_id == campaign_id)
    )
    with engine.connect() as connection:
        return plain(pd.read_sql(query.order_by(campaign_members.c.customer_id), connection))


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Column names as plain strings (SQLAlchemy's are `quoted_name`s, which scikit-learn
    refuses as feature names)."""
    frame.columns = [str(c) for c in frame.columns]
    return frame
