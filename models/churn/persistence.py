"""Saving and loading the champion with its model card; nothing executable is loaded.

The model is stored with `skops` (a zip of JSON and arrays, no pickle), and loading trusts only
the types on `TRUSTED_TYPES`: a file naming any other type or function is refused before
anything is built from it, so replacing both the model and its card cannot run code. The card
records the sha256 of the model file, and loading checks it first, so a truncated, corrupted or
swapped file is refused with the command that rebuilds it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import skops.io as sio
from pydantic import BaseModel, ValidationError
from sklearn.pipeline import Pipeline

from core.i18n import Phrase, WordedError
from data.loading import DataOrigin
from models.churn.evaluation import CVMetrics
from models.churn.model import ChurnModel

MODEL_FILE = "churn_model.skops"

#: The types skops does not trust by default that our candidate pipelines are made of (the
#: spline basis, boosting's tree predictors, the blend's bunch), and nothing else.
TRUSTED_TYPES = frozenset(
    {
        "functools.partial",
        "scipy._lib.array_api_compat.numpy._aliases.asarray",
        "scipy.interpolate._bsplines.BSpline",
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
        "sklearn.utils._bunch.Bunch",
        "sklearn.utils.validation.check_array",
    }
)
CARD_FILE = "model_card.json"
RETRAIN = "crm-agents train"


class ModelArtifactError(WordedError, RuntimeError):
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

    @property
    def version(self) -> str:
        """How runs name the model they were scored with (its file's hash tells versions apart)."""
        return f"{self.model}/{self.feature_set} sha256:{self.artifact_sha256[:12]}"


def atomic_write(path: Path, payload: bytes) -> None:
    """Write to a temporary file beside the target and rename (atomic within one folder), so a
    crash never leaves half a file behind."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _to_state(model: ChurnModel) -> dict:
    """The model as plain values skops stores without pickle (the reference row as columns,
    values and dtypes, since a DataFrame is not one of skops' safe types)."""
    reference = model.reference
    return {
        "name": model.name,
        "feature_set": model.feature_set,
        "pipeline": model.pipeline,
        "reference_columns": [str(c) for c in reference.columns],
        "reference_values": [_plain(v) for v in reference.iloc[0].tolist()],
        "reference_dtypes": [str(t) for t in reference.dtypes],
        "encoded_reference": model.encoded_reference,
    }


def _plain(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


def _from_state(state: dict) -> ChurnModel:
    columns = state["reference_columns"]
    reference = pd.DataFrame([state["reference_values"]], columns=columns).astype(
        dict(zip(columns, state["reference_dtypes"], strict=True))
    )
    return ChurnModel(
        name=state["name"],
        feature_set=state["feature_set"],
        pipeline=state["pipeline"],
        reference=reference,
        encoded_reference=state["encoded_reference"],
    )


def save_model(model: ChurnModel, card: ModelCard, directory: Path) -> ModelCard:
    directory.mkdir(parents=True, exist_ok=True)
    payload = sio.dumps(_to_state(model))
    untrusted = set(sio.get_untrusted_types(data=payload)) - TRUSTED_TYPES
    if untrusted:  # a new candidate needs its types reviewed and listed, not a silent save
        raise ModelArtifactError(Phrase("artifact.untrusted_save", {"types": sorted(untrusted)}))
    card = card.model_copy(update={"artifact_sha256": hashlib.sha256(payload).hexdigest()})
    # The card goes last: a model file without a matching card is refused on load.
    atomic_write(directory / MODEL_FILE, payload)
    atomic_write(directory / CARD_FILE, card.model_dump_json(indent=2).encode())
    return card


def load_card(directory: Path) -> ModelCard:
    card_path = directory / CARD_FILE
    if not card_path.exists():
        raise ModelArtifactError(
            Phrase("artifact.no_card", {"folder": directory, "card": CARD_FILE, "command": RETRAIN})
        )
    try:
        return ModelCard.model_validate_json(card_path.read_text(encoding="utf-8"))
    except (ValidationError, UnicodeDecodeError) as err:
        raise ModelArtifactError(
            Phrase(
                "artifact.unreadable_card",
                {"path": card_path, "error": err.__class__.__name__, "command": RETRAIN},
            )
        ) from None


def load_model(directory: Path) -> tuple[ChurnModel, ModelCard]:
    card = load_card(directory)
    model_path = directory / MODEL_FILE
    if not model_path.exists():
        raise ModelArtifactError(
            Phrase("artifact.no_model_file", {"path": model_path, "command": RETRAIN})
        )
    payload = model_path.read_bytes()  # hashed and loaded from the same bytes
    actual = hashlib.sha256(payload).hexdigest()
    if actual != card.artifact_sha256:
        raise ModelArtifactError(
            Phrase(
                "artifact.hash_mismatch",
                {
                    "path": model_path,
                    "actual": actual[:12],
                    "expected": card.artifact_sha256[:12],
                    "command": RETRAIN,
                },
            )
        )
    try:
        untrusted = set(sio.get_untrusted_types(data=payload))
        refused = untrusted - TRUSTED_TYPES
        if refused:
            raise ModelArtifactError(
                Phrase(
                    "artifact.untrusted_load",
                    {"path": model_path, "types": sorted(refused), "command": RETRAIN},
                )
            )
        state = sio.loads(payload, trusted=sorted(untrusted))
        model = _from_state(state)
    except ModelArtifactError:
        raise
    except Exception as err:  # a file skops cannot read is not a model
        raise ModelArtifactError(
            Phrase(
                "artifact.not_a_model_because",
                {"path": model_path, "error": type(err).__name__, "command": RETRAIN},
            )
        ) from None
    if not isinstance(model.pipeline, Pipeline):
        raise ModelArtifactError(
            Phrase("artifact.not_a_model", {"path": model_path, "command": RETRAIN})
        )
    return model, card
