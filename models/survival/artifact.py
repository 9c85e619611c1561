"""A fitted time-to-churn model as numbers only — coefficients, centres and baseline curves —
saved as JSON and scored with numpy. Nothing executable is stored, lifelines is not needed to
score, and a million customers are a few matrix products.

Cox:             S(t | x) = S0_stratum(t) ^ exp((x − centre) · β)
Weibull AFT:     S(t | x) = exp(−(t / λ)^ρ),      λ = exp(x · β + b), ρ = exp(c)
Log-logistic:    S(t | x) = 1 / (1 + (t / α)^β),  α = exp(x · β + b), β = exp(c)
Kaplan–Meier:    S(t | x) = the curve of x's segment.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field

from models.survival.candidates import (
    MONTHS,
    AFTModel,
    CoxModel,
    KaplanMeierBySegment,
    design_matrix,
)

ALL = "*"


class SurvivalCurves(BaseModel):
    model: str
    form: Literal["cox", "weibull", "loglogistic", "kaplan_meier"]
    covariates: list[str]
    interactions: bool = False
    strata: str | None = Field(None, description="Column with one baseline per level")
    coefficients: dict[str, float] = Field(default_factory=dict)
    centre: dict[str, float] = Field(default_factory=dict)
    intercept: float = 0.0
    shape: float = Field(0.0, description="log ρ (Weibull) or log β (log-logistic)")
    baselines: dict[str, list[float]] = Field(
        default_factory=dict, description="S0 (Cox) or the curve (Kaplan–Meier) on months 1…72"
    )
    covariance: list[list[float]] = Field(
        default_factory=list, description="The Cox coefficients' covariance (their order)"
    )

    def design(self, frame: pd.DataFrame) -> np.ndarray:
        names = list(self.coefficients)
        return design_matrix(frame, self.covariates, self.interactions)[names].to_numpy()

    def linear_variance(self, frame: pd.DataFrame, x: np.ndarray | None = None) -> np.ndarray:
        """Var of each customer's linear predictor (x − centre) · β from the coefficients'
        covariance; zero for the forms without one. `x`: the design matrix, when at hand."""
        if self.form != "cox" or not self.covariance:
            return np.zeros(len(frame))
        x = self.design(frame) if x is None else x
        x = x - np.array([self.centre[n] for n in self.coefficients])
        return ((x @ np.asarray(self.covariance)) * x).sum(axis=1)

    def cox_factors(
        self, frame: pd.DataFrame, x: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """A Cox model's curves in factors, S_i(t) = S0_b(i)(t) ^ h_i: each customer's hazard
        ratio h, the index b of their baseline, and the baselines (rows). None for the other
        forms. Whatever is linear in the cumulative hazard can then be done on the few
        baselines instead of on every customer's curve."""
        if self.form != "cox":
            return None
        x = self.design(frame) if x is None else x
        names = list(self.coefficients)
        beta = np.array([self.coefficients[n] for n in names])
        centre = np.array([self.centre[n] for n in names])
        hazard = np.exp((x - centre) @ beta)
        levels = list(self.baselines)
        if self.strata:
            stratum = pd.Categorical(frame[self.strata].astype(str), categories=levels).codes
        else:
            stratum = np.zeros(len(frame), dtype=np.int8)
        return hazard, np.asarray(stratum), np.array([self.baselines[k] for k in levels])

    def curves(self, frame: pd.DataFrame, x: np.ndarray | None = None) -> np.ndarray:
        """S(t) on months 1…72 for each customer (rows in `frame`'s order)."""
        if self.form == "kaplan_meier":
            segments = frame[self.strata].astype(str).to_numpy()
            table = {k: np.asarray(v) for k, v in self.baselines.items()}
            return np.vstack([table.get(s, table[ALL]) for s in segments])
        x = self.design(frame) if x is None else x
        factors = self.cox_factors(frame, x)
        if factors is not None:
            hazard, stratum, baselines = factors
            # log S = H(x) × log S0: one multiply per cell instead of a power.
            log_base = np.log(np.clip(baselines, 1e-300, 1))
            return np.exp(hazard[:, None] * log_base[stratum])
        beta = np.array([self.coefficients[n] for n in self.coefficients])
        scale = np.exp(x @ beta + self.intercept)[:, None]
        ratio = (MONTHS[None, :] / scale) ** np.exp(self.shape)
        return np.exp(-ratio) if self.form == "weibull" else 1 / (1 + ratio)


def _baseline_on_months(column: pd.Series) -> list[float]:
    steps = column.reindex(column.index.union(MONTHS.astype(float))).ffill().fillna(1.0)
    return [float(v) for v in steps.loc[MONTHS.astype(float)]]


def from_candidate(candidate) -> SurvivalCurves:
    """The numbers of a fitted candidate."""
    if isinstance(candidate, KaplanMeierBySegment):
        return SurvivalCurves(
            model=candidate.name,
            form="kaplan_meier",
            covariates=[candidate.segment],
            strata=candidate.segment,
            baselines={str(k): [float(v) for v in c] for k, c in candidate.curves.items()},
        )
    fitted = candidate.fitted
    if isinstance(candidate, CoxModel):
        base = fitted.baseline_survival_
        return SurvivalCurves(
            model=candidate.name,
            form="cox",
            covariates=list(candidate.covariates),
            interactions=candidate.interactions,
            strata=candidate.strata,
            coefficients={str(k): float(v) for k, v in fitted.params_.items()},
            centre={str(k): float(v) for k, v in fitted._norm_mean.items()},
            covariance=fitted.variance_matrix_.loc[fitted.params_.index, fitted.params_.index]
            .to_numpy()
            .tolist(),
            baselines=(
                {str(k): _baseline_on_months(base[k]) for k in base.columns}
                if candidate.strata
                else {ALL: _baseline_on_months(base.iloc[:, 0])}
            ),
        )
    if isinstance(candidate, AFTModel):
        scale_name, shape_name = fitted.params_.index.levels[0]
        scale = fitted.params_.loc[scale_name]
        return SurvivalCurves(
            model=candidate.name,
            form=candidate.kind,
            covariates=list(candidate.covariates),
            coefficients={str(k): float(v) for k, v in scale.items() if k != "Intercept"},
            intercept=float(scale["Intercept"]),
            shape=float(fitted.params_.loc[shape_name]["Intercept"]),
        )
    raise TypeError(f"no numeric form for {type(candidate).__name__}")
