"""The offline chat's answers, written from tool results only (English and Traditional Chinese):
the replies no skill owns (help, read-only, which customer, a tool's refusal), then the skill
that answers the question's kind (`skills/`).

`results` maps each tool name to the payloads it returned this turn, in call order. A payload is
the tool's JSON result, or its error message (a string) when the tool refused.
"""

from __future__ import annotations

from agents.chat.answers.common import Reference, Results, tool_error
from agents.chat.answers.query import filter_words
from agents.chat.intent import Intent
from agents.chat.skills import SKILLS
from agents.present import phrases
from core.i18n import t


def answer(intent: Intent, results: Results, reference: Reference) -> str:
    """The reply to one question from this turn's tool results."""
    words = {"example": reference.examples[0], "other": reference.examples[1]}
    lang = intent.language
    if intent.kind == "help" or intent.kind not in (*SKILLS, "read_only"):
        return nearest_questions(intent) or reference.help(lang)
    if intent.kind == "read_only":
        return t("chat.read_only", lang) + "\n\n" + reference.help(lang)
    if intent.needs_customer and not intent.customer_ids:
        return t("chat.need_id", lang, **words)
    error = tool_error(results, lang)
    if error is not None:
        return error
    return SKILLS[intent.kind].answer(intent, results, reference)


def nearest_questions(intent: Intent) -> str | None:
    """For a question not understood that named a segment or a grouping: what was understood,
    and the nearest questions about it that can be answered (None when it named neither)."""
    lang, filters = intent.language, intent.query.get("filters") or []
    group_by = intent.query.get("group_by")
    if not filters and not group_by:
        return None
    segment = t("list.last", lang).join(filter_words(f, lang) for f in filters)
    parts = [t("chat.understood_segment", lang, filters=segment)] if filters else []
    column = phrases.column_label(group_by, lang) if group_by else None
    if column:
        parts.append(t("chat.understood_group", lang, column=column))
    tries = []
    if filters:
        tries += [
            t("chat.try_segment_count", lang, filters=segment),
            t("chat.try_segment_rate", lang, filters=segment),
            t("chat.try_segment_high", lang, filters=segment),
        ]
    if column:
        tries += [
            t("chat.try_rate", lang, column=column),
            t("chat.try_probability", lang, column=column),
        ]
    understood = t("chat.understood", lang, what=t("list.separator", lang).join(parts))
    listed = "\n".join(f"- {question}" for question in tries[:3])
    return f"{understood}\n\n{t('chat.nearest', lang)}\n{listed}"
