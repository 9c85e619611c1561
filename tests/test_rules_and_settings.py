"""Risk levels and value tiers follow the configured thresholds exactly at their edges."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from crm_agents.settings import Settings
from models.segments import risk_level, risk_levels, value_tier


@pytest.mark.parametrize(
    ("p", "level"), [(0.70, "high"), (0.6999, "medium"), (0.40, "medium"), (0.3999, "low")]
)
def test_risk_level_edges(p, level):
    assert risk_level(p, Settings()) == level


@pytest.mark.parametrize(
    ("charges", "tier"), [(80.0, "high"), (79.99, "mid"), (40.0, "mid"), (39.99, "low")]
)
def test_value_tier_edges(charges, tier):
    assert value_tier(charges, Settings()) == tier


def test_thresholds_are_configurable_from_the_environment(monkeypatch):
    monkeypatch.setenv("CRM_RISK_HIGH", "0.8")
    monkeypatch.setenv("CRM_VALUE_HIGH", "100")
    s = Settings()
    assert risk_level(0.75, s) == "medium"
    assert value_tier(90, s) == "mid"


def test_vectorised_and_single_risk_levels_agree():
    p = np.linspace(0, 1, 101)
    s = Settings()
    assert list(risk_levels(p, s)) == [risk_level(x, s) for x in p]


def test_thresholds_out_of_order_are_rejected():
    with pytest.raises(ValidationError, match=r"risk_medium \(0.8\) must be below risk_high"):
        Settings(risk_medium=0.8, risk_high=0.7)


def test_unknown_feature_set_names_the_allowed_values():
    with pytest.raises(ValidationError, match="'telco' or 'enriched'"):
        Settings(feature_set="everything")
