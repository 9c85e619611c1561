"""The notebooks run top to bottom in a fresh kernel — on the synthetic demo data, and on the
real file when present — and render their figures. Executed copies go to test-output/."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
OUTPUT = ROOT / "test-output" / "notebooks"


def execute(path: Path, env: dict[str, str | None], label: str) -> nbformat.NotebookNode:
    """Run the notebook in a fresh kernel whose environment has `env` applied (None: unset)."""
    book = nbformat.read(path, as_version=4)
    saved = dict(os.environ)
    for name, value in env.items():  # the kernel inherits this process's environment
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    try:
        NotebookClient(
            book, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
        ).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    nbformat.write(book, OUTPUT / f"{path.stem}.{label}.ipynb")
    return book


def _outputs(book, kind: str) -> list:
    return [
        o
        for c in book.cells
        if c.cell_type == "code"
        for o in c.outputs
        if kind in o.get("data", {})
    ]


def _text(book) -> str:
    return "".join(
        o.get("text", "") for c in book.cells if c.cell_type == "code" for o in c.outputs
    )


def test_there_are_three_notebooks():
    assert [p.name for p in NOTEBOOKS] == [
        "01_explore_telco.ipynb",
        "02_model_evaluation.ipynb",
        "survival.ipynb",
    ]


def test_notebooks_are_committed_without_outputs():
    for path in NOTEBOOKS:
        book = nbformat.read(path, as_version=4)
        assert all(not c.get("outputs") for c in book.cells if c.cell_type == "code"), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_synthetic_data(path, tmp_path):
    env = {"CRM_RAW_DIR": str(tmp_path / "empty"), "CRM_DATA_PATH": None}
    book = execute(path, env, "synthetic")
    assert "synthetic demo data" in _text(book)
    assert len(_outputs(book, "image/png")) >= 4


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_the_real_file(path, real_csv):
    book = execute(path, {"CRM_DATA_PATH": str(real_csv)}, "real")
    assert "WA_Fn-UseC_-Telco-Customer-Churn.csv" in _text(book)
    assert len(_outputs(book, "image/png")) >= 4
