"""Champion and challenger with a person in the loop: a retrain registers a challenger without
touching the live model; it goes live only when it won on held-out customers by the
one-standard-error rule and a person approves it; one command rolls back; every version is kept;
other data never replaces an approved champion silently."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from crm_agents.model_check import ensure_model
from crm_agents.retraining import decide, registry_of, retrain
from data.loading import CustomerData, load_customers
from models.churn.persistence import MODEL_FILE, load_model, save_model
from models.churn.training import train
from models.health.registry import RegistryError


def _live_sha(settings) -> str:
    return hashlib.sha256((settings.artifacts_dir / MODEL_FILE).read_bytes()).hexdigest()


@pytest.fixture
def decayed(settings):
    """A live champion that has decayed: it learned from outcomes that no longer hold (the
    labels shuffled), on the same customers."""
    data = load_customers(None, settings)
    shuffled = data.customers.copy()
    shuffled["Churn"] = np.random.default_rng(0).permutation(shuffled["Churn"].to_numpy())
    model, card = train(CustomerData(shuffled, data.origin), settings)
    save_model(model, card, settings.artifacts_dir)
    return settings, data


def test_a_retrain_registers_a_challenger_and_leaves_the_live_model_alone(decayed):
    settings, data = decayed
    before = _live_sha(settings)
    version = retrain(data, settings)
    assert version.status == "challenger" and version.comparison.wins
    assert _live_sha(settings) == before
    assert [v.status for v in registry_of(settings).versions()] == ["champion", "challenger"]


def test_approve_then_rollback_end_to_end(decayed):
    settings, data = decayed
    champion_sha = _live_sha(settings)
    challenger = retrain(data, settings)
    decide(settings, "approve", "ana", challenger.id)
    _, card = load_model(settings.artifacts_dir)  # the live files load and agree
    assert card.artifact_sha256 == challenger.model_sha256 != champion_sha
    statuses = {v.id: v.status for v in registry_of(settings).versions()}
    assert statuses == {"v0001": "retired", challenger.id: "champion"}
    back = decide(settings, "rollback", "ana")
    assert back.id == "v0001" and _live_sha(settings) == champion_sha
    assert load_model(settings.artifacts_dir)[1].artifact_sha256 == champion_sha


def test_a_challenger_that_did_not_win_cannot_go_live(decayed):
    settings, data = decayed
    decide(settings, "approve", "ana", retrain(data, settings).id)
    again = retrain(data, settings)  # a strong champion now: no clear win
    assert not again.comparison.wins
    with pytest.raises(RegistryError, match="one standard error"):
        decide(settings, "approve", "ana", again.id)
    assert decide(settings, "reject", "ana", again.id).status == "rejected"


def test_a_decision_on_an_unknown_version_names_the_versions_kept(decayed):
    settings, _ = decayed
    with pytest.raises(RegistryError, match="v0001"):
        decide(settings, "approve", "ana", "v0099")


def test_without_an_earlier_champion_there_is_nothing_to_roll_back(decayed):
    settings, _ = decayed
    with pytest.raises(RegistryError, match="no earlier champion"):
        decide(settings, "rollback", "ana")


def test_other_data_does_not_replace_an_approved_champion(decayed, telco_csv):
    settings, data = decayed
    decide(settings, "approve", "ana", retrain(data, settings).id)
    live = _live_sha(settings)
    said: list[str] = []
    other = load_customers(telco_csv(400, seed=3), settings)
    ensure_model(other, settings, say=said.append)
    assert _live_sha(settings) == live
    assert any("crm-agents retrain" in line for line in said)


@pytest.mark.slow
def test_the_time_to_churn_model_is_challenged_the_same_way(decayed):
    from tests.survival_cache import place_survival

    settings, data = decayed
    place_survival(settings)
    version = retrain(data, settings)
    compared = version.survival_comparison
    assert compared is not None and compared.held_out_rows > 0
    assert 0.5 < compared.c_index_champion <= 1 and 0.5 < compared.c_index_challenger <= 1
    assert ("time_to_churn" in version.new_models) == compared.wins
    assert "churn" in version.new_models  # the decayed churn champion loses


def test_a_version_holds_the_champions_churn_model_when_the_challenger_lost(decayed):
    settings, data = decayed
    decide(settings, "approve", "ana", retrain(data, settings).id)
    live = _live_sha(settings)
    again = retrain(data, settings)
    assert again.new_models == [] and again.model_sha256 == live
