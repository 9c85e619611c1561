"""The offline chat's answers, written from tool results only (English and Traditional Chinese):
the replies no skill owns (help, read-only, which customer, a tool's refusal), then the skill
that answers the question's kind (`skills/`).

`results` maps each tool name to the payloads it returned this turn, in call order. A payload is
the tool's JSON result, or its error message (a string) when the tool refused.
"""

from __future__ import annotations

from agents.chat.answers.common import Reference, Results, tool_error
from agents.chat.intent import Intent
from agents.chat.skills import SKILLS
from core.i18n import t


def answer(intent: Intent, results: Results, reference: Reference) -> str:
    """The reply to one question from this turn's tool results."""
    words = {"example": reference.examples[0], "other": reference.examples[1]}
    lang = intent.language
    if intent.kind == "help" or intent.kind not in (*SKILLS, "read_only"):
        return reference.help(lang)
    if intent.kind == "read_only":
        return t("chat.read_only", lang) + "\n\n" + reference.help(lang)
    if intent.needs_customer and not intent.customer_ids:
        return t("chat.need_id", lang, **words)
    error = tool_error(results, lang)
    if error is not None:
        return error
    return SKILLS[intent.kind].answer(intent, results, reference)
