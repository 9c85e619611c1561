"""The time-to-churn champion fitted on every customer with a known tenure, saved with its
evaluation as one JSON file: numbers only (`SurvivalCurves`), nothing executable, and a
sha256 of the data it was trained on so a stale model is never used on other data."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, Field, ValidationError

from core.i18n import Phrase, WordedError
from data.loading import DataOrigin
from models.churn.persistence import atomic_write
from models.survival.artifact import SurvivalCurves, from_candidate
from models.survival.candidates import candidates
from models.survival.evaluation import SurvivalEvaluation, known_durations
from models.survival.support import SurvivalSupport, count_support

SURVIVAL_FILE = "survival_model.json"
RETRAIN_SURVIVAL = "crm-agents train-survival"


class SurvivalArtifactError(WordedError, RuntimeError):
    """The saved time-to-churn model is unreadable or was trained on other data."""


class SurvivalStaleError(SurvivalArtifactError):
    """The saved time-to-churn model was trained on other data (it is readable)."""


class SurvivalCard(BaseModel):
    evaluation: SurvivalEvaluation
    curves: SurvivalCurves
    dataset: DataOrigin
    created_at: datetime
    support: SurvivalSupport | None = Field(
        None, description="Customers and departures per contract and month (None: made before)"
    )


def fit_champion(
    customers: pd.DataFrame, evaluation: SurvivalEvaluation, origin: DataOrigin
) -> SurvivalCard:
    frame, durations, events = known_durations(customers)
    chosen = next(
        c for c in candidates(tuple(evaluation.covariates)) if c.name == evaluation.champion
    )
    chosen.fit(frame, durations, events)
    return SurvivalCard(
        evaluation=evaluation,
        curves=from_candidate(chosen),
        dataset=origin,
        created_at=datetime.now(UTC),
        support=count_support(frame, durations, events),
    )


def save_survival(card: SurvivalCard, folder: Path) -> Path:
    """Written atomically, like the churn model: a reader never sees half a file."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / SURVIVAL_FILE
    atomic_write(target, card.model_dump_json(indent=1).encode())
    return target


def load_survival(folder: Path, origin: DataOrigin | None = None) -> SurvivalCard | None:
    """The saved card, or None when there is none; refused when unreadable or, given the data
    in use, trained on other data."""
    path = folder / SURVIVAL_FILE
    if not path.exists():
        return None
    try:
        card = SurvivalCard.model_validate_json(path.read_text(encoding="utf-8"))
    except (ValidationError, ValueError) as err:
        raise SurvivalArtifactError(
            Phrase(
                "startup.survival_unreadable",
                {"path": path, "error": err.__class__.__name__, "command": RETRAIN_SURVIVAL},
            )
        ) from None
    same = {"kind", "sha256", "seed", "rows"}
    if origin is not None and card.dataset.model_dump(include=same) != origin.model_dump(
        include=same
    ):
        raise SurvivalStaleError(
            Phrase(
                "startup.survival_other_data",
                {"path": path, "rows": f"{card.dataset.rows:,}", "command": RETRAIN_SURVIVAL},
            )
        )
    if card.support is None and origin is not None:
        # Made before figures carried their support: refitted like a model of other data.
        raise SurvivalStaleError(
            Phrase("startup.survival_earlier", {"path": path, "command": RETRAIN_SURVIVAL})
        )
    return card
