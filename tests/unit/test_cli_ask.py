"""`crm-agents ask`: one turn of a conversation, continued by thread id."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from crm_agents.cli.main import app

runner = CliRunner()


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ask")
    variables = {
        "CRM_SYNTHETIC_ROWS": "1200",
        "CRM_CV_FOLDS": "3",
        "CRM_CV_REPEATS": "1",
        "CRM_N_JOBS": "1",
        "CRM_STATE_DIR": str(folder / "state"),
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in variables.items():
            patch.setenv(name, value)
        assert runner.invoke(app, ["score", "--out", str(folder / "scores.csv")]).exit_code == 0
        yield folder


def _high(env) -> str:
    scores = pd.read_csv(env / "scores.csv")
    return scores.loc[scores.risk_level == "high", "customerID"].iloc[0]


def _ask_json(*args) -> dict:
    result = runner.invoke(app, ["ask", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_holds_the_answer_the_calls_the_thread_the_language_and_the_backend(env):
    customer = _high(env)
    payload = _ask_json(f"What is {customer}'s risk?")
    assert {"answer", "tool_calls", "thread", "language", "backend"} <= set(payload)
    assert payload["tool_calls"] == [
        {"name": "predict_churn", "args": {"customer_id": customer}},
        {"name": "segment_value", "args": {"customer_id": customer}},
    ]
    assert payload["language"] == "en" and payload["backend"] == "offline router"
    assert customer in payload["answer"] and len(payload["thread"]) == 32


def test_a_follow_up_on_the_same_thread_resolves_the_customer_of_the_first_turn(env):
    customer = _high(env)
    first = _ask_json(f"{customer} 的流失風險多高？")
    second = _ask_json("該提供這位客戶什麼方案？", "--thread", first["thread"])
    assert second["thread"] == first["thread"]
    assert second["tool_calls"] == [{"name": "evaluate_offers", "args": {"customer_id": customer}}]
    assert second["language"] == "zh-TW"


def test_without_a_thread_a_new_one_is_made_and_printed(env):
    result = runner.invoke(app, ["ask", "How good is the model?"])
    assert result.exit_code == 0, result.output
    assert "ROC-AUC" in result.output
    assert "continue with --thread" in result.output


def test_another_thread_does_not_know_the_first_ones_customer(env):
    customer = _high(env)
    _ask_json(f"What is {customer}'s risk?", "--thread", "first")
    payload = _ask_json("What should we offer them?", "--thread", "second")
    assert payload["tool_calls"] == [] and "Which customer?" in payload["answer"]


def test_an_empty_question_is_refused(env):
    result = runner.invoke(app, ["ask", "  "])
    assert result.exit_code != 0
    assert "ask a question" in result.output
