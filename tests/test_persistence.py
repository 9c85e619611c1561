"""Saved models are verified by hash before loading; a bad file is refused, never unpickled."""

from __future__ import annotations

import joblib
import pytest

from data.loading import load_customers
from models import persistence
from models.persistence import ModelArtifactError, load_model, save_model
from models.training import train


@pytest.fixture
def saved(settings):
    data = load_customers(None, settings)
    model, card = train(data, settings)
    save_model(model, card, settings.artifacts_dir)
    return settings.artifacts_dir


def test_a_saved_model_loads_back_with_its_card(saved, settings):
    model, card = load_model(saved)
    assert card.model == model.name == "logistic_splines"
    assert card.dataset.kind == "synthetic"
    assert set(card.feature_set_comparison) == {"telco", "enriched"}
    assert card.thresholds["risk_high"] == settings.risk_high
    assert "scikit-learn" in card.library_versions


def test_missing_model_says_how_to_train(tmp_path):
    with pytest.raises(ModelArtifactError, match="run `crm-agents train`"):
        load_model(tmp_path)


def test_truncated_model_file_is_refused_without_unpickling(saved, monkeypatch):
    path = saved / persistence.MODEL_FILE
    path.write_bytes(path.read_bytes()[:1000])

    def must_not_load(*args, **kwargs):
        raise AssertionError("an unverified file was unpickled")

    monkeypatch.setattr(joblib, "load", must_not_load)
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
