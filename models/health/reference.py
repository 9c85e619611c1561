"""The drift reference kept beside the model it describes (`drift_reference.json` in the
artifacts folder), keyed by the model file's hash: a reference made for another model is never
used. Plain JSON, validated on load; a sample of the training customers, so a large base costs
no more than `drift_reference_rows` customers to describe."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import ValidationError

from models.churn.model import ChurnModel
from models.churn.persistence import atomic_write
from models.health.drift import DriftReference, build_reference

REFERENCE_FILE = "drift_reference.json"
SAMPLE_SEED = 0


def reference_sample(customers: pd.DataFrame, rows: int) -> pd.DataFrame:
    """At most `rows` customers, drawn without replacement with a fixed seed."""
    if len(customers) <= rows:
        return customers
    chosen = np.random.default_rng(SAMPLE_SEED).choice(len(customers), rows, replace=False)
    return customers.iloc[np.sort(chosen)]


def describe_training_data(
    model: ChurnModel, customers: pd.DataFrame, settings, model_sha256: str
) -> DriftReference:
    sample = reference_sample(customers, settings.drift_reference_rows)
    return build_reference(
        sample, model.predict_proba(sample), model.features, settings, model_sha256
    )


def save_reference(reference: DriftReference, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    atomic_write(directory / REFERENCE_FILE, reference.model_dump_json().encode())


def load_reference(directory: Path, model_sha256: str) -> DriftReference | None:
    """The reference for this model, or None when there is none, it is unreadable, or it was
    made for another model file."""
    path = directory / REFERENCE_FILE
    try:
        reference = DriftReference.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError, UnicodeDecodeError):
        return None
    return reference if reference.model_sha256 == model_sha256 else None
