"""The README's HTTP API walkthrough, run as an integrator would run it: its shell block and its
webhook receiver, against `crm-agents api` on demo data. An example that stops working fails
here."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from app_server import free_port
from survival_cache import place_survival

from core.settings import Settings
from data.loading import load_customers
from models.churn.persistence import save_model
from models.churn.training import train
from tests.cli_env import use_demo_cli

pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parents[2] / "README.md"


def _block(marker: str, language: str) -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(rf"<!-- {marker} -->\n```{language}\n(.*?)\n```", text, re.S)
    assert found, f"README has no {language} block after <!-- {marker} -->"
    return found.group(1)


def test_the_readme_walkthrough_runs_and_the_receiver_verifies_the_webhook(tmp_path, monkeypatch):
    use_demo_cli(tmp_path, monkeypatch)
    monkeypatch.setenv("CRM_MODEL", "logistic_splines")
    settings = Settings()
    save_model(*train(load_customers(None, settings), settings), settings.artifacts_dir)
    place_survival(settings)
    (tmp_path / "receiver.py").write_text(_block("webhook-receiver", "python"), encoding="utf-8")
    env = os.environ | {
        "CRM_API_PORT": str(free_port()),
        "RECEIVER_PORT": str(free_port()),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    env.pop("CRM_WEBHOOK_SIGNING_KEY", None)
    finished = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", _block("api-walkthrough", "bash")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    shown = finished.stdout + finished.stderr[-3000:]
    assert finished.returncode == 0, shown
    answers = [line for line in finished.stdout.splitlines() if not line.startswith("The API")]
    assert 0.0 < float(answers[0]) <= 1.0  # the customer's churn probability
    assert re.fullmatch(r"[a-z_]+", answers[1])  # the analysis chose an offer
    read = re.search(r"read (\d+) of (\d+) at-risk customers", finished.stdout)
    assert read and read.group(1) == read.group(2) and int(read.group(1)) > 100
    assert "api:Marketing cloud" in finished.stdout  # who approved, as recorded
    assert answers[-2] == "{}"  # every other item accepted: none left
    assert "verified campaign.approved" in finished.stdout
