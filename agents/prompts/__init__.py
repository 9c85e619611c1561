"""The prompts, as data: one Markdown file per agent (`analyst.md`, `reasoning.md`,
`campaign.md`, `communication.md`), the chat's (`chat.md`) and the shared system prompt
(`system.md`). Editing a prompt is editing text here; no code builds them.

Imports nothing from the project.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

FOLDER = Path(__file__).parent


@cache
def prompt(name: str) -> str:
    """The prompt named `name` (a file in this folder, without `.md`)."""
    return (FOLDER / f"{name}.md").read_text(encoding="utf-8").strip()
