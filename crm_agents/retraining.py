"""Champion and challenger: `crm-agents retrain` fits challengers on the newest data — the churn
model, and the time-to-churn model when one is live — and compares each with its champion on
held-out customers of that data (`models/health/challenge.py`: ROC-AUC, and concordance for time
to churn); a version holds each challenger that won by the one-standard-error rule (the
champion's model otherwise), and goes live only when a person approves it
(`models/health/registry.py`); any change of champion can be rolled back.

The held-out customers are a seeded, stratified quarter of the newest file: the Telco file has
no dates to hold out the latest month by. The challenger is registered exactly as it was
compared (fitted on the other three quarters). A champion trained on this same file has seen
the held-out customers, which favours the champion: the rule errs towards keeping it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from core.i18n import Phrase, WordedError
from core.settings import Settings
from data.loading import CustomerData
from models.churn.persistence import (
    CARD_FILE,
    MODEL_FILE,
    ModelCard,
    load_card,
    load_model,
    save_model,
)
from models.churn.training import labels, train
from models.health.challenge import ConcordanceComparison, compare, compare_concordance
from models.health.reference import REFERENCE_FILE, describe_training_data, save_reference
from models.health.registry import ModelVersion, Registry
from models.survival.card import (
    SURVIVAL_FILE,
    SurvivalCard,
    fit_champion,
    load_survival,
    save_survival,
)
from models.survival.evaluation import evaluate_survival, known_durations

#: A version's files, the card last (a promotion writes them in this order).
FILES = [SURVIVAL_FILE, REFERENCE_FILE, MODEL_FILE, CARD_FILE]
HELD_OUT_SHARE = 0.25


class RetrainError(WordedError, RuntimeError):
    """Retraining or a decision on a version cannot go on; the message says why."""


def registry_of(settings: Settings) -> Registry:
    """The registry of the settings' artifacts folder; the live model becomes its first
    version (the champion) the first time it is opened."""
    registry = Registry(settings.artifacts_dir, last=CARD_FILE)
    if not registry.versions() and (settings.artifacts_dir / CARD_FILE).exists():
        registry.register(
            settings.artifacts_dir,
            FILES,
            "champion",
            **_described(load_card(settings.artifacts_dir)),
        )
    return registry


def _described(card: ModelCard) -> dict:
    origin = card.dataset
    return {
        "model": card.model,
        "feature_set": card.feature_set,
        "model_sha256": card.artifact_sha256,
        "dataset": origin.describe(),
        "data_kind": origin.kind,
        "data_name": Path(origin.path or "").name if origin.kind == "file" else str(origin.seed),
        "data_rows": origin.rows,
    }


def retrain(
    data: CustomerData, settings: Settings, progress: Callable[[str], None] = lambda _: None
) -> ModelVersion:
    """Challengers fitted on three quarters of `data` — the churn model and, when one is live,
    the time-to-churn model — each compared with its champion on the fourth quarter and kept in
    the new version only if it won; registered for a person's decision."""
    outcome = labels(data)
    folder = settings.artifacts_dir
    if not (folder / CARD_FILE).exists():
        raise RetrainError(Phrase("retrain.no_champion"))
    registry = registry_of(settings)
    champion, champion_card = load_model(folder)
    rows = np.arange(len(outcome))
    fit_rows, held_rows = train_test_split(
        rows, test_size=HELD_OUT_SHARE, stratify=outcome, random_state=settings.seed
    )
    part = CustomerData(data.customers.iloc[fit_rows], data.origin)
    held = data.customers.iloc[held_rows]
    model, card = train(part, settings, progress)
    comparison = compare(
        outcome[held_rows], champion.predict_proba(held), model.predict_proba(held)
    )
    survival = _survival_challenger(part, held, data, settings, progress)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".challenger-") as staging:
        staged = Path(staging)
        if comparison.wins:
            card = save_model(model, card, staged)
            reference = describe_training_data(
                model, part.customers, settings, card.artifact_sha256
            )
            save_reference(reference, staged)
        else:  # the champion's churn model stays in the bundle
            card = champion_card
            _copy(folder, staged, MODEL_FILE, CARD_FILE, REFERENCE_FILE)
        if survival is not None and survival[1].wins:
            save_survival(survival[0], staged)
        else:
            _copy(folder, staged, SURVIVAL_FILE)
        won = [("churn", comparison.wins), ("time_to_churn", bool(survival and survival[1].wins))]
        return registry.register(
            staged,
            FILES,
            "challenger",
            comparison=comparison,
            survival_comparison=survival[1] if survival else None,
            new_models=[name for name, wins in won if wins],
            **_described(card),
        )


def _copy(source: Path, target: Path, *names: str) -> None:
    for name in names:
        if (source / name).exists():
            (target / name).write_bytes((source / name).read_bytes())


def _survival_challenger(
    part: CustomerData,
    held: pd.DataFrame,
    data: CustomerData,
    settings: Settings,
    progress: Callable[[str], None],
) -> tuple[SurvivalCard, ConcordanceComparison] | None:
    """A time-to-churn model fitted on the same three quarters and compared with the live one
    on the held-out quarter's tenures and departures; None when none is live."""
    live = load_survival(settings.artifacts_dir)
    if live is None:
        return None
    signals = tuple(data.origin.simulated_signals)
    evaluation = evaluate_survival(part.customers, settings, signals, progress=progress)
    challenger = fit_champion(part.customers, evaluation, data.origin)
    frame, durations, events = known_durations(held)
    comparison = compare_concordance(
        durations,
        events,
        live.curves.curves(frame).sum(axis=1),
        challenger.curves.curves(frame).sum(axis=1),
    )
    return challenger, comparison


def decide(settings: Settings, action: str, by: str, version_id: str | None = None) -> ModelVersion:
    """approve / reject a challenger, or roll back to the previous champion (a
    `RegistryError` says why a decision cannot be taken)."""
    registry = registry_of(settings)
    if action == "approve":
        return registry.approve(version_id or "", by)
    if action == "reject":
        return registry.reject(version_id or "", by)
    return registry.rollback(by)
