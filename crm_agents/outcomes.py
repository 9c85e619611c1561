"""Outcomes in, effect out: what became of a campaign's customers, and what the campaign did.

A file of outcomes has one row per customer: `customer_id`, `campaign_id`, `outcome`
(`retained` or `churned`) and `date` (YYYY-MM-DD). It is checked like a customer file — every
problem named with its lines and what is accepted, nothing stored unless all of it is right —
and stored by (campaign, customer), so importing it again changes nothing.

The effect is the share who stayed among treated customers minus among controls, with
Newcombe's interval (`models/uplift/metrics.py`). It is "too few outcomes to conclude" while
the interval spans zero or either arm is smaller than the power calculation asks for the effect
the offers expect.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import delete, insert, select, tuple_
from sqlalchemy.engine import Engine

from core.i18n import Phrase, WordedError
from crm_agents.store.campaigns import members_of
from crm_agents.store.database import now, writing
from crm_agents.store.schema import outcomes
from data.validation import DataValidationError, lines_phrase
from models.uplift.metrics import Effect, average_effect
from models.uplift.power import control_size_needed
from models.uplift.simulation import simulate_outcomes, true_effect

COLUMNS = ("customer_id", "campaign_id", "outcome", "date")
OUTCOMES = ("retained", "churned")


class OutcomeError(WordedError, ValueError):
    """Outcomes that cannot be stored or measured as asked."""


def read_outcomes(path: Path, engine: Engine) -> pd.DataFrame:
    """The file's outcomes, checked against its columns, values and the campaigns' members."""
    source = str(path)
    if not path.is_file():
        raise DataValidationError(source, [Phrase("validation.no_file")])
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
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
    return len(rows)


def outcomes_of(engine: Engine, campaign_id: int) -> pd.DataFrame:
    query = select(outcomes).where(outcomes.c.campaign_id == campaign_id)
    with engine.connect() as connection:
        return pd.read_sql(query, connection)


@dataclass(frozen=True)
class CampaignResults:
    campaign_id: int
    members: int
    with_outcome: int
    effect: Effect | None  # on the share who stayed: treated − control
    needed_per_arm: int | None  # controls the expected effect needs (power 0.8, α 0.05)
    conclusive: bool


def campaign_results(engine: Engine, campaign_id: int) -> CampaignResults:
    members = members_of(engine, campaign_id)
    if members.empty:
        raise OutcomeError(Phrase("outcomes.no_campaign", {"id": campaign_id}))
    joined = members.merge(outcomes_of(engine, campaign_id), on="customer_id")
    treated = (joined["arm"] == "treated").to_numpy(dtype=int)
    stayed = (joined["outcome"] == "retained").to_numpy(dtype=int)
    effect = None
    if treated.any() and (1 - treated).any():
        effect = average_effect(stayed, treated)
    needed = None
    expected = members.loc[members["arm"] == "treated", "risk_reduction"].dropna().mean()
    if effect is not None and np.isfinite(expected) and expected > 0:
        control_rate = min(max(effect.control_rate, 0.01), 0.98)
        treated_rate = min(control_rate + expected, 0.99)
        ratio = max(effect.treated, 1) / max(effect.control, 1)
        needed = control_size_needed(control_rate, treated_rate, ratio=ratio)
    conclusive = bool(
        effect is not None and effect.conclusive and (needed is None or effect.control >= needed)
    )
    return CampaignResults(campaign_id, len(members), len(joined), effect, needed, conclusive)


def simulated_outcomes(
    engine: Engine, campaign_id: int, contracts: pd.Series, seed: int, observed_on
) -> tuple[pd.DataFrame, float]:
    """Outcomes drawn from the simulator's known truth (`models/uplift/simulation.py`): each
    member would leave with their churn probability; the treated draw with their offer's true
    effect, the controls without it. `contracts`: each customer's contract, by ID. Also returns
    the true effect on the share who stay, averaged over the members."""
    members = members_of(engine, campaign_id)
    if members.empty:
        raise OutcomeError(Phrase("outcomes.no_campaign", {"id": campaign_id}))
    contract = members["customer_id"].map(contracts)
    if contract.isna().any():
        raise OutcomeError(Phrase("outcomes.other_data", {"id": campaign_id}))
    stayed, truth = np.zeros(len(members), dtype=int), np.zeros(len(members))
    treated = (members["arm"] == "treated").to_numpy(dtype=int)
    leave = members["churn_probability"].to_numpy()
    for offer_id, rows in members.groupby("offer_id").indices.items():
        contract_of = contract.iloc[rows].reset_index(drop=True)
        truth[rows] = true_effect(leave[rows], contract_of, offer_id)
        stayed[rows] = simulate_outcomes(
            leave[rows], contract_of, treated[rows], offer_id, seed=seed + int(rows[0])
        )
    drawn = pd.DataFrame(
        {
            "campaign_id": campaign_id,
            "customer_id": members["customer_id"],
            "outcome": np.where(stayed == 1, "retained", "churned"),
            "observed_on": observed_on,
        }
    )
    return drawn, float(truth.mean())
