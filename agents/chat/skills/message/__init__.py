"""Write the email, the SMS or the call script for a customer: the analysis's own messages (a
low-risk customer gets none, and the answer says why)."""

from __future__ import annotations

from agents.chat.answers.common import Reference, Results, first_result
from agents.chat.intent import Intent
from agents.chat.skills.skill import Skill, analysis_of_the_customer
from agents.outputs import CallScript, Email, Sms
from agents.present import campaign_words
from core.i18n import t


def answer(intent: Intent, results: Results, _reference: Reference) -> str:
    lang, a = intent.language, first_result(results, "analyze_customer")
    c = a["communications"]
    if c is None:
        return f"{a['summary']}\n\n{t('chat.low_risk', lang)}"
    if intent.kind == "email":
        email = Email.model_validate(c["email"])
        return f"**{email.subject}**\n\n{email.body}"
    if intent.kind == "sms":
        sms = Sms.model_validate(c["sms"])
        return f"{sms.text}\n\n({campaign_words.sms_count(sms, lang)})"
    return "\n".join(
        campaign_words.call_script_lines(CallScript.model_validate(c["call_script"]), lang)
    )


SKILL = Skill(("email", "sms", "call_script"), analysis_of_the_customer, answer)
