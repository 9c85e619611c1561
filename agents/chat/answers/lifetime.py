"""The offline chat's answers about time and lifetime value: when one customer is likely to
leave, what they are worth, and who is most likely to leave within 90 days (this week's calls).
Every figure comes from `predict_time_to_churn`, `segment_value` or `list_at_risk`."""

from __future__ import annotations

from agents.chat.answers.tables import customer_table, urgent_row
from agents.present import lifetime_words, phrases
from core import formats
from core.i18n import t
from core.types import Language
from data.schema import feature_label
from tools.schemas import ValueBasis
from tools.timing_schemas import TimeToChurn

#: The month the chat compares a customer with similar customers at.
COMPARED_AT = 12


def when_answer(payload: dict, lang: Language) -> str:
    when = TimeToChurn.model_validate(payload)
    lines = [
        f"**{when.customer_id}** — {lifetime_words.when_line(when, lang)}",
        lifetime_words.chances_line(when, lang),
        lifetime_words.support_line(when, lang),
        t(
            "chat.when.compared",
            lang,
            months=COMPARED_AT,
            customer=formats.percent(when.curve[COMPARED_AT]),
            similar=formats.percent(when.segment_curve[COMPARED_AT]),
            contract=phrases.value_in_words("Contract", when.segment_contract, lang),
            internet=phrases.value_in_words("InternetService", when.segment_internet_service, lang),
        ),
        lifetime_words.lifetime_value_line(when, lang),
    ]
    if when.next_step is not None:
        line = lifetime_words.next_step_line(when.next_step, lang)
        lines.append(t("chat.when.next_step", lang, line=line))
    lines.append(t("chat.when.caveat", lang))
    return "\n".join(lines)


def lifetime_answer(payload: dict, segment: dict, lang: Language) -> str:
    when = TimeToChurn.model_validate(payload)
    basis = ValueBasis.model_validate(segment["basis"])
    return "\n".join(
        [
            f"**{when.customer_id}** — {lifetime_words.lifetime_value_line(when, lang)}",
            t(
                "chat.when.tier",
                lang,
                tier=t(f"value_tier.{segment['tier']}", lang),
                monthly=formats.currency(segment["monthly_charges"], lang),
            ),
            lifetime_words.value_basis_line(basis, lang),
            lifetime_words.when_line(when, lang),
            t("chat.when.caveat", lang),
        ]
    )


def urgent_list(r: dict, lang: Language) -> str:
    threshold = formats.percent(r.get("urgent_within_90d") or 0.0)
    calls = r.get("call_this_week")
    if not r["customers"]:
        if r["filters"].get("call_this_week_only"):
            return t("chat.when.no_calls", lang, threshold=threshold)
        return t("chat.no_match", lang)
    rows = [urgent_row(c, feature_label(c["top_driver"], lang), lang) for c in r["customers"]]
    return "\n".join(
        [
            t("chat.when.urgent_heading", lang, calls=f"{calls or 0:,}", threshold=threshold),
            "",
            customer_table(rows, lang, urgent=True),
            "",
            t("chat.matching", lang, count=f"{r['matching']:,}"),
            *(
                [lifetime_words.value_basis_line(ValueBasis.model_validate(basis), lang)]
                if (basis := r.get("value_basis"))
                else []
            ),
        ]
    )
