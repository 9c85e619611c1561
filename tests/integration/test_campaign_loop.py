"""One campaign end to end on the command line, on the demo data: batch → campaign → pending
approvals → accept some, edit one (and one edit refused), send one back, ignore one → accept
the rest → export with exclusions → simulated outcomes → results with intervals → uplift for
the next campaign."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from core.settings import Settings
from crm_agents.cli.main import app
from tests.cli_env import use_demo_cli
from tests.survival_cache import place_survival

runner = CliRunner()


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    use_demo_cli(tmp_path, monkeypatch)
    place_survival(Settings())
    return f"sqlite:///{tmp_path / 'crm.db'}"


def _run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return " ".join(result.output.split())


@pytest.mark.slow
def test_one_campaign_goes_end_to_end_on_the_command_line(db, tmp_path):
    _run("train", "--model", "logistic_baseline")
    _run("batch", "--db", db, "--min-risk", "medium", "--workers", "2")
    _run(
        "campaigns",
        "create",
        "Loop",
        "--db",
        db,
        "--holdout",
        "0.5",
        "--channel",
        "email",
        "--channel",
        "sms",
        "--channel",
        "call",
    )
    assert "sent for approval" in _run("campaigns", "submit", "1", "--db", db)
    waiting = _run("campaigns", "pending", "1", "--db", db)
    customers = [w for w in waiting.split() if len(w) == 10 and w[4] == "-"]
    first, second, edited, returned, ignored = customers[:5]
    assert "Accept to send as written" in _run(
        "campaigns", "pending", "1", "--customer", first, "--db", db
    )
    assert "2 accepted" in _run("campaigns", "approve", "1", first, second, "--db", db)
    refused = _run(
        "campaigns",
        "approve",
        "1",
        edited,
        "--sms",
        "Only $1 a month, forever!",
        "--db",
        db,
        code=1,
    )
    assert "Edit refused" in refused and "$1" in refused
    assert "accepted with edits" in _run(
        "campaigns",
        "approve",
        "1",
        edited,
        "--subject",
        "Thank you for staying with us",
        "--db",
        db,
    )
    assert "sent back with a note" in _run(
        "campaigns", "reject", "1", returned, "--note", "Too pushy", "--db", db
    )
    assert "ignored" in _run("campaigns", "reject", "1", ignored, "--db", db)
    assert "decided already" in _run("campaigns", "approve", "1", first, "--db", db, code=1)
    _run("campaigns", "approve", "1", "--all", "--db", db)
    assert "ready" in _run("campaigns", "list", "--db", db)

    suppression = tmp_path / "suppress.csv"
    suppression.write_text(f"customer_id,channel\n{second},sms\n")
    exported = _run(
        "campaigns",
        "export",
        "1",
        "--db",
        db,
        "--out",
        str(tmp_path / "out"),
        "--suppression",
        str(suppression),
    )
    assert "not approved" in exported and "on the suppression list" in exported
    folder = tmp_path / "out" / "campaign-1"
    emails = pd.read_csv(folder / "email.csv", dtype=str).set_index("customer_id")
    assert emails.loc[edited, "subject"] == "Thank you for staying with us"
    assert returned not in emails.index and ignored not in emails.index
    assert second not in set(pd.read_csv(folder / "sms.csv", dtype=str)["customer_id"])

    _run("simulate-outcomes", "1", "--db", db, "--seed", "3")
    assert "measuring" in _run("campaigns", "list", "--db", db)
    results = _run("campaigns", "results", "1", "--db", db)
    assert "Newcombe" in results and "95 %" in results
    uplift = _run("campaigns", "uplift", "1", "--db", db)
    assert "persuadable segment" in uplift.lower()
    assert "closed" in _run("campaigns", "close", "1", "--db", db)
