"""Drift: how far a run's customers and scores have moved from the data the model learned on.

Each monitored quantity — every model feature, the churn score, the share per risk level and
per value tier — is cut into bins fixed on the training data (deciles for numbers, the known
values for categories, plus one bin for anything else or missing) and compared by the
population stability index, PSI = Σ (cᵢ − rᵢ)·ln(cᵢ / rᵢ) over the bins' shares.

The expected churn rate (the mean score: how many customers the model expects to leave) is
compared as a difference: a label shift — more customers about to leave, each group looking as
before — barely changes a feature's shares but moves this.

Two samples of one population also differ a little. PSI between them is a symmetrised χ²
divergence: about (bins − 1)·(1/n_reference + 1/n_run) on average, with a standard deviation of
√(2·(bins − 1)) times the same factor; a difference of means has its standard error. A measure is
flagged only when it passes its threshold *plus* that chance level (mean + 2 SD, or 2 standard
errors), so a small run does not raise an alarm that a large one would not. Plain numpy: the
reference is a few hundred numbers, and a million customers are measured in about a second
(`benchmarks/bench_drift.py`).
"""

from __future__ import annotations

import itertools
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel

from data.schema import CATEGORICAL_VALUES
from models.segments import risk_levels, value_tiers

MeasureKind = Literal["feature", "score", "expected_churn_rate", "risk_level", "value_tier"]
Statistic = Literal["psi", "difference"]
SCORE = "churn_probability"
#: Deciles: enough bins to see a shape change, few enough that each holds a tenth of the base.
NUMERIC_BINS = 10
#: A share never counts as exactly zero (ln 0): half a customer per bin, as in additive smoothing.
_HALF = 0.5
OTHER = "(other or missing)"
LEVELS = ("low", "medium", "high")
TIERS = ("low", "mid", "high")


_NAMED_KINDS: dict[str, MeasureKind] = {
    SCORE: "score",
    "expected_churn_rate": "expected_churn_rate",
    "risk_level": "risk_level",
    "value_tier": "value_tier",
}


def kind_of(name: str) -> MeasureKind:
    """A measure's kind from its name (anything not named here is a feature)."""
    return _NAMED_KINDS.get(name, "feature")


class MeasureReference(BaseModel):
    """One quantity's bins on the training data: numeric `edges` (upper bounds, right-closed)
    or categorical `values`, and the reference share of each bin."""

    name: str
    kind: MeasureKind
    edges: list[float] | None = None
    values: list[str] | None = None
    shares: list[float]
    labels: list[str]

    def counts(self, column: pd.Series | np.ndarray) -> np.ndarray:
        """Customers per bin (the last bin: missing, or a value the reference never had)."""
        if self.edges is not None:
            numbers = np.asarray(column, dtype=float)
            missing = ~np.isfinite(numbers)
            # side="left": a value equal to an edge falls in the bin that edge closes.
            index = np.searchsorted(np.asarray(self.edges), numbers[~missing], side="left")
            counts = np.bincount(index, minlength=len(self.edges) + 1).astype(float)
            return np.append(counts, missing.sum())
        codes = pd.Categorical(np.asarray(column, dtype=object), categories=self.values).codes
        counts = np.bincount(codes[codes >= 0], minlength=len(self.values or [])).astype(float)
        return np.append(counts, (codes < 0).sum())


class DriftReference(BaseModel):
    """The training data's bins and shares, and its expected churn rate, for one model
    (`model_sha256`)."""

    model_sha256: str
    rows: int  # customers the shares were measured on (a sample of the training data)
    expected_churn_rate: float
    score_sd: float
    measures: list[MeasureReference]


class DriftMeasure(BaseModel):
    """One quantity in one run: its PSI against the reference's shares (or, for the expected
    churn rate, its difference), the level chance alone reaches (`noise`), and whether it moved
    beyond the threshold plus that level."""

    name: str
    kind: MeasureKind
    statistic: Statistic
    value: float
    noise: float
    threshold: float
    shifted: bool
    labels: list[str] = []
    reference_shares: list[float] = []
    current_shares: list[float] = []
    reference_value: float | None = None
    current_value: float | None = None

    @property
    def excess(self) -> float:
        """How far past its threshold and chance level it is (negative: within)."""
        return abs(self.value) - self.threshold - self.noise


class DriftReport(BaseModel):
    rows: int
    reference_rows: int
    measures: list[DriftMeasure]

    @property
    def shifted(self) -> bool:
        return any(m.shifted for m in self.measures)

    def worst(self, count: int = 3) -> list[DriftMeasure]:
        """The measures that moved most relative to their threshold, shifted ones first."""
        ranked = sorted(self.measures, key=lambda m: (m.shifted, m.excess / m.threshold))
        return ranked[::-1][:count]


def smoothed_shares(counts: np.ndarray) -> np.ndarray:
    counts = np.asarray(counts, dtype=float)
    return (counts + _HALF) / (counts.sum() + _HALF * len(counts))


def psi(reference_shares: np.ndarray, current_shares: np.ndarray) -> float:
    r, c = np.asarray(reference_shares, float), np.asarray(current_shares, float)
    return float(np.sum((c - r) * np.log(c / r)))


def chance_psi(bins: int, reference_rows: int, current_rows: int) -> float:
    """The PSI two samples of one population stay under about 19 times in 20 (mean + 2 SD of
    the χ² approximation; see the module's note)."""
    scale = 1 / max(reference_rows, 1) + 1 / max(current_rows, 1)
    freedom = bins - 1
    return (freedom + 2 * np.sqrt(2 * freedom)) * scale


def chance_difference(sd: float, reference_rows: int, current_rows: int) -> float:
    """Two standard errors of a difference of two means with standard deviation `sd`."""
    return 2 * sd * np.sqrt(1 / max(reference_rows, 1) + 1 / max(current_rows, 1))


def _numeric_edges(values: np.ndarray) -> list[float]:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return []
    quantiles = np.quantile(finite, np.linspace(0, 1, NUMERIC_BINS + 1)[1:-1])
    # A discrete column (counts, a 72-month cap) repeats quantiles: one bin per distinct edge.
    return sorted({float(q) for q in quantiles})


def _numeric_labels(edges: list[float]) -> list[str]:
    bounds = ["-inf", *(f"{e:g}" for e in edges), "inf"]
    return [f"({lo}, {hi}]" for lo, hi in itertools.pairwise(bounds)] + [OTHER]


def _reference_of(name: str, kind: MeasureKind, column: pd.Series | np.ndarray) -> MeasureReference:
    categories = {"risk_level": LEVELS, "value_tier": TIERS}.get(kind) or CATEGORICAL_VALUES.get(
        name
    )
    if categories is not None:
        bins = MeasureReference(
            name=name, kind=kind, values=list(categories), shares=[], labels=[*categories, OTHER]
        )
    else:
        edges = _numeric_edges(np.asarray(column, dtype=float))
        bins = MeasureReference(
            name=name, kind=kind, edges=edges, shares=[], labels=_numeric_labels(edges)
        )
    bins.shares = smoothed_shares(bins.counts(column)).tolist()
    return bins


def quantities(
    customers: pd.DataFrame, probability: np.ndarray, features: list[str], settings
) -> dict[tuple[str, MeasureKind], np.ndarray | pd.Series]:
    """What is monitored, by name and kind: the features, the score, risk levels and value
    tiers (by monthly charges, the same rule whichever basis the app's tiers use)."""
    monitored: dict[tuple[str, MeasureKind], np.ndarray | pd.Series] = {
        (f, "feature"): customers[f] for f in features
    }
    monitored[(SCORE, "score")] = probability
    monitored[("risk_level", "risk_level")] = risk_levels(probability, settings)
    charges = customers["MonthlyCharges"].to_numpy(dtype=float)
    monitored[("value_tier", "value_tier")] = value_tiers(charges, settings)
    return monitored


def build_reference(
    customers: pd.DataFrame,
    probability: np.ndarray,
    features: list[str],
    settings,
    model_sha256: str,
) -> DriftReference:
    """Bins and shares of the training customers (pass a sample for a large base)."""
    probability = np.asarray(probability, float)
    monitored = quantities(customers, probability, features, settings)
    return DriftReference(
        model_sha256=model_sha256,
        rows=len(customers),
        expected_churn_rate=float(np.mean(probability)),
        score_sd=float(np.std(probability)),
        measures=[_reference_of(name, kind, col) for (name, kind), col in monitored.items()],
    )


def _shares_measure(
    bins: MeasureReference, column, reference: DriftReference, rows: int, settings
) -> DriftMeasure:
    current = smoothed_shares(bins.counts(column))
    value = psi(np.asarray(bins.shares), current)
    noise = chance_psi(len(bins.shares), reference.rows, rows)
    threshold = settings.drift_feature_psi if bins.kind == "feature" else settings.drift_score_psi
    return DriftMeasure(
        name=bins.name,
        kind=bins.kind,
        statistic="psi",
        value=round(value, 6),
        noise=round(noise, 6),
        threshold=threshold,
        shifted=value >= threshold + noise,
        labels=bins.labels,
        reference_shares=[round(s, 6) for s in bins.shares],
        current_shares=[round(float(s), 6) for s in current],
    )


def _churn_rate_measure(
    probability: np.ndarray, reference: DriftReference, settings
) -> DriftMeasure:
    current = float(np.mean(probability)) if len(probability) else float("nan")
    difference = current - reference.expected_churn_rate
    noise = chance_difference(reference.score_sd, reference.rows, len(probability))
    threshold = settings.drift_churn_rate_points
    return DriftMeasure(
        name="expected_churn_rate",
        kind="expected_churn_rate",
        statistic="difference",
        value=round(difference, 6),
        noise=round(noise, 6),
        threshold=threshold,
        shifted=bool(abs(difference) >= threshold + noise),
        reference_value=round(reference.expected_churn_rate, 6),
        current_value=round(current, 6),
    )


def measure_drift(
    reference: DriftReference,
    customers: pd.DataFrame,
    probability: np.ndarray,
    settings,
) -> DriftReport:
    """Each monitored quantity of this run against the reference, flagged by the settings'
    thresholds (`drift_feature_psi` for features, `drift_score_psi` for the score and the
    shares per risk level and value tier, `drift_churn_rate_points` for the expected churn
    rate)."""
    probability = np.asarray(probability, float)
    features = [m.name for m in reference.measures if m.kind == "feature"]
    monitored = quantities(customers, probability, features, settings)
    rows = len(customers)
    measures = [
        _shares_measure(bins, monitored[(bins.name, bins.kind)], reference, rows, settings)
        for bins in reference.measures
    ]
    score_at = next(i for i, m in enumerate(measures) if m.kind == "score") + 1
    measures.insert(score_at, _churn_rate_measure(probability, reference, settings))
    return DriftReport(rows=rows, reference_rows=reference.rows, measures=measures)
