"""An independent check of generated text: every figure must come from a tool result.

The allowed figures are gathered here from the service and the playbook directly, not from the
facts the nodes built, so a node that put a wrong number into its own facts would be caught.
"""

from __future__ import annotations

from agents.checks.grounding import text_fields, ungrounded_numbers
from data.schema import SIGNAL_WINDOW_DAYS
from graph.analysis import AnalysisResult
from tools.offers.playbook import load_playbook

#: The shipped playbook, read once for every check.
PLAYBOOK = load_playbook()


def _customer_facts(service, result: AnalysisResult) -> set[float]:
    fields = service.profile(result.customer_id).fields
    numbers = {float(v) for v in fields.values() if isinstance(v, int | float)}
    numbers |= {float(fields["usage_drop_rate"]) * 100}
    numbers |= {float(days) for days in SIGNAL_WINDOW_DAYS.values()}
    return numbers | {float(n) for n in range(7)}  # 0–6 add-on services


def _analysis_facts(service, result: AnalysisResult) -> set[float]:
    prediction = service.predict(result.customer_id)
    segment = service.segment(result.customer_id)
    numbers = {prediction.probability * 100, segment.clv_estimate, segment.clv_horizon_months}
    if service.survival is not None:
        when = service.time_to_churn(result.customer_id)
        numbers |= {90.0, when.churn_within_90d * 100, when.lifetime_value, when.horizon_months}
        numbers |= {float(when.median_months_left)} if when.median_months_left else set()
    plan = result.campaign
    if plan is not None:
        for option in [plan.offer, *plan.runners_up]:
            offer = PLAYBOOK.get(option.offer_id)
            numbers |= {
                option.total_cost,
                option.monthly_cost,
                option.probability_after * 100,
                abs(option.expected_value),
                *(
                    abs(v)
                    for v in (option.lifetime_value_after, option.lifetime_value_saved)
                    if v is not None
                ),
                option.price_during_offer,
                *offer.figures().values(),
            }
    return numbers | _customer_facts(service, result)


def _message_facts(service, result: AnalysisResult) -> set[float]:
    """A message to the customer may quote only the chosen offer and the customer's own bill."""
    option = result.campaign.offer
    fields = service.profile(result.customer_id).fields
    offer_terms = PLAYBOOK.get(option.offer_id).figures().values()
    return {*offer_terms, option.price_during_offer, fields["MonthlyCharges"], fields["tenure"]}


def ungrounded_texts(service, result: AnalysisResult) -> list[tuple[str, list[str]]]:
    """(text, figures not traced) for every generated text of the result that has any."""
    allowed = _analysis_facts(service, result)
    texts = [result.risk.summary, result.risk.detail, result.reasons.background]
    texts += result.reasons.warning_signs
    texts += [t for r in result.reasons.reasons for t in (r.title, r.evidence, r.explanation)]
    if result.campaign is not None:
        texts.append(result.campaign.why_it_fits)
    problems = [(t, bad) for t in texts if (bad := ungrounded_numbers(t, allowed))]
    if result.communications is not None:
        message_allowed = _message_facts(service, result)
        others = [
            o.title_in(language)
            for o in PLAYBOOK.offers
            if o.id != result.campaign.offer.offer_id
            for language in ("en", "zh-TW")
        ]
        for text in text_fields(result.communications):
            if bad := ungrounded_numbers(text, message_allowed):
                problems.append((text, bad))
            problems += [(text, [f"names {t!r}"]) for t in others if t in text]
    return problems
