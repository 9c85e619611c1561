"""Risk levels and value tiers follow the configured thresholds exactly at their edges; bad
settings name their environment variable and never repeat a secret."""

from __future__ import annotations

import numpy as np
import pytest

from core.settings import Settings, SettingsError
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
    with pytest.raises(SettingsError, match=r"CRM_RISK_MEDIUM \(0.8\) must be below CRM_RISK_HIGH"):
        Settings(risk_medium=0.8, risk_high=0.7)


def test_unknown_feature_set_names_the_variable_and_the_allowed_values():
    with pytest.raises(
        SettingsError, match="CRM_FEATURE_SET: Input should be 'telco' or 'enriched'"
    ):
        Settings(feature_set="everything")


def test_a_bad_number_names_the_environment_variable_not_a_field_path(monkeypatch):
    monkeypatch.setenv("CRM_RISK_HIGH", "high")
    with pytest.raises(SettingsError) as err:
        Settings()
    assert "CRM_RISK_HIGH: Input should be a valid number" in str(err.value)
    assert "risk_high" not in str(err.value) and "pydantic" not in str(err.value)


def test_an_auth_setting_without_a_colon_is_refused_without_echoing_it(monkeypatch):
    monkeypatch.setenv("CRM_APP_AUTH", "hunter2hunter2")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-live-abcdef0123456789")
    monkeypatch.setenv("CRM_PORT", "not-a-port")
    with pytest.raises(SettingsError) as err:
        Settings()
    text = str(err.value) + repr(err.value) + str(err.value.__cause__) + str(err.value.__context__)
    assert "CRM_APP_AUTH: must look like user:password" in text
    assert "CRM_PORT" in text
    for secret in ("hunter2", "abcdef0123456789", "sk-live"):
        assert secret not in text


def test_secrets_never_show_in_the_settings_repr():
    s = Settings(app_auth="admin:hunter2hunter2", openai_api_key="sk-live-abcdef0123456789")
    assert "hunter2" not in repr(s) and "abcdef0123456789" not in repr(s)
    assert "hunter2" not in s.model_dump_json() and "abcdef" not in s.model_dump_json()


def test_redact_removes_secrets_and_masked_keys_from_any_text():
    s = Settings(app_auth="admin:hunter2hunter2", openai_api_key="sk-live-abcdef0123456789")
    message = (
        "Error code: 401 - Incorrect API key provided: sk-live-***********6789. "
        "auth admin:hunter2hunter2 / hunter2hunter2 / sk-live-abcdef0123456789"
    )
    cleaned = s.redact(message)
    assert "hunter2" not in cleaned and "6789" not in cleaned and "sk-live" not in cleaned
    assert cleaned.startswith("Error code: 401 - Incorrect API key provided: [secret]")


def test_runtime_state_lives_in_one_state_directory(tmp_path):
    s = Settings(state_dir=tmp_path)
    assert {s.processed_dir, s.artifacts_dir, s.chat_db, s.results_db, s.downloads_dir} == {
        tmp_path / "processed",
        tmp_path / "models",
        tmp_path / "chat.db",
        tmp_path / "crm.db",
        tmp_path / "downloads",
    }


def test_a_path_set_on_its_own_overrides_the_state_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("CRM_CHAT_DB", str(tmp_path / "elsewhere.db"))
    s = Settings()
    assert s.chat_db == tmp_path / "elsewhere.db"
    assert s.artifacts_dir == tmp_path / "state" / "models"


def test_a_bad_customer_id_pattern_is_refused():
    with pytest.raises(SettingsError, match="CRM_CUSTOMER_ID_PATTERN: is not a regular expression"):
        Settings(customer_id_pattern="[A-Z")


def test_accepted_ranges_override_only_the_columns_given(monkeypatch):
    monkeypatch.setenv("CRM_ACCEPTED_RANGES", '{"MonthlyCharges": [0, 5000]}')
    ranges = Settings().accepted_ranges
    assert ranges["MonthlyCharges"] == (0, 5000) and ranges["tenure"] == (0, 600)


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ('{"Monthly": [0, 5]}', "unknown column(s) 'Monthly'; accepted: tenure, MonthlyCharges"),
        ('{"tenure": [10, 5]}', "tenure: [10, 5] must be two finite numbers, the first below"),
        ('{"tenure": [0, "x"]}', "tenure: [0, 'x'] is not a pair of numbers"),
        ('{"usage_drop_rate": [0, 2]}', "usage_drop_rate: a range cannot reach above 1"),
        ('{"tenure": [-1, 50]}', "tenure: a range cannot reach below 0"),
        ("[0, 5]", "must be a JSON object"),
        ("not json", "is not valid JSON"),
    ],
)
def test_a_bad_accepted_range_is_refused_by_name(monkeypatch, given, problem):
    monkeypatch.setenv("CRM_ACCEPTED_RANGES", given)
    with pytest.raises(SettingsError) as err:
        Settings()
    assert "CRM_ACCEPTED_RANGES" in str(err.value) and problem in str(err.value)


def test_a_probability_that_is_not_a_number_gets_no_risk_level():
    levels = risk_levels(np.array([0.9, np.nan, 0.1, np.inf]), Settings())
    assert list(levels) == ["high", "unscored", "low", "unscored"]
