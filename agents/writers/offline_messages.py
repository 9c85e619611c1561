"""The offline writer's messages to the customer: email, SMS and call script, in every
language of the catalogue, opened by what matters for this customer and answering the
objections their offer meets. Every figure comes from the facts it was given (the chosen offer
and the customer's own bill).
"""

from __future__ import annotations

from agents.outputs import CommunicationDraft, ObjectionAnswer, sms_problem
from agents.writers.offline import capitalised
from core.formats import currency
from core.i18n import first, t
from core.types import Language

#: Below this tenure a letter welcomes rather than thanks for loyalty.
NEW_CUSTOMER_MONTHS = 3


def _objection_keys(offer_type: str, has_contract: bool) -> list[str]:
    if has_contract:
        return ["contract", "competitor", "think"]
    if offer_type in ("free_trial", "upgrade", "loyalty"):
        return ["need", "catch", "think"]
    return ["catch", "competitor", "think"]


def _opening(facts: dict, language: Language) -> str:
    """Why we reach out, chosen by what matters for this customer."""
    ctx, tier = facts["context"], facts["value_tier"]
    tenure = ctx["tenure_months"]
    reason = ctx["reasons"][0] if ctx["reasons"] else "other"
    greeting = "new" if tenure < NEW_CUSTOMER_MONTHS else tier
    lead = first([f"message.opening.{greeting}", "message.opening.other"], language, months=tenure)
    return lead + first([f"message.because.{reason}", "message.because.other"], language)


def _sms(facts: dict, language: Language) -> str:
    o = facts["offer"]
    for size in ("full", "short", "shortest"):
        text = t(
            f"message.sms.{size}",
            language,
            title=o["title"],
            pitch_capitalised=capitalised(o["pitch"]),
        )
        if sms_problem(text, language) is None:
            return text
    raise ValueError(f"no SMS template fits one segment for offer {o['title']!r}")


def communication(facts: dict, language: Language) -> CommunicationDraft:
    o = facts["offer"]
    values = {
        "title": o["title"],
        "pitch": o["pitch"],
        "price": currency(o["price_during_offer"], language),
        "discount": f"{o['discount_percent']:g}%",
        "opening": _opening(facts, language),
    }
    objections = [
        ObjectionAnswer(
            objection=t(f"message.objection.{key}.question", language),
            answer=t(f"message.objection.{key}.answer", language, **values),
        )
        for key in _objection_keys(o["type"], "Contract" in o["changes"])
    ]
    return CommunicationDraft(
        email_subject=t("message.email.subject", language, **values),
        email_body=t("message.email.body", language, **values),
        sms=_sms(facts, language),
        call_greeting=t("message.call.greeting", language),
        call_reason=values["opening"],
        call_offer=t("message.call.offer", language, **values),
        objections=objections,
        call_close=t("message.call.close", language),
    )
