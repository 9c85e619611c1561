"""Why a customer's risk changed between two runs, driver by driver.

Each run stores, per customer, the model's exact log-odds contributions (they add up with the
base to the model's logit: `models/churn/model.py`) and the inputs they were computed from. The
change of log-odds between two runs is then split without remainder:

* same model version in both runs — all of it is *the customer changed*: for each feature,
  contribution after − contribution before;
* a new model, and it is the one in use now — the customer's earlier inputs are explained again
  by the new model (x_before under model_after), so that
    customer part = model_after(x_after) − model_after(x_before)   (their data moved)
    model part    = model_after(x_before) − model_before(x_before) (the model moved),
  per feature and for the base, and the two parts add up to the whole change;
* a new model that is not in use any more — the per-feature change is shown whole, and the
  split is said to be unavailable (earlier model versions are not kept yet).
"""

from __future__ import annotations

import json
from datetime import datetime

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field
from scipy.special import expit

from data.schema import ID_COLUMN
from models.churn.model import ChurnModel

#: Customers explained per pass when a run's records are made (bounded memory).
RECORD_CHUNK = 50_000

Value = str | int | float | None


class RunPoint(BaseModel):
    """One customer in one run: the score and what it was made of."""

    run_id: int
    started: datetime
    model_version: str
    probability: float
    risk_level: str
    churn_within_90d: float | None = None
    base_logit: float | None = None
    contributions: dict[str, float] = {}
    inputs: dict[str, Value] = {}

    @property
    def explained(self) -> bool:
        return self.base_logit is not None and bool(self.contributions)


class DriverChange(BaseModel):
    """One feature's share of the change of log-odds between two runs."""

    feature: str
    value_before: Value = None
    value_after: Value = None
    total: float = Field(description="Contribution after − before (log-odds)")
    customer: float | None = Field(description="Part due to the customer's data; None: no split")
    model: float | None = Field(description="Part due to the model's change; None: no split")

    @property
    def value_changed(self) -> bool:
        return not _same(self.value_before, self.value_after)


class RiskChange(BaseModel):
    before_run: int
    after_run: int
    probability_before: float
    probability_after: float
    model_changed: bool
    #: Whether the change is split into the customer's and the model's parts.
    split: bool
    customer_part: float | None = Field(description="Log-odds from the customer's data")
    model_part: float | None = Field(description="Log-odds from the model's change")
    base_change: float = Field(description="Change of the model's base log-odds")
    drivers: list[DriverChange] = Field(description="Largest change first")

    @property
    def change(self) -> float:
        return self.probability_after - self.probability_before


def _same(a: Value, b: Value) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return bool(np.isclose(float(a), float(b)))
    return a == b


def _reexplained(model: ChurnModel, inputs: dict[str, Value]) -> tuple[float, dict[str, float]]:
    """The earlier inputs explained by `model` (its base and per-feature contributions)."""
    row = pd.DataFrame([{f: inputs.get(f) for f in model.features}])
    for name, kind in model.reference.dtypes.items():
        if name in row.columns:
            row[name] = row[name].astype(kind)
    explanation = model.explain(row)
    contributions = explanation.contributions.iloc[0].to_dict()
    return float(explanation.base_logit[0]), {k: float(v) for k, v in contributions.items()}


def explain_change(
    before: RunPoint,
    after: RunPoint,
    model_now: ChurnModel | None = None,
    version_now: str | None = None,
) -> RiskChange:
    """The change from `before` to `after`, split into the customer's and the model's parts
    when that can be done exactly (see the module's note)."""
    if not (before.explained and after.explained):
        raise ValueError("both runs need their stored contributions to explain a change")
    features = list(dict.fromkeys([*after.contributions, *before.contributions]))
    model_changed = before.model_version != after.model_version
    middle: tuple[float, dict[str, float]] | None = None
    if model_changed and model_now is not None and version_now == after.model_version:
        middle = _reexplained(model_now, before.inputs)
    split = not model_changed or middle is not None
    drivers = []
    for feature in features:
        was = before.contributions.get(feature, 0.0)
        now = after.contributions.get(feature, 0.0)
        if not model_changed:
            customer, model = now - was, 0.0
        elif middle is not None:
            between = middle[1].get(feature, 0.0)
            customer, model = now - between, between - was
        else:
            customer = model = None
        drivers.append(
            DriverChange(
                feature=feature,
                value_before=before.inputs.get(feature),
                value_after=after.inputs.get(feature),
                total=round(now - was, 6),
                customer=None if customer is None else round(customer, 6),
                model=None if model is None else round(model, 6),
            )
        )
    drivers.sort(key=lambda d: -abs(d.total))
    base_change = float(after.base_logit - before.base_logit)
    customer_part = model_part = None
    if split:
        data_base = 0.0 if middle is None else float(after.base_logit - middle[0])
        customer_part = data_base + sum(d.customer or 0.0 for d in drivers)
        model_part = (base_change - data_base) + sum(d.model or 0.0 for d in drivers)
    return RiskChange(
        before_run=before.run_id,
        after_run=after.run_id,
        probability_before=before.probability,
        probability_after=after.probability,
        model_changed=model_changed,
        split=split,
        customer_part=None if customer_part is None else round(customer_part, 6),
        model_part=None if model_part is None else round(model_part, 6),
        base_change=round(base_change, 6),
        drivers=drivers,
    )


def logit_of(point: RunPoint) -> float:
    return float(point.base_logit + sum(point.contributions.values()))


def probability_of(point: RunPoint) -> float:
    return float(expit(logit_of(point)))


def inputs_differ(before: RunPoint, after: RunPoint) -> list[str]:
    """The features whose stored input changed between the runs."""
    return [
        f
        for f in dict.fromkeys([*after.inputs, *before.inputs])
        if not _same(before.inputs.get(f), after.inputs.get(f))
    ]


def _plain(value: object) -> Value:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value  # type: ignore[return-value]


def json_objects(columns: dict[str, pd.Series | np.ndarray]) -> list[str]:
    """Row by row, the JSON object `{name: value, ...}` of `columns` — the text `json.dumps`
    gives for each row's dict — made column-wise: each column's distinct values are written
    once (a base of millions has a few thousand per feature), then each row's pieces joined.
    Missing and non-finite numbers are `null`."""
    pieces: list[np.ndarray] = []
    for i, (name, values) in enumerate(columns.items()):
        codes, uniques = pd.factorize(pd.Series(values, copy=False), use_na_sentinel=True)
        key = ("{" if i == 0 else ", ") + json.dumps(name) + ": "
        written = np.array(
            [key + json.dumps(_plain(u)) for u in uniques] + [key + "null"], dtype=object
        )
        pieces.append(written[codes])  # the NaN code, -1, takes the last: null
    if not pieces:
        return []
    return ["".join(row) + "}" for row in zip(*pieces, strict=True)]


def run_records(model: ChurnModel, customers: pd.DataFrame) -> pd.DataFrame:
    """Per customer, what a run keeps to explain a later change: the base log-odds, every
    feature's contribution (JSON, 6 decimals) and the inputs they came from (JSON)."""
    parts = []
    features = model.features
    for start in range(0, len(customers), RECORD_CHUNK):
        chunk = customers.iloc[start : start + RECORD_CHUNK]
        explanation = model.explain(chunk)
        # + 0.0: a contribution rounded to -0.0 is kept as 0.0
        contributions = np.round(explanation.contributions.to_numpy(dtype=float), 6) + 0.0
        parts.append(
            pd.DataFrame(
                {
                    ID_COLUMN: chunk[ID_COLUMN].to_numpy(),
                    "base_logit": np.round(explanation.base_logit, 6),
                    "drivers": json_objects(
                        {f: contributions[:, j] for j, f in enumerate(features)}
                    ),
                    "inputs": json_objects({f: chunk[f] for f in features}),
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=[ID_COLUMN, "base_logit", "drivers", "inputs"])
    return pd.concat(parts, ignore_index=True)
