"""First run: `make run` passes each variable only where it applies, a port in use is named
with how to choose another, and the examples shown exist in the data in use."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _make_dry_run(*variables: str) -> list[str]:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    result = subprocess.run(
        ["make", "-n", "run", *variables], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return [line for line in result.stdout.splitlines() if "crm-agents" in line or "app.py" in line]


def test_make_run_sends_the_port_to_the_app_only():
    prepare, train, survival, app = _make_dry_run("PORT=7861", "DATA=own.csv", "LANG=zh-TW")
    assert prepare.endswith("prepare --data own.csv")
    assert train.endswith("train --if-missing --data own.csv")
    assert survival.endswith("train-survival --if-missing --data own.csv")
    assert "--port 7861" in app and "--data own.csv" in app and "--lang zh-TW" in app


def test_the_shell_locale_is_not_taken_for_the_language(monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    *_, app = _make_dry_run()
    assert "--lang" not in app


def test_a_port_in_use_is_named_with_how_to_choose_another(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, str(ROOT / "app.py"), "--port", str(port)],
            env={**os.environ, "CRM_RAW_DIR": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 2
    message = " ".join(result.stderr.split())
    assert f"port {port} on 127.0.0.1 is already in use" in message
    assert f"PORT={port + 1}" in message and "CRM_PORT" in message
    assert "Traceback" not in message


def test_the_readme_examples_exist_in_the_demo_data():
    from core.settings import Settings
    from data.loading import load_customers

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"\b\d{4}-[A-Z]{5}\b", readme))
    assert shown, "the README shows no example ID"
    demo = set(load_customers(None, Settings(raw_dir=Path("/nonexistent"))).customers.index)
    assert shown <= demo, f"not in the demo data: {sorted(shown - demo)}"


def test_no_runtime_state_is_committed():
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    runtime = [
        f
        for f in tracked
        if f.endswith((".db", ".db-wal", ".db-shm", ".sqlite", ".skops", ".joblib"))
        or f.startswith(("state/", "data/processed/", "models/artifacts/"))
    ]
    assert runtime == []


def test_runtime_files_are_ignored_by_git(tmp_path):
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    paths = ["state/chat.db", "data/chat.db-wal", "state/models/churn_model.skops"]
    ignored = subprocess.run(
        ["git", "check-ignore", *paths], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    assert ignored == paths
