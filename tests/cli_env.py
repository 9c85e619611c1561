"""Settings for a command-line run on 1,200 demo customers in a folder of its own (through the
environment, as a user sets them)."""

from __future__ import annotations

from pathlib import Path

import pytest


def use_demo_cli(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRM_RAW_DIR", str(root / "raw"))
    monkeypatch.setenv("CRM_PROCESSED_DIR", str(root / "processed"))
    monkeypatch.setenv("CRM_ARTIFACTS_DIR", str(root / "artifacts"))
    monkeypatch.setenv("CRM_SYNTHETIC_ROWS", "1200")
    monkeypatch.setenv("CRM_CV_FOLDS", "3")
    monkeypatch.setenv("CRM_CV_REPEATS", "1")
    monkeypatch.setenv("CRM_N_JOBS", "1")
    monkeypatch.setenv("CRM_STATE_DIR", str(root / "state"))
