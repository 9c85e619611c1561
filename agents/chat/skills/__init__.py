"""One skill per question type, a folder each: its words (`words.toml`: the words that make a
question this skill's, and which skill wins when a question holds several skills' words), the
tool calls that answer it (`calls`) and the answer written from their results (`answer`).

A new question type is one folder: the router (`intents.py`) reads every skill's words, plans
with its `calls` and answers with its `answer`; the LLM path calls the same tools. The skills
are found by listing this package, so nothing else names them.
"""

from __future__ import annotations

import importlib
import pkgutil

from agents.chat.skills.skill import Skill


def _found() -> dict[str, Skill]:
    skills: dict[str, Skill] = {}
    for module in pkgutil.iter_modules(__path__):
        if module.ispkg:
            skill: Skill = importlib.import_module(f"{__name__}.{module.name}").SKILL
            for kind in skill.kinds:
                if kind in skills:
                    raise ValueError(f"two skills answer {kind!r}")
                skills[kind] = skill
    return skills


#: Every skill by the intent kind it answers.
SKILLS: dict[str, Skill] = _found()
