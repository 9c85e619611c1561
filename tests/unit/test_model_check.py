"""At start-up the saved model must fit the data in use: trained when missing or stale (and
said so), refused with the exact command when retraining is off, never silently kept."""

from __future__ import annotations

import pytest

from crm_agents.model_check import ensure_model, same_data, stale_reason
from data.loading import load_customers
from models.churn.persistence import ModelArtifactError, load_card, save_model
from models.churn.training import train


@pytest.fixture
def quick(settings):
    return settings.model_copy(update={"model": "logistic_baseline", "cv_folds": 2})


def test_a_missing_model_is_trained_and_said_so(quick):
    said: list[str] = []
    _, card = ensure_model(load_customers(None, quick), quick, say=said.append)
    assert "no trained model yet" in said[0]
    assert load_card(quick.artifacts_dir).artifact_sha256 == card.artifact_sha256


def test_a_model_of_the_same_data_is_loaded_without_training(quick):
    data = load_customers(None, quick)
    save_model(*train(data, quick), quick.artifacts_dir)
    said: list[str] = []
    ensure_model(data, quick, say=said.append)
    assert said == []


def test_a_model_trained_on_other_data_is_retrained(quick, telco_csv):
    save_model(*train(load_customers(None, quick), quick), quick.artifacts_dir)
    own = load_customers(telco_csv(400, 11), quick)
    said: list[str] = []
    _, card = ensure_model(own, quick, say=said.append)
    assert "trained on synthetic demo data" in said[0] and "telco_400_11.csv" in said[0]
    assert card.dataset.sha256 == own.origin.sha256


def test_with_retraining_off_a_stale_model_is_refused_with_the_command(quick, telco_csv):
    save_model(*train(load_customers(None, quick), quick), quick.artifacts_dir)
    path = telco_csv(400, 12)
    off = quick.model_copy(update={"auto_retrain": False})
    with pytest.raises(ModelArtifactError, match=f"crm-agents train --data {path}"):
        ensure_model(load_customers(path, off), off)


def test_unlabelled_data_is_scored_with_the_saved_model(quick, tmp_path):
    import pandas as pd

    save_model(*train(load_customers(None, quick), quick), quick.artifacts_dir)
    frame = load_customers(None, quick).customers.drop(columns=["Churn"]).head(200)
    path = tmp_path / "new_customers.csv"
    frame.drop(columns=["recent_login_count", "complain_count", "usage_drop_rate"]).to_csv(
        path, index=False
    )
    said: list[str] = []
    ensure_model(load_customers(path, quick), quick, say=said.append)
    assert "no Churn column to train on" in said[0]
    assert pd.read_csv(path).shape[0] == 200


def test_same_data_compares_file_hashes_and_demo_seeds(quick, telco_csv):
    demo = load_customers(None, quick).origin
    assert same_data(demo, demo)
    assert not same_data(demo, demo.model_copy(update={"seed": 7}))
    own = load_customers(telco_csv(300, 1), quick).origin
    assert not same_data(own, own.model_copy(update={"sha256": "0" * 64}))
    assert str(stale_reason(None, load_customers(None, quick))) == "no trained model yet"


def test_the_start_up_lines_speak_the_settings_language(quick):
    chinese = quick.model_copy(update={"language": "zh-TW"})
    said: list[str] = []
    stages: list[str] = []
    ensure_model(load_customers(None, chinese), chinese, say=said.append, progress=stages.append)
    assert said[0].startswith("尚未訓練模型：現在以此資料訓練模型")
    assert stages and all("交叉驗證" in s or "擬合" in s for s in stages)


def test_a_stale_model_refused_is_worded_in_the_readers_language(quick, telco_csv):
    save_model(*train(load_customers(None, quick), quick), quick.artifacts_dir)
    off = quick.model_copy(update={"auto_retrain": False})
    with pytest.raises(ModelArtifactError) as refused:
        ensure_model(load_customers(telco_csv(400, 13), off), off)
    chinese = refused.value.words("zh-TW")
    assert chinese.startswith("已儲存的模型是以合成示範資料")
    assert "請以 `crm-agents train --data" in chinese
