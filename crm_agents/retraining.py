"""Champion and challenger: `crm-agents retrain` fits a challenger on the newest data and
compares it with the live champion on held-out customers of that data (`models/health/
challenge.py`); it goes live only when it won by the one-standard-error rule and a person
approves it (`models/health/registry.py`); any change of champion can be rolled back.

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
from models.health.challenge import compare
from models.health.reference import REFERENCE_FILE, describe_training_data, save_reference
from models.health.registry import ModelVersion, Registry
from models.survival.card import SURVIVAL_FILE

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
    """A challenger fitted on three quarters of `data`, compared with the champion on the
    fourth, registered for a person's decision."""
    outcome = labels(data)
    folder = settings.artifacts_dir
    if not (folder / CARD_FILE).exists():
        raise RetrainError(Phrase("retrain.no_champion"))
    registry = registry_of(settings)
    champion, _ = load_model(folder)
    rows = np.arange(len(outcome))
    fit_rows, held_rows = train_test_split(
        rows, test_size=HELD_OUT_SHARE, stratify=outcome, random_state=settings.seed
    )
    part = CustomerData(data.customers.iloc[fit_rows], data.origin)
    model, card = train(part, settings, progress)
    held = data.customers.iloc[held_rows]
    comparison = compare(
        outcome[held_rows], champion.predict_proba(held), model.predict_proba(held)
    )
    with tempfile.TemporaryDirectory(dir=folder, prefix=".challenger-") as staging:
        staged = Path(staging)
        card = save_model(model, card, staged)
        reference = describe_training_data(model, part.customers, settings, card.artifact_sha256)
        save_reference(reference, staged)
        if (folder / SURVIVAL_FILE).exists():  # the time-to-churn champion goes with it
            (staged / SURVIVAL_FILE).write_bytes((folder / SURVIVAL_FILE).read_bytes())
        return registry.register(
            staged, FILES, "challenger", comparison=comparison, **_described(card)
        )


def decide(settings: Settings, action: str, by: str, version_id: str | None = None) -> ModelVersion:
    """approve / reject a challenger, or roll back to the previous champion (a
    `RegistryError` says why a decision cannot be taken)."""
    registry = registry_of(settings)
    if action == "approve":
        return registry.approve(version_id or "", by)
    if action == "reject":
        return registry.reject(version_id or "", by)
    return registry.rollback(by)
