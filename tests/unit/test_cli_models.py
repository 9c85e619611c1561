"""`crm-agents retrain` and `crm-agents models`: a challenger compared in words, the versions
listed, a person's decision refused when the challenger did not win, and `train` refused once
the live model is under approval — in English and Traditional Chinese."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from crm_agents.cli.main import app
from tests.cli_env import use_demo_cli

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def retrained(tmp_path_factory):
    root = tmp_path_factory.mktemp("models")
    with pytest.MonkeyPatch.context() as patch:
        use_demo_cli(root, patch)
        assert _run("train").exit_code == 0
        finished = _run("retrain", "--json")
        assert finished.exit_code == 0, finished.output
        yield root, json.loads(finished.stdout)


@pytest.fixture
def env(retrained, monkeypatch):
    use_demo_cli(retrained[0], monkeypatch)
    return retrained[1]


def test_retrain_registers_a_challenger_with_its_comparison(env):
    assert env["id"] == "v0002" and env["status"] == "challenger"
    compared = env["comparison"]
    assert compared["held_out_rows"] == 300  # a quarter of the 1,200 demo customers
    assert compared["difference"] == pytest.approx(
        compared["roc_auc_challenger"] - compared["roc_auc_champion"], abs=1e-6
    )


def test_the_versions_are_listed_with_the_live_one(env):
    shown = _run("models", "list", "--json")
    versions = json.loads(shown.stdout)
    assert [(v["id"], v["status"]) for v in versions] == [
        ("v0001", "champion"),
        ("v0002", "challenger"),
    ]
    worded = _run("models", "list", "--lang", "zh-TW")
    assert "冠軍" in worded.output and "挑戰者" in worded.output


def test_a_challenger_that_did_not_win_is_refused_in_the_readers_language(env):
    # On the demo data a challenger fitted on three quarters of it is no better than the
    # champion fitted on all of it.
    assert env["comparison"]["difference"] <= env["comparison"]["standard_error"]
    refused = _run("models", "approve", "v0002", "--by", "ana", "--lang", "zh-TW")
    assert refused.exit_code == 2
    assert "一個標準誤" in refused.output


def test_train_is_refused_once_models_are_under_approval(env):
    refused = _run("train")
    assert refused.exit_code == 2
    assert "crm-agents retrain" in refused.output
