"""Approvals in the results database: one row per treated customer of a campaign, claimed by
one person at a time, and the campaign's stage moved with them.

A claim is one conditional UPDATE (`status = 'pending'`), which both SQLite and PostgreSQL
apply atomically: of two people deciding one item at once, exactly one claims it, and the
other is told who did. A claim left behind by a process that died is taken over after
`STALE_CLAIM`.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pandas as pd
from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.engine import Engine

from core.i18n import Phrase, WordedError
from crm_agents.store.campaigns import plain
from crm_agents.store.database import now, writing
from crm_agents.store.outbox import emit
from crm_agents.store.schema import analyses, approvals, campaign_members, campaigns

STALE_CLAIM = timedelta(minutes=10)
DECIDED = ("accept", "edit", "respond", "ignore")


class ApprovalError(WordedError, ValueError):
    """An item that cannot be decided now (decided already, being decided, not in review)."""


def thread_id(campaign_id: int, customer_id: str) -> str:
    return f"campaign-{campaign_id}-{customer_id}"


def campaign_status(engine: Engine, campaign_id: int) -> str | None:
    query = select(campaigns.c.status).where(campaigns.c.id == campaign_id)
    with engine.connect() as connection:
        return connection.execute(query).scalar()


def move_campaign(engine: Engine, campaign_id: int, allowed: tuple[str, ...], to: str) -> bool:
    """The campaign to stage `to` if it is in one of `allowed`; False when it was not."""
    with writing(), engine.begin() as connection:
        done = connection.execute(
            update(campaigns)
            .where(campaigns.c.id == campaign_id, campaigns.c.status.in_(allowed))
            .values(status=to)
        )
    return done.rowcount == 1


def open_approvals(engine: Engine, campaign_id: int) -> int:
    """A draft campaign into approval: a pending item for each treated customer (one
    transaction; a campaign not in draft is refused)."""
    treated = select(campaign_members.c.customer_id, campaign_members.c.offer_id).where(
        campaign_members.c.campaign_id == campaign_id, campaign_members.c.arm == "treated"
    )
    with writing(), engine.begin() as connection:
        moved = connection.execute(
            update(campaigns)
            .where(campaigns.c.id == campaign_id, campaigns.c.status == "draft")
            .values(status="approval")
        )
        if moved.rowcount != 1:
            status = connection.execute(
                select(campaigns.c.status).where(campaigns.c.id == campaign_id)
            ).scalar()
            key = "approvals.no_campaign" if status is None else "approvals.not_draft"
            raise ApprovalError(Phrase(key, {"id": campaign_id, "status": status}))
        rows = [
            {
                "campaign_id": campaign_id,
                "customer_id": customer,
                "thread_id": thread_id(campaign_id, customer),
                "status": "pending",
                "offer_id": offer,
                "refused_edits": 0,
            }
            for customer, offer in connection.execute(treated)
        ]
        if rows:
            connection.execute(insert(approvals), rows)
    return len(rows)


def approval_rows(
    engine: Engine, campaign_id: int, status: tuple[str, ...] | None = None
) -> pd.DataFrame:
    query = select(approvals).where(approvals.c.campaign_id == campaign_id)
    if status is not None:
        query = query.where(approvals.c.status.in_(status))
    with engine.connect() as connection:
        frame = pd.read_sql(query.order_by(approvals.c.customer_id), connection)
    return plain(frame)


def thread_of(engine: Engine, campaign_id: int, customer_id: str) -> str | None:
    """The review thread of the customer's item, or None when they have no item."""
    query = select(approvals.c.thread_id).where(
        approvals.c.campaign_id == campaign_id, approvals.c.customer_id == customer_id
    )
    with engine.connect() as connection:
        return connection.execute(query).scalar()


def approval_counts(engine: Engine, campaign_id: int) -> dict[str, int]:
    query = (
        select(approvals.c.status, func.count())
        .where(approvals.c.campaign_id == campaign_id)
        .group_by(approvals.c.status)
    )
    with engine.connect() as connection:
        return {status: int(n) for status, n in connection.execute(query)}


def stored_analysis(engine: Engine, campaign_id: int, customer_id: str) -> str | None:
    """The batch's analysis (as JSON) the campaign drew this customer from."""
    query = (
        select(analyses.c.result_json)
        .join(campaigns, campaigns.c.run_id == analyses.c.run_id)
        .where(campaigns.c.id == campaign_id, analyses.c.customer_id == customer_id)
    )
    with engine.connect() as connection:
        return connection.execute(query).scalar()


def claim(engine: Engine, campaign_id: int, customer_id: str, by: str) -> str:
    """Hold the item for `by` and return its thread, or say who has it or decided it."""
    key = and_(approvals.c.campaign_id == campaign_id, approvals.c.customer_id == customer_id)
    moment = now()
    free = or_(
        approvals.c.status == "pending",
        and_(approvals.c.status == "deciding", approvals.c.claimed_at < moment - STALE_CLAIM),
    )
    with writing(), engine.begin() as connection:
        taken = connection.execute(
            update(approvals)
            .where(key, free)
            .values(status="deciding", claimed_by=by, claimed_at=moment)
        )
        row = connection.execute(select(approvals).where(key)).mappings().first()
    if row is None:
        raise ApprovalError(
            Phrase("approvals.not_in_review", {"customer": customer_id, "id": campaign_id})
        )
    if taken.rowcount == 1:
        return str(row["thread_id"])
    if row["status"] == "deciding":
        raise ApprovalError(
            Phrase("approvals.being_decided", {"customer": customer_id, "by": row["claimed_by"]})
        )
    raise ApprovalError(
        Phrase(
            "approvals.decided_already",
            {
                "customer": customer_id,
                "decision": row["status"],
                "by": row["decided_by"],
                "at": str(row["decided_at"])[:16],
            },
        )
    )


def _held(campaign_id: int, customer_id: str):
    """The item, while someone holds it."""
    return and_(
        approvals.c.campaign_id == campaign_id,
        approvals.c.customer_id == customer_id,
        approvals.c.status == "deciding",
    )


def release(engine: Engine, campaign_id: int, customer_id: str, refused: bool) -> None:
    """The item back to pending (its decision was refused, or failed on the way)."""
    with writing(), engine.begin() as connection:
        connection.execute(
            update(approvals)
            .where(_held(campaign_id, customer_id))
            .values(
                status="pending",
                claimed_by=None,
                claimed_at=None,
                refused_edits=approvals.c.refused_edits + int(refused),
            )
        )


def record(engine: Engine, campaign_id: int, customer_id: str, decision: dict) -> None:
    """The decision on a claimed item; the campaign is ready once nothing is left to decide."""
    edited = decision.pop("edited", None)
    with writing(), engine.begin() as connection:
        connection.execute(
            update(approvals)
            .where(_held(campaign_id, customer_id))
            .values(**decision, edited=json.dumps(edited) if edited else None)
        )
        open_items = connection.execute(
            select(func.count())
            .select_from(approvals)
            .where(
                approvals.c.campaign_id == campaign_id,
                approvals.c.status.in_(("pending", "deciding")),
            )
        ).scalar_one()
        if open_items == 0:
            moved = connection.execute(
                update(campaigns)
                .where(campaigns.c.id == campaign_id, campaigns.c.status == "approval")
                .values(status="ready")
            )
            if moved.rowcount == 1:
                decided = connection.execute(
                    select(approvals.c.status, func.count())
                    .where(approvals.c.campaign_id == campaign_id)
                    .group_by(approvals.c.status)
                )
                counts = {status: int(n) for status, n in decided}
                emit(
                    connection,
                    "campaign.approved",
                    {"campaign_id": campaign_id, "decisions": counts},
                )


def decisions_by_offer(engine: Engine, campaign_id: int) -> pd.DataFrame:
    """Per offer, the recommendations a person accepted (as written or edited) and rejected
    (sent back or ignored), with the notes given."""
    rows = approval_rows(engine, campaign_id, status=DECIDED)
    if rows.empty:
        return pd.DataFrame(columns=["offer_id", "accepted", "rejected", "notes"])
    rows = rows.assign(accepted=rows["status"].isin(("accept", "edit")))
    return (
        rows.groupby("offer_id")
        .agg(
            accepted=("accepted", "sum"),
            rejected=("accepted", lambda a: int((~a).sum())),
            notes=("note", lambda n: [x for x in n if isinstance(x, str) and x]),
        )
        .reset_index()
    )
