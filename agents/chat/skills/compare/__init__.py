"""Compare two customers: probability, level, value and top drivers, one row each."""

from __future__ import annotations

from agents.chat.answers.common import Reference, Results
from agents.chat.answers.tables import customer_row, customer_table
from agents.chat.intent import Intent
from agents.chat.skills.skill import Calls, Skill
from agents.present import phrases
from core.i18n import t
from data.schema import ACTIONABLE_FEATURES
from tools.schemas import Driver


def calls(intent: Intent) -> Calls:
    ids = intent.customer_ids[:2]
    return [("predict_churn", {"customer_id": c}) for c in ids] + [
        ("segment_value", {"customer_id": c}) for c in ids
    ]


def answer(intent: Intent, results: Results, _reference: Reference) -> str:
    lang = intent.language
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


SKILL = Skill(("compare",), calls, answer)
