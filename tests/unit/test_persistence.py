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
from models.churn import persistence
from models.churn.persistence import ModelArtifactError, load_model, save_model
from models.churn.training import train


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


def test_a_model_saves_into_a_folder_that_does_not_exist_yet(demo_service, tmp_path):
    folder = tmp_path / "new" / "nested"
    save_model(demo_service.model, demo_service.card, folder)
    assert load_model(folder)[1].model == demo_service.card.model


def test_saving_again_replaces_the_saved_model(saved, demo_service):
    card = save_model(demo_service.model, demo_service.card, saved)
    assert load_model(saved)[1].artifact_sha256 == card.artifact_sha256
    assert {p.name for p in saved.iterdir()} == {persistence.CARD_FILE, persistence.MODEL_FILE}


def test_each_file_is_written_beside_its_target_then_renamed(demo_service, tmp_path, monkeypatch):
    renamed: list[tuple[str, str]] = []
    real_replace = os.replace

    def replace(src, dst):
        renamed.append((str(src), str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(persistence.os, "replace", replace)
    save_model(demo_service.model, demo_service.card, tmp_path)
    assert [os.path.basename(dst) for _, dst in renamed] == [
        persistence.MODEL_FILE,
        persistence.CARD_FILE,
    ]
    for src, dst in renamed:
        assert os.path.dirname(src) == os.path.dirname(dst)
        assert os.path.basename(src).startswith(f".{os.path.basename(dst)}.")


def test_a_failed_write_leaves_the_saved_model_and_no_partial_file(
    saved, demo_service, monkeypatch
):
    before = {p.name: p.read_bytes() for p in saved.iterdir()}

    def failing_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(persistence.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        save_model(demo_service.model, demo_service.card, saved)
    assert {p.name: p.read_bytes() for p in saved.iterdir()} == before


def test_a_model_holding_an_unreviewed_type_is_not_saved(demo_service, tmp_path, monkeypatch):
    monkeypatch.setattr(persistence, "TRUSTED_TYPES", frozenset())
    with pytest.raises(ModelArtifactError, match="not on the trusted list"):
        save_model(demo_service.model, demo_service.card, tmp_path)
    assert not any(tmp_path.iterdir())


def test_the_model_card_is_indented_json_for_people(saved):
    text = (saved / persistence.CARD_FILE).read_text(encoding="utf-8")
    assert text.startswith('{\n  "') and json.loads(text)["model"] == "logistic_splines"


def test_a_card_without_its_model_file_names_the_file_and_the_command(saved):
    (saved / persistence.MODEL_FILE).unlink()
    with pytest.raises(ModelArtifactError) as raised:
        load_model(saved)
    assert persistence.MODEL_FILE in str(raised.value) and "crm-agents train" in str(raised.value)
