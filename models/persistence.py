"""Saving and loading the champion with its model card; nothing unverified is ever unpickled.

The card records the sha256 of the pickled model. Loading checks the file's hash against it
before `joblib.load` touches a byte of pickle, so a truncated, corrupted or swapped file is
refused with the command that rebuilds it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import datetime
from pathlib import Path

import joblib
from pydantic import BaseModel, ValidationError

from data.loading import DataOrigin, file_sha256
from models.churn_model import ChurnModel
from models.evaluation import CVMetrics

MODEL_FILE = "churn_model.joblib"
CARD_FILE = "model_card.json"
RETRAIN = "crm-agents train"


class ModelArtifactError(RuntimeError):
    """The saved model is missing or cannot be trusted."""


class ModelCard(BaseModel):
    model: str
    description: str
    feature_set: str
    features: list[str]
    metrics: CVMetrics
    candidates: list[CVMetrics]
    feature_set_comparison: dict[str, CVMetrics]
    selection_rule: str
    explanation_method: str
    dataset: DataOrigin
    thresholds: dict[str, float]
    library_versions: dict[str, str]
    created_at: datetime
    artifact_sha256: str = ""


def _atomic_write(path: Path, payload: bytes) -> None:
    """Write to a temporary file and rename, so a crash never leaves half a file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_model(model: ChurnModel, card: ModelCard, directory: Path) -> ModelCard:
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / f".{MODEL_FILE}.partial"
    joblib.dump(model, tmp)
    payload = tmp.read_bytes()
    tmp.unlink()
    card = card.model_copy(update={"artifact_sha256": hashlib.sha256(payload).hexdigest()})
    # The card goes last: a model file without a matching card is refused on load.
    _atomic_write(directory / MODEL_FILE, payload)
    _atomic_write(directory / CARD_FILE, card.model_dump_json(indent=2).encode())
    return card


def load_card(directory: Path) -> ModelCard:
    card_path = directory / CARD_FILE
    if not card_path.exists():
        raise ModelArtifactError(
            f"no trained model in {directory} (missing {CARD_FILE}); run `{RETRAIN}` first"
        )
    try:
        return ModelCard.model_validate_json(card_path.read_text(encoding="utf-8"))
    except (ValidationError, UnicodeDecodeError) as err:
        raise ModelArtifactError(
            f"model card {card_path} is unreadable ({err.__class__.__name__}); run `{RETRAIN}`"
        ) from None


def load_model(directory: Path) -> tuple[ChurnModel, ModelCard]:
    card = load_card(directory)
    model_path = directory / MODEL_FILE
    if not model_path.exists():
        raise ModelArtifactError(f"model file {model_path} is missing; run `{RETRAIN}`")
    actual = file_sha256(model_path)
    if actual != card.artifact_sha256:
        raise ModelArtifactError(
            f"model file {model_path} does not match its model card (sha256 {actual[:12]}… "
            f"≠ {card.artifact_sha256[:12]}…): it was truncated, corrupted or replaced. "
            f"It was not loaded; run `{RETRAIN}` to rebuild it."
        )
    model = joblib.load(model_path)
    if not isinstance(model, ChurnModel):
        raise ModelArtifactError(f"{model_path} does not hold a churn model; run `{RETRAIN}`")
    return model, card
