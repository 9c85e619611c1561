"""What if a customer changed contract, payment or add-ons: the model's probability before and
after, and the 90-day chance and lifetime value when the time-to-churn model is there."""

from __future__ import annotations

from agents.chat.answers.common import Reference, Results, first_result
from agents.chat.intent import Intent
from agents.chat.skills.skill import Calls, Skill, customer_argument
from agents.present import phrases
from core import formats
from core.i18n import t
from data.schema import feature_label


def calls(intent: Intent) -> Calls:
    if not intent.customer_ids:
        return []
    return [("what_if", {**customer_argument(intent), "changes": dict(intent.changes)})]


def answer(intent: Intent, results: Results, _reference: Reference) -> str:
    lang, r = intent.language, first_result(results, "what_if")
    changes = t("list.separator", lang).join(
        t(
            "chat.change",
            lang,
            feature=feature_label(k, lang),
            value=phrases.value_in_words(k, v, lang),
        )
        for k, v in r["changes"].items()
    )
    said = t(
        "chat.what_if",
        lang,
        changes=changes,
        customer_id=r["customer_id"],
        before=formats.percent(r["probability_before"]),
        after=formats.percent(r["probability_after"]),
        risk_before=t(f"risk_level.{r['risk_before']}", lang),
        risk_after=t(f"risk_level.{r['risk_after']}", lang),
    )
    if r.get("lifetime_value_after") is None:
        return said
    return said + t(
        "chat.what_if_lifetime",
        lang,
        within_before=formats.percent(r["churn_within_90d_before"]),
        within_after=formats.percent(r["churn_within_90d_after"]),
        clv_before=formats.currency(r["lifetime_value_before"], lang),
        clv_after=formats.currency(r["lifetime_value_after"], lang),
    )


SKILL = Skill(("what_if",), calls, answer)
