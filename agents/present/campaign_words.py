"""Presenters of what the campaign designer and the communication writer produced: the offer
table and verdict, why no offer was designed, the email, the SMS count and the call script's
lines. Like `phrases.py`, every figure is formatted here and every word comes from the
phrase catalogue."""

from __future__ import annotations

from collections.abc import Sequence

from agents.outputs import CallScript, CampaignPlan, Communications, Email, Sms
from agents.present.phrases import Table
from core.formats import currency, percent
from core.i18n import t
from core.types import Language
from tools.offers.playbook import Playbook
from tools.schemas import OfferOption

# ---- offer ---------------------------------------------------------------------------------


def offer_table(options: Sequence[OfferOption], playbook: Playbook, lang: Language) -> Table:
    """Offers with cost, churn after, CLV saved (priced on lifetime value) and expected value."""
    saved = any(o.lifetime_value_saved is not None for o in options)
    keys = ("offer", "cost", "after", *(("saved",) if saved else ()), "value")
    rows = tuple(
        (
            playbook.get(o.offer_id).title_in(lang),
            currency(o.total_cost, lang),
            percent(o.probability_after),
            *((currency(o.lifetime_value_saved or 0.0, lang),) if saved else ()),
            currency(o.expected_value, lang),
        )
        for o in options
    )
    return Table(tuple(t(f"present.offer.{k}", lang) for k in keys), rows)


def offer_summary(plan: CampaignPlan, lang: Language) -> str:
    """The chosen offer's verdict and figures; a lifetime value saved above today's lifetime
    value is explained (it is the difference between two futures, not a part of today's)."""
    title, option = plan.offer_title, plan.offer
    verdict = "present.offer.worth" if option.expected_value > 0 else "present.offer.not_worth"
    lifetime = option.lifetime_value_saved is not None
    words = t(
        "present.offer.summary_lifetime" if lifetime else "present.offer.summary",
        lang,
        saved=currency(option.lifetime_value_saved or 0.0, lang),
        title=title,
        verdict=t(verdict, lang),
        cost=currency(option.total_cost, lang),
        before=percent(option.probability_after + option.risk_reduction),
        after=percent(option.probability_after),
        points=f"{option.risk_reduction * 100:.1f}",
        value=currency(option.expected_value, lang),
    )
    if lifetime and (option.lifetime_value_saved or 0.0) > plan.value_at_risk:
        words += t(
            "present.offer.saved_above_today",
            lang,
            saved=currency(option.lifetime_value_saved or 0.0, lang),
            clv=currency(plan.value_at_risk, lang),
        )
    return words


def ineligible_lines(ineligible: dict[str, str], playbook: Playbook, lang: Language) -> list[str]:
    """`offer title: why not`, one per offer the customer may not get."""
    return [
        t("format.labelled", lang, label=playbook.get(k).title_in(lang), value=why)
        for k, why in ineligible.items()
    ]


def skipped_reason(risk_level: str, lang: Language) -> str:
    """Why no offer was designed: low risk, or no offer fits the budget."""
    key = "present.skipped.low_risk" if risk_level == "low" else "present.skipped.no_offer"
    return t(key, lang)


def skipped_line(risk_level: str, lang: Language) -> str:
    return t("present.skipped.line", lang, reason=skipped_reason(risk_level, lang))


# ---- messages ------------------------------------------------------------------------------


def email_text(email: Email, lang: Language) -> str:
    return t("present.message.email", lang, subject=email.subject, body=email.body)


def sms_count(sms: Sms, lang: Language) -> str:
    return t(
        "present.message.sms_count",
        lang,
        length=sms.length,
        limit=sms.limit,
        language=t(f"language.{sms.language}", lang),
    )


def call_script_lines(script: CallScript, lang: Language) -> list[str]:
    """The call script as numbered steps, the likely objections under the offer."""
    return [
        t("present.script.greeting", lang, text=script.greeting),
        t("present.script.reason", lang, text=script.reason_for_call),
        t("present.script.offer", lang, text=script.offer),
        t("present.script.objections", lang),
        *[
            t("present.script.objection", lang, objection=o.objection, answer=o.answer)
            for o in script.objections
        ],
        t("present.script.close", lang, text=script.close),
    ]


def call_script_text(communications: Communications, lang: Language) -> str:
    return "\n".join(call_script_lines(communications.call_script, lang))
