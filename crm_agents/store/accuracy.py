"""Accuracy over time in the results database: each run's estimate (stored by the run), the
labels that data files bring, and realised accuracy per month — the month's latest run's scores
judged against outcomes observed after it: labels from other files than the one it scored, and
the outcomes of campaigns' control groups (customers held out of an offer, whose outcome the
offer did not change)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import and_, insert, select, update
from sqlalchemy.engine import Engine

from crm_agents.store.database import in_utc, writing
from crm_agents.store.schema import campaign_members, labels, outcomes, runs, scores
from models.health.accuracy import Estimated, MonthAccuracy, realised

#: Fewer outcomes than this make a realised figure too noisy to show.
MIN_LABELLED = 30


def record_estimate(engine: Engine, run_id: int, estimate: Estimated) -> None:
    with writing(), engine.begin() as connection:
        connection.execute(
            update(runs)
            .where(runs.c.id == run_id)
            .values(
                estimated_roc_auc=estimate.roc_auc,
                estimated_brier=estimate.brier,
                estimate_reliable=estimate.reliable,
            )
        )


def record_labels(
    engine: Engine, run_id: int, churned: pd.Series, observed_on: date, source: str
) -> int:
    """Outcomes a data file holds (customer ID → churned), once per customer, day and file."""
    source = source[:200]
    with writing(), engine.begin() as connection:
        known = {
            r[0]
            for r in connection.execute(
                select(labels.c.customer_id).where(
                    labels.c.observed_on == observed_on, labels.c.source == source
                )
            )
        }
        rows = [
            {
                "customer_id": customer,
                "observed_on": observed_on,
                "churned": bool(value),
                "source": source,
                "run_id": run_id,
            }
            for customer, value in churned.items()
            if customer not in known
        ]
        if rows:
            connection.execute(insert(labels), rows)
    return len(rows)


def _outcomes_after(connection, run_id: int, since: date, origin: str) -> pd.DataFrame:
    """The run's scores beside the outcomes observed for its customers on or after `since`:
    labels from other data files than the one it scored (`origin`: those outcomes were known
    when it scored, and the model may have learned from them), and campaign control groups'
    outcomes."""
    from_files = (
        select(scores.c.customer_id, scores.c.churn_probability, labels.c.churned)
        .join(labels, labels.c.customer_id == scores.c.customer_id)
        .where(
            scores.c.run_id == run_id,
            labels.c.observed_on >= since,
            labels.c.source != origin,
        )
    )
    held_out = (
        select(
            scores.c.customer_id,
            scores.c.churn_probability,
            (outcomes.c.outcome == "churned").label("churned"),
        )
        .join(outcomes, outcomes.c.customer_id == scores.c.customer_id)
        .join(
            campaign_members,
            and_(
                campaign_members.c.campaign_id == outcomes.c.campaign_id,
                campaign_members.c.customer_id == outcomes.c.customer_id,
            ),
        )
        .where(
            scores.c.run_id == run_id,
            outcomes.c.observed_on >= since,
            campaign_members.c.arm == "control",
        )
    )
    parts = [pd.read_sql(q, connection) for q in (from_files, held_out)]
    found = [part for part in parts if not part.empty]
    if not found:
        return parts[0]
    return pd.concat(found, ignore_index=True).drop_duplicates("customer_id")


def accuracy_by_month(
    engine: Engine, card_roc_auc: float, margin: float, months: int = 12
) -> list[MonthAccuracy]:
    """Per month (newest first), the month's latest run: its estimate and, once enough
    outcomes arrived after it, its realised accuracy, flagged when the realised ROC-AUC is
    below `card_roc_auc` − `margin`."""
    with engine.connect() as connection:
        found = pd.read_sql(
            select(
                runs.c.id,
                runs.c.started,
                runs.c.model_version,
                runs.c.data_origin,
                runs.c.estimated_roc_auc,
                runs.c.estimated_brier,
                runs.c.estimate_reliable,
            ).where(runs.c.customers_scored > 0),
            connection,
        )
        if found.empty:
            return []
        found["started"] = [in_utc(s) for s in pd.to_datetime(found["started"])]
        found["month"] = [f"{s:%Y-%m}" for s in found["started"]]
        latest = found.sort_values("id").groupby("month").tail(1)
        latest = latest.sort_values("id", ascending=False).head(months)
        shown = []
        for row in latest.itertuples(index=False):
            judged = _outcomes_after(
                connection, int(row.id), row.started.date(), row.data_origin[:200]
            )
            measured = None
            if len(judged) >= MIN_LABELLED:
                measured = realised(
                    judged["churned"].astype(float).to_numpy(),
                    judged["churn_probability"].to_numpy(dtype=float),
                )
            dropped = bool(
                measured is not None
                and measured.roc_auc is not None
                and measured.roc_auc < card_roc_auc - margin
            )
            shown.append(
                MonthAccuracy(
                    month=row.month,
                    run_id=int(row.id),
                    model_version=row.model_version,
                    estimated_roc_auc=_number(row.estimated_roc_auc),
                    estimated_brier=_number(row.estimated_brier),
                    estimate_reliable=None
                    if pd.isna(row.estimate_reliable)
                    else bool(row.estimate_reliable),
                    realised=measured,
                    dropped=dropped,
                )
            )
    return shown


def _number(value) -> float | None:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else value
