"""The import contracts in pyproject.toml hold, and they fail on the imports they forbid."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "data", "models", "tools", "agents", "graph", "ui", "crm_agents")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    # The tree comes first on the path, ahead of the editable install of the real project.
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def copy_with(tmp_path: Path, module: str, line: str) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    with (tmp_path / module).open("a", encoding="utf-8") as source:
        source.write(f"\n{line}\n")
    return tmp_path


def test_the_project_keeps_every_import_contract() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "12 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract", "offence"),
    [
        (
            "data/schema.py",
            "import ui.escape",
            "Layers point down",
            "data is not allowed to import ui",
        ),
        (
            "core/types.py",
            "import data.schema",
            "Layers point down",
            "core is not allowed to import data",
        ),
        (
            "tools/offers/playbook.py",
            "import gradio",
            "Only the UI imports Gradio",
            "tools is not allowed to import gradio",
        ),
        (
            "agents/checks/grounding.py",
            "from agents.nodes import analyst",
            "No import cycles",
            "No cycles are allowed in agents",
        ),
        (
            "ui/backend.py",
            "import crm_agents.cli.main",
            "Entry points sit above the UI",
            "ui is not allowed to import crm_agents.cli",
        ),
        (
            "crm_agents/store/database.py",
            "import crm_agents.composition",
            "Entry points sit above the UI",
            "crm_agents.store is not allowed to import crm_agents.composition",
        ),
        (
            "ui/backend.py",
            "import crm_agents.api.server",
            "Entry points sit above the UI",
            "ui is not allowed to import crm_agents.api",
        ),
        (
            "crm_agents/store/outbox.py",
            "import crm_agents.webhooks",
            "Entry points sit above the UI",
            "crm_agents.store is not allowed to import crm_agents.webhooks",
        ),
        (
            "crm_agents/exports.py",
            "import fastapi",
            "Only the API imports FastAPI",
            "crm_agents.exports is not allowed to import fastapi",
        ),
        (
            "agents/outputs.py",
            "import agents.present.phrases",
            "Inside agents",
            "agents.outputs is not allowed to import agents.present",
        ),
        (
            "agents/chat/memory.py",
            "import agents.nodes.analyst",
            "Inside agents",
            "agents.chat is not allowed to import agents.nodes",
        ),
        (
            "agents/present/phrases.py",
            "import agents.llm.writer",
            "Presenters import no LLM",
            "agents.present is not allowed to import agents.llm",
        ),
        (
            "agents/chat/queries.py",
            "import ui.escape",
            "The chat agent imports no UI",
            "agents.chat is not allowed to import ui",
        ),
        (
            "ui/tabs/ask.py",
            "from langgraph.graph import StateGraph",
            "The UI and the command line drive the graphs through graph/",
            "ui is not allowed to import langgraph",
        ),
        (
            "graph/chat.py",
            "import langchain_openai",
            "Only agents.llm talks to an LLM endpoint",
            "graph is not allowed to import langchain_openai",
        ),
        (
            "tools/service/similar.py",
            "import tools.offers.playbook",
            "Tools stand on the service",
            "tools.service is not allowed to import tools.offers",
        ),
        (
            "models/churn/scoring.py",
            "import models.survival.lifetime",
            "Time to churn and model health may read the churn model",
            "models.churn is not allowed to import models.survival",
        ),
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    tmp_path: Path, module: str, line: str, contract: str, offence: str
) -> None:
    result = lint_imports(copy_with(tmp_path, module, line))
    assert result.returncode == 1
    broken = result.stdout.split("Broken contracts", 1)[1]
    assert contract in broken and offence in broken
