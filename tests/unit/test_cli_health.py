"""`crm-agents health`: a run's drift from the model's training data and drift over runs, in
the reader's language, as tables or JSON; a clear message when there is no run to show."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from core.settings import Settings
from crm_agents.cli.main import app
from data.synthetic import generate_customers
from tests.cli_env import use_demo_cli
from tests.survival_cache import place_survival

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def batch_env(tmp_path_factory):
    """One batch run over 1,200 demo customers (its model trained on them)."""
    root = tmp_path_factory.mktemp("health")
    with pytest.MonkeyPatch.context() as patch:
        use_demo_cli(root, patch)
        place_survival(Settings())
        finished = _run("batch", "--limit", "1", "--min-risk", "high")
        assert finished.exit_code == 0, finished.output
        yield root, patch, finished.output


@pytest.fixture
def env(batch_env, monkeypatch):
    root, _, _ = batch_env
    use_demo_cli(root, monkeypatch)
    return batch_env


def test_the_batch_says_whether_its_base_moved(env):
    assert "Drift: nothing moved beyond its threshold" in env[2]


def test_health_shows_the_newest_runs_measures_and_the_runs_kept(env):
    result = _run("health")
    assert result.exit_code == 0, result.output
    assert "Drift of run 1 against the model's training data" in result.output
    # Every measure is a row (names may wrap inside their cell): the PSIs and the difference.
    assert result.output.count("PSI") >= 20 and "pt" in result.output
    assert "Drift over runs" in result.output


def test_health_speaks_traditional_chinese(env):
    result = _run("health", "--lang", "zh-TW")
    assert result.exit_code == 0, result.output
    assert "差異" in result.output and "歷次執行的資料漂移" in result.output


def test_health_json_has_every_measure_and_the_history(env):
    result = _run("health", "--json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["run"] == 1 and shown["shifted"] is False
    names = {m["name"] for m in shown["drift"]["measures"]}
    assert {"tenure", "churn_probability", "expected_churn_rate"} <= names
    assert [row["id"] for row in shown["history"]] == [1]


def test_an_unknown_run_is_refused_with_the_runs_kept(env):
    result = _run("health", "--run", "99")
    assert result.exit_code == 2
    assert "There is no run 99; runs kept: 1" in result.output


def test_without_any_run_health_says_to_run_the_batch(tmp_path, monkeypatch):
    use_demo_cli(tmp_path, monkeypatch)
    result = _run("health")
    assert result.exit_code == 2
    assert "crm-agents batch" in result.output


def test_a_customers_risk_over_runs_is_shown_in_json_and_words(env):
    customer = generate_customers(1200, Settings().seed)["customerID"].iloc[0]
    shown = _run("health", "--customer", customer, "--json")
    assert shown.exit_code == 0, shown.output
    history = json.loads(shown.stdout)
    assert history["customer_id"] == customer
    assert [p["run_id"] for p in history["points"]] == [1]
    worded = _run("health", "--customer", customer, "--lang", "zh-TW")
    assert "目前只有一次批次執行包含" in worded.output


def test_an_unknown_customers_history_is_refused_clearly(env):
    shown = _run("health", "--customer", "0000-NOONE")
    assert shown.exit_code == 2
    assert "0000-NOONE" in shown.output
