"""How good a survival curve is, from out-of-fold curves only.

* Harrell's C-index, ranking customers by their restricted mean survival (Σ_t S(t)).
* Time-dependent AUC at t (cumulative/dynamic, Uno's IPCW): customers who churned by t
  against those still here after t, ranked by 1 − S(t).
* Brier score at t and its integral over 1…`BRIER_MONTHS` (Graf's IPCW), which the
  Kaplan–Meier baseline's must beat.
* Calibration of the 12-month churn probability: predicted against the Kaplan–Meier estimate
  within each decile of prediction.

Censoring weights come from a Kaplan–Meier fit of the censoring times of the training fold.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from models.survival.candidates import MONTHS

AUC_MONTHS = (3, 6, 12)
BRIER_MONTHS = 60
CALIBRATION_MONTH = 12


class Censoring:
    """G(t) = P(still observed at t), from the training fold's censoring times."""

    def __init__(self, durations: np.ndarray, events: np.ndarray) -> None:
        # lifelines where a model is evaluated, not where a saved one scores (artifact.py): this
        # module is imported with the model card.
        from lifelines import KaplanMeierFitter

        self._km = KaplanMeierFitter().fit(durations, 1 - events)

    def before(self, times: np.ndarray) -> np.ndarray:
        """G(t−), floored so that a late case cannot weigh without bound."""
        at = self._km.survival_function_at_times(np.asarray(times, dtype=float) - 1e-9)
        return np.clip(at.to_numpy(), 0.05, 1.0)


def c_index(curves: np.ndarray, durations: np.ndarray, events: np.ndarray) -> float:
    from lifelines.utils import concordance_index

    return float(concordance_index(durations, curves.sum(axis=1), events))


def td_auc(
    curves: np.ndarray, durations: np.ndarray, events: np.ndarray, month: int, g: Censoring
) -> float:
    risk = 1 - curves[:, month - 1]
    cases = (durations <= month) & (events == 1)
    controls = durations > month
    if not cases.any() or not controls.any():
        return float("nan")
    weights = 1 / g.before(durations[cases])
    ordered = np.sort(risk[controls])
    below = np.searchsorted(ordered, risk[cases], side="left")
    ties = np.searchsorted(ordered, risk[cases], side="right") - below
    wins = below + 0.5 * ties
    return float((weights * wins).sum() / (weights.sum() * controls.sum()))


def brier(
    curves: np.ndarray, durations: np.ndarray, events: np.ndarray, month: int, g: Censoring
) -> float:
    s = curves[:, month - 1]
    died = (durations <= month) & (events == 1)
    alive = durations > month
    weight_died = np.where(died, 1 / g.before(np.where(died, durations, 1)), 0.0)
    weight_alive = np.where(alive, 1 / g.before(np.array([month]))[0], 0.0)
    return float(np.mean(s**2 * weight_died + (1 - s) ** 2 * weight_alive))


def integrated_brier(
    curves: np.ndarray, durations: np.ndarray, events: np.ndarray, g: Censoring
) -> float:
    months = MONTHS[:BRIER_MONTHS]
    scores = [brier(curves, durations, events, int(m), g) for m in months]
    return float(np.trapezoid(scores, months) / (months[-1] - months[0]))


def fold_metrics(
    curves: np.ndarray, durations: np.ndarray, events: np.ndarray, g: Censoring
) -> dict[str, float]:
    return {
        "c_index": c_index(curves, durations, events),
        **{f"auc_{m}m": td_auc(curves, durations, events, m, g) for m in AUC_MONTHS},
        "integrated_brier": integrated_brier(curves, durations, events, g),
    }


def calibration(
    curves: np.ndarray, durations: np.ndarray, events: np.ndarray, month: int = CALIBRATION_MONTH
) -> pd.DataFrame:
    """Per decile of predicted churn within `month`: customers, mean prediction, and the
    Kaplan–Meier estimate of the share who churned within `month`."""
    from lifelines import KaplanMeierFitter

    predicted = 1 - curves[:, month - 1]
    decile = pd.qcut(predicted, 10, labels=False, duplicates="drop")
    rows = []
    for d in np.unique(decile):
        mask = decile == d
        km = KaplanMeierFitter().fit(durations[mask], events[mask])
        observed = 1 - float(km.survival_function_at_times([month]).iloc[0])
        rows.append(
            {
                "decile": int(d) + 1,
                "customers": int(mask.sum()),
                "predicted": round(float(predicted[mask].mean()), 4),
                "observed": round(observed, 4),
            }
        )
    return pd.DataFrame(rows)
