"""Time to churn: candidate survival models over the whole base.

Duration is `tenure` (months), the event is churn; customers still active are right-censored.
The covariates are the profile and the behaviour signals **without `tenure` and
`TotalCharges`**: TotalCharges ≈ tenure × MonthlyCharges encodes the duration itself. Simulated
signals drawn from tenure (`data/signals.py`: logins, usage drop) would leak it the same way, so
they are left out when simulated and used only when the data brings them.

Each candidate answers one question: the survival curve S(t) of each customer at months
1…`HORIZON`. Every metric (`models/survival/metrics.py`) is computed from those curves, so the
candidates compare on equal terms.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from data.schema import CATEGORICAL_VALUES, SIGNAL_COLUMNS, TELCO_FEATURES

if TYPE_CHECKING:  # lifelines fits; scoring a saved model needs only numpy (artifact.py)
    from lifelines import CoxPHFitter, LogLogisticAFTFitter, WeibullAFTFitter

#: Months the curves cover: the longest tenure in the Telco file is 72.
HORIZON = 72
MONTHS = np.arange(1, HORIZON + 1)
#: Columns that encode the duration: never a covariate.
DURATION_COLUMNS = ("tenure", "TotalCharges")
#: Simulated signals whose simulation reads tenure (observed ones are fair covariates).
TENURE_DRAWN_SIGNALS = ("recent_login_count", "usage_drop_rate")
#: MonthlyCharges is centred and scaled by fixed constants, so a fold's design never depends
#: on the fold's own data.
CHARGE_CENTRE, CHARGE_SCALE = 65.0, 30.0
#: Interactions that let price and contract act together (contract × payment, contract ×
#: internet, contract × price, internet × price), found by cross-validation.
INTERACTIONS = (
    ("Contract", "PaymentMethod"),
    ("Contract", "InternetService"),
    ("Contract", "MonthlyCharges"),
    ("InternetService", "MonthlyCharges"),
    ("Contract", "PaperlessBilling"),
)


class LeakageError(ValueError):
    """A covariate that encodes the duration the model is asked to predict."""


def survival_covariates(simulated_signals: Sequence[str] = ()) -> tuple[str, ...]:
    """The Telco profile without the duration columns, plus the behaviour signals that were
    observed or simulated without reading tenure."""
    signals = [
        s for s in SIGNAL_COLUMNS if s not in set(simulated_signals) & set(TENURE_DRAWN_SIGNALS)
    ]
    return tuple(f for f in TELCO_FEATURES if f not in DURATION_COLUMNS) + tuple(signals)


def check_covariates(covariates: Sequence[str]) -> None:
    leaking = [c for c in covariates if c in DURATION_COLUMNS]
    if leaking:
        raise LeakageError(
            f"{', '.join(leaking)} cannot be a covariate of the time-to-churn model: tenure is "
            "the duration itself and TotalCharges ≈ tenure × MonthlyCharges encodes it. "
            f"Accepted: any of {', '.join(survival_covariates())}."
        )


def design_matrix(
    frame: pd.DataFrame, covariates: Sequence[str], interactions: bool = False
) -> pd.DataFrame:
    """Numbers for lifelines: one-hot categories (first level dropped, levels from the schema,
    so every fold has the same columns), scaled charges, and optional interactions."""
    check_covariates(covariates)
    columns: dict[str, np.ndarray] = {}
    groups: dict[str, list[str]] = {}
    for name in covariates:
        values = frame[name]
        if name in CATEGORICAL_VALUES:
            groups[name] = []
            # One pass over the text, then integer comparisons (a value outside the schema
            # gets code -1: a zero in every column, as comparing the text would give).
            codes = pd.Categorical(values, categories=CATEGORICAL_VALUES[name]).codes
            for i, level in enumerate(CATEGORICAL_VALUES[name][1:], start=1):
                column = f"{name}={level}"
                columns[column] = (codes == i).astype(float)
                groups[name].append(column)
        elif name == "MonthlyCharges":
            scaled = (values.to_numpy(dtype=float) - CHARGE_CENTRE) / CHARGE_SCALE
            columns["MonthlyCharges"], columns["MonthlyCharges²"] = scaled, scaled**2
            groups[name] = ["MonthlyCharges"]
        else:
            columns[name] = values.to_numpy(dtype=float)
            groups[name] = [name]
    if interactions:
        for a, b in INTERACTIONS:
            for left in groups.get(a, []):
                for right in groups.get(b, []):
                    columns[f"{left} × {right}"] = columns[left] * columns[right]
    return pd.DataFrame(columns, index=frame.index)


def _quiet(fit):
    """lifelines warns about convergence details a user cannot act on; the CV judges the fit."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit()


def kaplan_meier(durations: np.ndarray, events: np.ndarray) -> np.ndarray:
    """The observed Kaplan–Meier curve on months 1…`HORIZON`."""
    from lifelines import KaplanMeierFitter

    return KaplanMeierFitter().fit(durations, events).survival_function_at_times(MONTHS).to_numpy()


@dataclass
class KaplanMeierBySegment:
    """The baseline: one Kaplan–Meier curve per contract type, the same for everyone in it."""

    name: str = "kaplan_meier_by_contract"
    segment: str = "Contract"
    curves: dict[str, np.ndarray] = field(default_factory=dict)

    def fit(self, frame: pd.DataFrame, durations: np.ndarray, events: np.ndarray):
        for level in frame[self.segment].unique():
            mask = (frame[self.segment] == level).to_numpy()
            self.curves[level] = kaplan_meier(durations[mask], events[mask])
        self.curves["*"] = kaplan_meier(durations, events)
        return self

    def survival(self, frame: pd.DataFrame) -> np.ndarray:
        return np.vstack([self.curves.get(v, self.curves["*"]) for v in frame[self.segment]])


@dataclass
class CoxModel:
    """Penalised Cox proportional hazards on the design matrix; with `strata`, one baseline
    hazard per level of that column (its effect may change with time)."""

    name: str
    covariates: tuple[str, ...]
    interactions: bool = False
    penalizer: float = 0.01
    strata: str | None = None
    fitted: CoxPHFitter | None = None

    def _data(self, frame: pd.DataFrame) -> pd.DataFrame:
        data = design_matrix(frame, self.covariates, self.interactions)
        if self.strata:
            data = data.drop(columns=[c for c in data if c.startswith(f"{self.strata}=")])
            data["_stratum"] = frame[self.strata].to_numpy()
        return data

    def fit(self, frame: pd.DataFrame, durations: np.ndarray, events: np.ndarray):
        from lifelines import CoxPHFitter

        data = self._data(frame)
        numeric = data.drop(columns=["_stratum"], errors="ignore")
        data = data[[*numeric.columns[numeric.std() > 0], *(["_stratum"] if self.strata else [])]]
        data = data.assign(_T=durations, _E=events)
        strata = ["_stratum"] if self.strata else None
        self.fitted = _quiet(
            lambda: CoxPHFitter(penalizer=self.penalizer, strata=strata).fit(data, "_T", "_E")
        )
        return self

    def survival(self, frame: pd.DataFrame) -> np.ndarray:
        data = self._data(frame)
        data = data[[*self.fitted.params_.index, *(["_stratum"] if self.strata else [])]]
        curves = self.fitted.predict_survival_function(data, times=MONTHS)
        # A stratified model returns its customers grouped by stratum: put them back in order.
        return curves[data.index].to_numpy().T


@dataclass
class AFTModel:
    """A parametric accelerated-failure-time model (Weibull or log-logistic)."""

    name: str
    covariates: tuple[str, ...]
    kind: str = "weibull"
    penalizer: float = 0.01
    fitted: WeibullAFTFitter | LogLogisticAFTFitter | None = None

    def fit(self, frame: pd.DataFrame, durations: np.ndarray, events: np.ndarray):
        from lifelines import LogLogisticAFTFitter, WeibullAFTFitter

        data = design_matrix(frame, self.covariates).assign(_T=durations, _E=events)
        fitter = WeibullAFTFitter if self.kind == "weibull" else LogLogisticAFTFitter
        self.fitted = _quiet(lambda: fitter(penalizer=self.penalizer).fit(data, "_T", "_E"))
        return self

    def survival(self, frame: pd.DataFrame) -> np.ndarray:
        data = design_matrix(frame, self.covariates)
        return self.fitted.predict_survival_function(data, times=MONTHS).to_numpy().T


def candidates(covariates: tuple[str, ...]) -> list:
    """Every candidate, simplest first (the champion rule prefers the earlier of two ties)."""
    return [
        KaplanMeierBySegment(),
        CoxModel("cox", covariates),
        AFTModel("weibull_aft", covariates, "weibull"),
        AFTModel("loglogistic_aft", covariates, "loglogistic"),
        # A light penalty: a heavier one shrinks the riskiest decile's 12-month churn by 4–8
        # points (measured on the Telco file), a light one keeps every decile within 3.
        CoxModel("cox_interactions", covariates, interactions=True, penalizer=0.001),
        CoxModel(
            "cox_interactions_by_contract", covariates, True, penalizer=0.001, strata="Contract"
        ),
    ]
