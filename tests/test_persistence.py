"""Saved models are verified by hash before loading, stored without pickle, and a file naming
any type outside the trusted list is refused even when its card matches."""

from __future__ import annotations

import hashlib
import json
import os
import pickle

import numpy as np
import pandas as pd
import pytest
import skops.io as sio

from data.loading import load_customers
from models import persistence
from models.persistence import ModelArtifactError, load_model, save_model
from models.training import train


@pytest.fixture
def saved(demo_service, tmp_path):
    """The demo model saved into a folder of this test's own (training is not under test)."""
    save_model(demo_service.model, demo_service.card, tmp_path / "artifacts")
    return tmp_path / "artifacts"


def test_a_saved_model_loads_back_with_its_card(saved, demo_service):
    model, card = load_model(saved)
    assert card.model == model.name == "logistic_splines"
    assert card.dataset.kind == "synthetic"
    assert set(card.feature_set_comparison) == {"telco", "enriched"}
    assert card.thresholds["risk_high"] == demo_service.settings.risk_high
    assert "scikit-learn" in card.library_versions


def test_missing_model_says_how_to_train(tmp_path):
    with pytest.raises(ModelArtifactError, match="run `crm-agents train`"):
        load_model(tmp_path)


def test_truncated_model_file_is_refused_without_loading(saved, monkeypatch):
    path = saved / persistence.MODEL_FILE
    path.write_bytes(path.read_bytes()[:1000])

    def must_not_load(*args, **kwargs):
        raise AssertionError("an unverified file was loaded")

    monkeypatch.setattr(sio, "loads", must_not_load)
    with pytest.raises(
        ModelArtifactError, match=r"does not match its model card.*crm-agents train"
    ):
        load_model(saved)


def test_tampered_model_file_is_refused(saved):
    path = saved / persistence.MODEL_FILE
    payload = bytearray(path.read_bytes())
    payload[-10] ^= 0xFF
    path.write_bytes(bytes(payload))
    with pytest.raises(ModelArtifactError, match="truncated, corrupted or replaced"):
        load_model(saved)


def test_model_file_without_its_card_is_refused(saved):
    (saved / persistence.CARD_FILE).unlink()
    with pytest.raises(ModelArtifactError, match=r"missing model_card\.json"):
        load_model(saved)


def test_unreadable_card_is_refused(saved):
    (saved / persistence.CARD_FILE).write_text("{not json")
    with pytest.raises(ModelArtifactError, match="unreadable"):
        load_model(saved)


def _replace_model_and_card(directory, payload: bytes) -> None:
    """What an attacker with write access does: a new model file and a card that matches it."""
    (directory / persistence.MODEL_FILE).write_bytes(payload)
    card_path = directory / persistence.CARD_FILE
    card = json.loads(card_path.read_text())
    card["artifact_sha256"] = hashlib.sha256(payload).hexdigest()
    card_path.write_text(json.dumps(card))


def test_a_loaded_model_is_the_model_that_was_saved(saved, demo_service):
    data, model = demo_service.data, demo_service.model
    loaded, _ = load_model(saved)
    assert (loaded.name, loaded.feature_set) == (model.name, model.feature_set)
    pd.testing.assert_frame_equal(loaded.reference, model.reference)
    assert np.array_equal(loaded.encoded_reference, model.encoded_reference)
    sample = data.customers.head(50)
    assert np.array_equal(loaded.predict_proba(sample), model.predict_proba(sample))
    explained, original = loaded.explain(sample), model.explain(sample)
    assert np.allclose(explained.contributions, original.contributions)


def test_the_model_file_is_not_a_pickle(saved):
    payload = (saved / persistence.MODEL_FILE).read_bytes()
    assert payload[:2] == b"PK"  # a zip of JSON and arrays


def test_a_crafted_file_with_a_matching_card_is_refused(saved):
    # A state that smuggles a function which would run a command when called.
    crafted = sio.dumps({"name": "logistic_splines", "pipeline": os.system})
    _replace_model_and_card(saved, crafted)
    with pytest.raises(ModelArtifactError, match=r"not trusted \(.*posix\.system"):
        load_model(saved)


def test_a_pickle_with_a_matching_card_is_refused(saved):
    _replace_model_and_card(saved, pickle.dumps(pd.DataFrame({"a": [1]})))
    with pytest.raises(ModelArtifactError, match="does not hold a churn model"):
        load_model(saved)


@pytest.mark.slow
@pytest.mark.parametrize("candidate", ["logistic_baseline", "gradient_boosting", "blend"])
def test_every_candidate_saves_and_loads_with_the_trusted_types(settings, candidate):
    s = settings.model_copy(update={"model": candidate})
    data = load_customers(None, s)
    model, card = train(data, s)
    save_model(model, card, s.artifacts_dir)
    loaded, _ = load_model(s.artifacts_dir)
    sample = data.customers.head(20)
    assert np.allclose(loaded.predict_proba(sample), model.predict_proba(sample))


def test_a_trusted_file_that_is_not_a_churn_model_is_refused(saved):
    state = {
        "name": "logistic_splines",
        "feature_set": "telco",
        "pipeline": np.zeros(3),
        "reference_columns": ["tenure"],
        "reference_values": [1],
        "reference_dtypes": ["int64"],
        "encoded_reference": None,
    }
    _replace_model_and_card(saved, sio.dumps(state))
    with pytest.raises(ModelArtifactError, match="does not hold a churn model; run `crm-agents"):
        load_model(saved)
