"""The offline chat's answers, written from tool results only (English and Traditional Chinese).

`results` maps each tool name to the payloads it returned this turn, in call order. A payload is
the tool's JSON result, or its error message (a string) when the tool refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from agents.chat.answers.lifetime import lifetime_answer, urgent_list, when_answer
from agents.chat.answers.model import model_answer
from agents.chat.answers.query import query_answer
from agents.chat.answers.tables import customer_row, customer_rows, customer_table
from agents.chat.intents import Intent
from agents.outputs import CallScript, Email, Sms
from agents.present import campaign_words, lifetime_words, phrases
from core import formats
from core.i18n import t
from core.types import Language
from data.schema import ACTIONABLE_FEATURES, CUSTOMER_ID_EXAMPLE, feature_label
from tools.offers.playbook import Playbook
from tools.refusals import refusal_words
from tools.schemas import ChurnPrediction, Driver, SegmentChurn, ValueBasis

Results = dict[str, list[dict | str]]
#: Only when no data is at hand; the chat passes IDs of the table in use.
EXAMPLES = (CUSTOMER_ID_EXAMPLE, "5575-GNVDE")


@dataclass(frozen=True)
class Reference:
    """What the offline router knows of the data in use, for help texts: the offer playbook
    (titles in each language), two IDs of the table, and what the example questions are built
    from — the riskiest customer, the category value most high-risk customers share, a column
    to compare groups by, and whether the data says who actually churned."""

    playbook: Playbook
    examples: tuple[str, str] = EXAMPLES
    riskiest: str = EXAMPLES[0]
    segment: tuple[str, str] = ("Contract", "Month-to-month")
    group_by: str = "InternetService"
    has_labels: bool = True

    def tries(self, lang: Language) -> list[str]:
        """Three questions the router answers on this data, in `lang`."""
        column, value = self.segment
        rate = "chat.try_rate" if self.has_labels else "chat.try_probability"
        return [
            t("chat.try_why", lang, customer=self.riskiest),
            t(
                "chat.try_count",
                lang,
                column=phrases.column_label(column, lang),
                value=phrases.value_in_words(column, value, lang),
            ),
            t(rate, lang, column=phrases.column_label(self.group_by, lang)),
        ]

    def help(self, lang: Language) -> str:
        words = {"example": self.examples[0], "other": self.examples[1]}
        tries = "\n".join(f"- {question}" for question in self.tries(lang))
        return t("chat.help", lang, **words) + "\n\n" + t("chat.try", lang) + "\n" + tries


def _first(results: Results, tool: str) -> dict | str | None:
    found = results.get(tool) or []
    return found[0] if found else None


def _error(results: Results, lang: Language) -> str | None:
    found = (p for payloads in results.values() for p in payloads if isinstance(p, str))
    payload = next(found, None)
    return None if payload is None else refusal_words(payload, lang)


def _risk(p: dict, v: dict, lang: Language) -> str:
    drivers = [Driver.model_validate(d) for d in p["drivers"] if d["contribution"] > 0][:3]
    head = t(
        "chat.risk",
        lang,
        customer_id=p["customer_id"],
        probability=formats.percent(p["probability"]),
        risk=t(f"risk_level.{p['risk_level']}", lang),
        tier=t(f"value_tier.{v['tier']}", lang),
        monthly=formats.currency(v["monthly_charges"], lang),
        clv=formats.currency(v["clv_estimate"], lang),
        months=v["clv_horizon_months"],
    )
    table = phrases.driver_table(drivers, lang).markdown()
    actionable = phrases.actionable_line(
        ChurnPrediction.model_validate(p).top_actionable_driver(), lang
    )
    lines = [head]
    if v.get("basis"):
        lines.append(lifetime_words.value_basis_line(ValueBasis.model_validate(v["basis"]), lang))
    lines += ["", t("chat.drivers", lang), "", table, "", actionable]
    if v.get("similar"):
        lines.append(phrases.similar_line(SegmentChurn.model_validate(v["similar"]), lang))
    return "\n".join(lines)


def _why(a: dict, lang: Language) -> str:
    reasons = [f"- **{r['title']}** — {r['explanation']}" for r in a["reasons"]]
    warnings = [f"- ⚠ {w}" for w in a["warning_signs"]]
    heading = t("present.reasons.heading", lang)
    return "\n".join(
        [a["summary"], t("format.heading", lang, heading=heading), *reasons, *warnings]
    )


def _offer(e: dict, lang: Language, playbook: Playbook) -> str:
    if not e["options"]:
        if e["risk_level"] == "low":  # no offer is meant for them: not a budget question
            return t("chat.low_risk_no_offer", lang, customer_id=e["customer_id"])
        return t("chat.no_offer", lang, customer_id=e["customer_id"])
    best, rest = e["options"][0], e["options"][1:3]
    lines = [
        t(
            "chat.best_offer",
            lang,
            customer_id=e["customer_id"],
            title=playbook.get(best["offer_id"]).title_in(lang),
        ),
        t(
            "chat.offer_figures",
            lang,
            cost=formats.currency(best["total_cost"], lang),
            before=formats.percent(e["probability"]),
            after=formats.percent(best["probability_after"]),
            value=formats.currency(best["expected_value"], lang),
        ),
    ]
    if best["expected_value"] <= 0:
        lines.append(t("chat.none_pays", lang))
    lines += [
        t(
            "chat.runner_up",
            lang,
            title=playbook.get(o["offer_id"]).title_in(lang),
            value=formats.currency(o["expected_value"], lang),
        )
        for o in rest
    ]
    lines.append(t("chat.estimates", lang))
    return "\n".join(lines)


def _message(a: dict, kind: str, lang: Language) -> str:
    c = a["communications"]
    if c is None:
        return f"{a['summary']}\n\n{t('chat.low_risk', lang)}"
    if kind == "email":
        email = Email.model_validate(c["email"])
        return f"**{email.subject}**\n\n{email.body}"
    if kind == "sms":
        sms = Sms.model_validate(c["sms"])
        return f"{sms.text}\n\n({campaign_words.sms_count(sms, lang)})"
    return "\n".join(
        campaign_words.call_script_lines(CallScript.model_validate(c["call_script"]), lang)
    )


def _what_if(r: dict, lang: Language) -> str:
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


def _compare(results: Results, lang: Language) -> str:
    predictions, segments = results["predict_churn"], results["segment_value"]
    rows = []
    for p, v in zip(predictions, segments, strict=True):
        top = next((Driver.model_validate(d) for d in p["drivers"] if d["contribution"] > 0), None)
        driver = phrases.driver_label(top, lang) if top else t("word.none", lang)
        actionable = next(
            (
                d["feature"]
                for d in p["drivers"]
                if d["contribution"] > 0 and d["feature"] in ACTIONABLE_FEATURES
            ),
            None,
        )
        rows.append(customer_row(p, v["tier"], v["monthly_charges"], driver, actionable, lang))
    return customer_table(rows, lang)


def _top(r: dict, lang: Language) -> str:
    if not r["customers"]:
        return t("chat.no_match", lang)
    rows = customer_rows(r["customers"], lang)
    total = t("chat.matching", lang, count=f"{r['matching']:,}")
    basis = r.get("value_basis")
    tiers = (
        [lifetime_words.value_basis_line(ValueBasis.model_validate(basis), lang)] if basis else []
    )
    return "\n".join([customer_table(rows, lang), "", total, *tiers])


def answer(intent: Intent, results: Results, reference: Reference) -> str:
    """The reply to one question from this turn's tool results."""
    words = {"example": reference.examples[0], "other": reference.examples[1]}
    lang = intent.language
    if intent.kind == "help":
        return reference.help(lang)
    if intent.kind == "read_only":
        return t("chat.read_only", lang) + "\n\n" + reference.help(lang)
    if intent.needs_customer and not intent.customer_ids:
        return t("chat.need_id", lang, **words)
    error = _error(results, lang)
    if error is not None:
        return error
    match intent.kind:
        case "risk":
            return _risk(_first(results, "predict_churn"), _first(results, "segment_value"), lang)
        case "why":
            return _why(_first(results, "analyze_customer"), lang)
        case "email" | "sms" | "call_script":
            return _message(_first(results, "analyze_customer"), intent.kind, lang)
        case "offer":
            return _offer(_first(results, "evaluate_offers"), lang, reference.playbook)
        case "what_if":
            return _what_if(_first(results, "what_if"), lang)
        case "compare":
            return _compare(results, lang)
        case "top":
            listed = _first(results, "list_at_risk")
            if intent.order == "urgency":
                return urgent_list(listed, lang)
            return _top(listed, lang)
        case "when":
            return when_answer(_first(results, "predict_time_to_churn"), lang)
        case "lifetime_value":
            return lifetime_answer(
                _first(results, "predict_time_to_churn"), _first(results, "segment_value"), lang
            )
        case "model":
            return model_answer(_first(results, "model_card"), lang)
        case "query":
            result = dict(_first(results, "query_customers"))
            return query_answer(result, intent.query, lang, intent.view)
    return reference.help(lang)
