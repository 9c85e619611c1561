"""Bad numbers, bad paths and bad URLs are refused by the commands before any work, in one
clear message and exit code 2, never a traceback, never a secret."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from crm_agents.cli.main import app

runner = CliRunner()


@pytest.fixture
def env(tmp_path, monkeypatch):
    """No model is saved: a command that gets past its checks would start training."""
    monkeypatch.setenv("CRM_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("CRM_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("CRM_SYNTHETIC_ROWS", "300")
    monkeypatch.setenv("CRM_AUTO_RETRAIN", "false")
    return tmp_path


def _run(*args: str):
    result = runner.invoke(app, list(args))
    # The console wraps long lines inside a box; a message is read as one line.
    text = result.output.translate({ord(c): " " for c in "│╭╮╰╯─"})
    return result.exit_code, " ".join(text.split())


def _nothing_done(env) -> bool:
    models = env / "state" / "models"
    return not models.exists() or not any(models.iterdir())


def test_score_refuses_to_write_over_the_customer_file(env, telco_csv):
    data = telco_csv(50)
    before = data.read_bytes()
    code, output = _run("score", "--data", str(data), "--out", str(data))
    assert code == 2
    assert "is the customer file being read; write the results to another file" in output
    assert data.read_bytes() == before and _nothing_done(env)


def test_score_refuses_the_customer_file_under_another_name(env, telco_csv):
    data = telco_csv(50)
    link = env / "link.csv"
    link.symlink_to(data)
    code, output = _run("score", "--data", str(data), "--out", str(link))
    assert code == 2 and "is the customer file being read" in output


def test_score_refuses_a_folder_as_its_output(env, telco_csv):
    code, output = _run("score", "--data", str(telco_csv(50)), "--out", str(env))
    assert code == 2
    assert "is a folder; give a file name, e.g." in output
    assert f"e.g.{env / 'scores.csv'}" in output.replace(" ", "")  # a long path wraps anywhere
    assert _nothing_done(env)


def test_score_refuses_an_output_that_cannot_be_written(env, telco_csv):
    blocker = env / "a-file"
    blocker.write_text("x")
    out = blocker / "scores.csv"  # its folder is a file: nothing can be made there
    code, output = _run("score", "--data", str(telco_csv(50)), "--out", str(out))
    assert code == 2 and "cannot be written" in output and _nothing_done(env)


def test_batch_refuses_a_file_as_its_export_folder(env, telco_csv):
    target = env / "exports.csv"
    target.write_text("x")
    code, output = _run("batch", "--export", str(target))
    assert code == 2 and "is a file; give a folder" in output and _nothing_done(env)


@pytest.mark.parametrize("command", ["score", "analyze", "batch", "prepare"])
@pytest.mark.parametrize("value", ["inf", "1e308", "nan"])
def test_a_file_with_a_number_that_cannot_be_computed_is_refused_by_every_command(
    env, telco_csv, command, value
):
    data = telco_csv(50)
    frame = pd.read_csv(data, dtype=str, keep_default_na=False)
    frame.loc[4, "MonthlyCharges"] = value
    frame.to_csv(data, index=False)
    first = frame.loc[0, "customerID"]
    extra = {
        "score": ["--out", str(env / "scores.csv")],
        "analyze": [first],
        "batch": ["--db", f"sqlite:///{env / 'crm.db'}"],
        "prepare": [],
    }[command]
    code, output = _run(command, "--data", str(data), *extra)
    assert code == 2, output
    assert "column MonthlyCharges" in output and "line 6" in output
    assert "Traceback" not in output and _nothing_done(env)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("postgresql+psycopg://crm:s3cret-pw@localhost:abc/crm", "the port 'abc' is not a number"),
        ("postgresql+psycopg://crm:s3cret-pw@localhost:99999/crm", "the port '99999'"),
        ("postgresql+psycopg://crm:s3cret-pw@local host:5432/crm", "the host 'local host'"),
    ],
)
def test_a_malformed_database_url_is_named_without_its_password(env, monkeypatch, url, problem):
    monkeypatch.setenv("CRM_DATABASE_URL", url)
    code, output = _run("batch")
    assert code == 2 and problem in output
    assert "s3cret-pw" not in output and "Traceback" not in output and _nothing_done(env)
