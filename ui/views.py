"""What the app shows, as text: profile, badges, each agent's summary and details, the trace,
and chat messages in Gradio's format. Every figure comes from the analysis result."""

from __future__ import annotations

import json

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage

from agents.outputs import CampaignPlan, ChurnReasons, Communications, RiskAssessment
from agents.present import campaign_words, lifetime_words, phrases
from agents.trace import TraceStep
from core import formats
from core.i18n import t
from core.types import Language
from data.schema import feature_label
from graph.analysis import AnalysisResult
from tools.offers.playbook import Playbook
from tools.schemas import CustomerProfile
from ui.escape import html_text, md, md_block, no_html
from ui.theme import ACTION_COLORS, RISK_COLORS, VALUE_COLORS

_PROFILE_FIELDS = (
    "tenure",
    "Contract",
    "InternetService",
    "MonthlyCharges",
    "TotalCharges",
    "PaymentMethod",
    "PaperlessBilling",
    "TechSupport",
    "OnlineSecurity",
    "SeniorCitizen",
    "Partner",
    "Dependents",
    "recent_login_count",
    "complain_count",
    "usage_drop_rate",
)


def progress(
    nodes: tuple[str, ...],
    done: list[str],
    lang: Language,
    skipped: list[str] | None = None,
    running: str | None = None,
    customer_id: str | None = None,
    waiting: list[str] | None = None,
) -> str:
    """Each node done, skipped, running, waiting for a person (approval), or still to come."""
    marks = []
    for node in nodes:
        name = phrases.node_name(node, lang)
        if node in done:
            marks.append(f"✅ {name}")
        elif skipped and node in skipped:
            marks.append(f"⏭️ {name} ({t('ui.analyze.skipped', lang)})")
        elif waiting and node in waiting:
            marks.append(f"✋ {name} ({t('ui.analyze.waiting', lang)})")
        elif node == running:
            marks.append(f"⏳ {name}…")
        else:
            marks.append(f"▫️ {name}")
    line = " → ".join(marks)
    return f"**{md(customer_id)}**: {line}" if customer_id else line


def drafts(result: AnalysisResult, lang: Language) -> str:
    """A reminder under the progress that the messages are drafts until a person accepts them."""
    if not result.awaiting_approval:
        return ""
    return f"\n\n✉️ *{md(t('present.drafts', lang))}*"


def fallbacks(trace: list[TraceStep], lang: Language) -> str:
    """A visible note for every node whose LLM text was replaced by the offline writer."""
    notes = [
        f"- ⚠️ **{s.node}**: {md(t('present.fallback', lang, reason=s.fallback))}"
        for s in trace
        if s.fallback
    ]
    return "\n\n" + "\n".join(notes) if notes else ""


def profile_table(profile: CustomerProfile, lang: Language) -> str:
    rows = [
        (
            feature_label(field, lang),
            phrases.field_value(field, profile.fields[field], lang)
            + (t("present.simulated_mark", lang) if field in profile.simulated_signals else ""),
        )
        for field in _PROFILE_FIELDS
        if field in profile.fields
    ]
    headers = (t("ui.analyze.field", lang), t("ui.analyze.value", lang))
    table = phrases.Table(headers, tuple(rows)).markdown(cell=md)
    return f"**{md(profile.customer_id)}**\n\n{table}"


def badges(risk: RiskAssessment, lang: Language) -> str:
    def badge(text: str, colour: str) -> str:
        return (
            f'<span style="background:{colour};color:white;padding:4px 10px;'
            f'border-radius:12px;margin-right:6px;font-weight:600">{html_text(text)}</span>'
        )

    def line(elem_id: str, text: str) -> str:
        return f"<div id='{elem_id}' style='margin-top:6px'>{html_text(text)}</div>"

    lifetime = risk.lifetime
    step = risk.next_step
    action_badge = (
        badge(lifetime_words.action_word(step, lang), ACTION_COLORS[step.action]) if step else ""
    )
    headline = (
        f"<div id='next-step' style='margin-top:6px;font-weight:600'>"
        f"{html_text(lifetime_words.next_step_line(step, lang))}</div>"
        if step
        else ""
    )
    when = (
        line("when", lifetime_words.when_line(lifetime, lang))
        + line("chances", lifetime_words.chances_line(lifetime, lang))
        + line("support", lifetime_words.support_line(lifetime, lang))
        + line("two-figures", lifetime_words.two_figures_line(lang))
        + line("lifetime-value", lifetime_words.lifetime_value_line(lifetime, lang))
        if lifetime
        else ""
    )
    basis = (
        line("value-basis", lifetime_words.value_basis_line(risk.value_basis, lang))
        if risk.value_basis
        else ""
    )
    return (
        f"<div style='margin:8px 0'>"
        f"{badge(t(f'risk_level.{risk.risk_level}', lang), RISK_COLORS[risk.risk_level])}"
        f"{badge(t(f'value_tier.{risk.value_tier}', lang), VALUE_COLORS[risk.value_tier])}"
        f"{action_badge}"
        f"</div>{headline}"
        f"<div>{html_text(phrases.money_at_stake(risk, lang))}</div>"
        f"{basis}{when}"
        f"<div id='actionable' style='margin-top:6px'>"
        f"{html_text(phrases.actionable_line(risk.actionable_driver, lang))}</div>"
        + (
            f"<div id='similar' style='margin-top:6px'>"
            f"{html_text(phrases.similar_line(risk.similar, lang))}</div>"
            if risk.similar
            else ""
        )
    )


def analyst_summary(risk: RiskAssessment, lang: Language) -> str:
    return f"{t('ui.analyze.analyst', lang)}\n{md_block(risk.summary)}"


def analyst_detail(risk: RiskAssessment, lang: Language) -> str:
    model = phrases.model_name(risk.model, lang)
    source = t("present.source", lang, model=model, data=risk.data_source)
    written = phrases.written_by(risk.written_by, lang)
    return f"{md_block(risk.detail)}\n\n*{md(source)} {md(written)}*"


def reasons_summary(reasons: ChurnReasons, lang: Language) -> str:
    view = phrases.reasons_view(reasons, lang)
    titles = t("list.separator", lang).join(md(title) for title in view.titles(lang))
    return f"{t('ui.analyze.reasoning', lang)}\n{md(view.heading)}: **{titles}**"


def reasons_detail(reasons: ChurnReasons, lang: Language) -> str:
    view = phrases.reasons_view(reasons, lang)
    lines = [f"- **{md(title)}** — {md(why)}" for title, why in view.reasons]
    if view.warnings:
        lines += ["", f"**{md(view.warnings_heading)}**", *[f"- ⚠ {md(w)}" for w in view.warnings]]
    lines += ["", md_block(view.background)]
    if view.simulated_note:
        lines.append(f"\n*{md(view.simulated_note)}*")
    lines.append(f"*{md(phrases.written_by(reasons.written_by, lang))}*")
    return "\n".join(lines)


def campaign_summary(plan: CampaignPlan | None, risk_level: str, lang: Language) -> str:
    heading = t("ui.analyze.campaign", lang)
    if plan is None:
        return f"{heading}\n⏭️ **{md(campaign_words.skipped_line(risk_level, lang))}**"
    return f"{heading}\n{md(campaign_words.offer_summary(plan, lang))}"


def campaign_detail(plan: CampaignPlan | None, playbook: Playbook, lang: Language) -> str:
    if plan is None:
        return ""
    table = campaign_words.offer_table([plan.offer, *plan.runners_up], playbook, lang)
    parts = [md_block(plan.why_it_fits), "", table.markdown(cell=md)]
    ineligible = campaign_words.ineligible_lines(plan.ineligible, playbook, lang)
    if ineligible:
        heading = t("present.offer.ineligible", lang)
        parts += ["", f"**{md(heading)}**", *[f"- {md(line)}" for line in ineligible]]
    budget = t("present.offer.budget", lang, budget=formats.currency(plan.budget_cap, lang))
    written = phrases.written_by(plan.written_by, lang)
    parts += ["", f"*{md(plan.caveat)}*", f"*{md(budget)} {md(written)}*"]
    return "\n".join(parts)


def no_action(risk: RiskAssessment, lang: Language) -> str:
    """The card shown instead of empty message boxes: why there is nothing to send, and when to
    look again."""
    key = "ui.state.no_action_low" if risk.risk_level == "low" else "ui.state.no_action_offer"
    words = {"customer_id": risk.customer_id, "percent": formats.percent(risk.probability)}
    return f"{t('ui.state.no_action_title', lang)}\n{md(t(key, lang, **words))}"


def email_text(c: Communications | None, lang: Language) -> str:
    return "" if c is None else campaign_words.email_text(c.email, lang)


def sms_text(c: Communications | None) -> str:
    return "" if c is None else c.sms.text


def sms_count(c: Communications | None, lang: Language) -> str:
    if c is None:
        return md(t("present.message.no_sms", lang))
    return md(campaign_words.sms_count(c.sms, lang))


def call_script_text(c: Communications | None, lang: Language) -> str:
    return "" if c is None else campaign_words.call_script_text(c, lang)


def _short(payload: str, limit: int = 1500) -> str:
    try:
        text = json.dumps(json.loads(payload), ensure_ascii=False, indent=1)
    except json.JSONDecodeError:
        text = payload
    return text if len(text) <= limit else text[:limit] + "\n…"


def chat_messages(messages: list[AnyMessage], lang: Language) -> list[dict]:
    """LangGraph messages → Gradio messages; each tool call is a collapsible assistant message."""
    results = {m.tool_call_id: m for m in messages if isinstance(m, ToolMessage)}
    shown: list[dict] = []
    for m in messages:
        if isinstance(m, HumanMessage):
            shown.append({"role": "user", "content": md_block(m.text)})
        elif isinstance(m, AIMessage):
            for call in m.tool_calls:
                result = results.get(call["id"])
                failed = result is not None and result.status == "error"
                arguments = md(json.dumps(call["args"], ensure_ascii=False))
                body = t(
                    "format.labelled", lang, label=t("ui.ask.arguments", lang), value=arguments
                )
                if result is not None:
                    # A payload cannot close the code fence: its backticks are made harmless.
                    payload = _short(str(result.content)).replace("`", "ˋ")
                    body += f"\n\n```json\n{payload}\n```"
                title = f"🔧 {phrases.tool_name(call['name'], lang)}"
                if failed:
                    title += f" — {t('ui.ask.error', lang)}"
                shown.append(
                    {
                        "role": "assistant",
                        "content": body,
                        # pending (a spinner, open) while the tool runs, then closed
                        "metadata": {
                            "title": title,
                            "status": "pending" if result is None else "done",
                        },
                    }
                )
            if m.content:
                # Our answers are Markdown (tables, bold); any HTML in them is shown as text.
                shown.append({"role": "assistant", "content": no_html(m.text)})
                reason = m.response_metadata.get("fallback")
                if reason:
                    shown.append(
                        {
                            "role": "assistant",
                            "content": md(t("ui.ask.offline", lang, reason=reason)),
                            "metadata": {"title": t("ui.ask.llm_not_used", lang), "status": "done"},
                        }
                    )
    return shown
