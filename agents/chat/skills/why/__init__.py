"""Why a customer is likely to leave: the analysis's summary, its reasons and warning signs."""

from __future__ import annotations

from agents.chat.answers.common import Reference, Results, first_result
from agents.chat.intent import Intent
from agents.chat.skills.skill import Skill, analysis_of_the_customer
from core.i18n import t


def answer(intent: Intent, results: Results, _reference: Reference) -> str:
    lang, a = intent.language, first_result(results, "analyze_customer")
    reasons = [f"- **{r['title']}** — {r['explanation']}" for r in a["reasons"]]
    warnings = [f"- ⚠ {w}" for w in a["warning_signs"]]
    heading = t("present.reasons.heading", lang)
    return "\n".join(
        [a["summary"], t("format.heading", lang, heading=heading), *reasons, *warnings]
    )


SKILL = Skill(("why",), analysis_of_the_customer, answer)
