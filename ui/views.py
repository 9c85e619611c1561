"""What the app shows, as text: profile, badges, each agent's summary and details, the trace,
and chat messages in Gradio's format. Every figure comes from the analysis result."""

from __future__ import annotations

import json

import pandas as pd
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage

from agents.outputs import CampaignPlan, ChurnReasons, Communications, RiskAssessment
from agents.trace import TraceStep
from core.types import Language
from data.schema import FEATURE_LABELS
from tools.playbook import Playbook
from tools.schemas import CustomerProfile
from ui.escape import html_text, md, md_block, no_html


def _text(message: AnyMessage) -> str:
    return message.text if isinstance(message.content, list) else str(message.content)


_COLORS = {"high": "#d64545", "medium": "#f0a202", "mid": "#3b6ea8", "low": "#3c9d5d"}
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
    skipped: list[str] | None = None,
    running: str | None = None,
    customer_id: str | None = None,
) -> str:
    marks = []
    for node in nodes:
        if node in done:
            marks.append(f"✅ {node}")
        elif skipped and node in skipped:
            marks.append(f"⏭️ {node} (skipped)")
        elif node == running:
            marks.append(f"⏳ {node}…")
        else:
            marks.append(f"▫️ {node}")
    line = " → ".join(marks)
    return f"**{md(customer_id)}**: {line}" if customer_id else line


def fallbacks(trace: list[TraceStep]) -> str:
    """A visible note for every node whose LLM text was replaced by the offline writer."""
    notes = [
        f"- ⚠️ **{s.node}**: offline writer used — {md(s.fallback)}" for s in trace if s.fallback
    ]
    return "\n\n" + "\n".join(notes) if notes else ""


def profile_table(profile: CustomerProfile) -> str:
    rows = ["| field | value |", "|---|---|"]
    for field in _PROFILE_FIELDS:
        if field in profile.fields:
            mark = " *(simulated)*" if field in profile.simulated_signals else ""
            rows.append(f"| {FEATURE_LABELS[field]} | {md(profile.fields[field])}{mark} |")
    return f"**{md(profile.customer_id)}**\n\n" + "\n".join(rows)


def badges(risk: RiskAssessment) -> str:
    def badge(text: str, key: str) -> str:
        return (
            f'<span style="background:{_COLORS[key]};color:white;padding:4px 10px;'
            f'border-radius:12px;margin-right:6px;font-weight:600">{html_text(text)}</span>'
        )

    return (
        f"<div style='margin:8px 0'>{badge(f'{risk.risk_level} risk', risk.risk_level)}"
        f"{badge(f'{risk.value_tier} value', risk.value_tier)}</div>"
        f"<div>{risk.monthly_charges:,.2f} a month · {risk.value_at_risk:,.2f} at stake over "
        f"{risk.clv_horizon_months} months</div>"
    )


def analyst_summary(risk: RiskAssessment) -> str:
    return f"### 1 · Analyst\n{md_block(risk.summary)}"


def analyst_detail(risk: RiskAssessment) -> str:
    source = md(f"Model: {risk.model}. Data: {risk.data_source}. Written by {risk.written_by}.")
    return f"{md_block(risk.detail)}\n\n*{source}*"


def reasons_summary(reasons: ChurnReasons) -> str:
    titles = ", ".join(md(r.title) for r in reasons.reasons) or "no strong push towards churn"
    return f"### 2 · Reasoning\nMain reasons: **{titles}**"


def reasons_detail(reasons: ChurnReasons) -> str:
    lines = [f"- **{md(r.title)}** — {md(r.explanation)}" for r in reasons.reasons]
    if reasons.warning_signs:
        lines += ["", "**Warning signs**", *[f"- ⚠ {md(w)}" for w in reasons.warning_signs]]
    lines += ["", md_block(reasons.background)]
    if reasons.simulated_signals:
        lines.append(f"\n*Simulated behaviour signals: {', '.join(reasons.simulated_signals)}.*")
    lines.append(f"*Written by {md(reasons.written_by)}.*")
    return "\n".join(lines)


def campaign_summary(plan: CampaignPlan | None, skipped: list[str], note: str | None) -> str:
    if plan is None:
        return (
            f"### 3 · Campaign\n⏭️ **Campaign skipped: {md(note or 'low risk')}.** "
            "No offer, no message."
        )
    verdict = "worth its cost" if plan.worth_its_cost else "does **not** pay for itself"
    o = plan.offer
    return (
        f"### 3 · Campaign\n**{md(plan.offer_title)}** — {verdict}: costs {o.total_cost:,.2f}, "
        f"churn probability {o.probability_after:.1%} after the offer, "
        f"expected value {o.expected_value:,.2f}."
    )


def campaign_detail(plan: CampaignPlan | None, playbook: Playbook, language: Language) -> str:
    if plan is None:
        return ""
    rows = [
        "| offer | cost | churn after | expected value |",
        "|---|---|---|---|",
        *[
            f"| {md(playbook.get(o.offer_id).title_in(language))} | {o.total_cost:,.2f} "
            f"| {o.probability_after:.1%} "
            f"| {o.expected_value:,.2f} |"
            for o in [plan.offer, *plan.runners_up]
        ],
    ]
    ineligible = [f"- {md(k)}: {md(v)}" for k, v in plan.ineligible.items()]
    parts = [md_block(plan.why_it_fits), "", *rows]
    if ineligible:
        parts += ["", "**Not eligible**", *ineligible]
    parts += [
        "",
        f"*{md(plan.caveat)}*",
        f"*Budget cap {plan.budget_cap:,.2f}. Written by {md(plan.written_by)}.*",
    ]
    return "\n".join(parts)


def email_text(c: Communications | None) -> str:
    return "" if c is None else f"Subject: {c.email.subject}\n\n{c.email.body}"


def sms_text(c: Communications | None) -> str:
    return "" if c is None else c.sms.text


def sms_count(c: Communications | None) -> str:
    if c is None:
        return "No SMS: campaign skipped."
    return f"SMS: **{c.sms.length} / {c.sms.limit}** characters ({c.sms.language}, one segment)"


def call_script_text(c: Communications | None) -> str:
    if c is None:
        return ""
    s = c.call_script
    objections = "\n".join(f"   • “{o.objection}”\n     → {o.answer}" for o in s.objections)
    return (
        f"1. Greeting: {s.greeting}\n2. Reason for the call: {s.reason_for_call}\n"
        f"3. Offer: {s.offer}\n   Likely objections:\n{objections}\n4. Close: {s.close}"
    )


def trace_table(trace: list[TraceStep]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "node": s.node,
                "status": s.status,
                "started": s.started_at or "",
                "duration ms": round(s.duration_ms, 2),
                "tool calls": "; ".join(
                    f"{c.tool}({', '.join(f'{k}={v}' for k, v in c.args.items())})"
                    for c in s.tool_calls
                ),
                "LLM calls": len(s.llm_calls),
                "tokens": sum(c.total_tokens for c in s.llm_calls),
                "written by": s.written_by or "",
                "fallback / note": s.fallback or s.note or "",
            }
            for s in trace
        ],
        columns=[
            "node",
            "status",
            "started",
            "duration ms",
            "tool calls",
            "LLM calls",
            "tokens",
            "written by",
            "fallback / note",
        ],
    )


def _short(payload: str, limit: int = 1500) -> str:
    try:
        text = json.dumps(json.loads(payload), ensure_ascii=False, indent=1)
    except json.JSONDecodeError:
        text = payload
    return text if len(text) <= limit else text[:limit] + "\n…"


def chat_messages(messages: list[AnyMessage]) -> list[dict]:
    """LangGraph messages → Gradio messages; each tool call is a collapsible assistant message."""
    results = {m.tool_call_id: m for m in messages if isinstance(m, ToolMessage)}
    shown: list[dict] = []
    for m in messages:
        if isinstance(m, HumanMessage):
            shown.append({"role": "user", "content": md_block(_text(m))})
        elif isinstance(m, AIMessage):
            for call in m.tool_calls:
                result = results.get(call["id"])
                status = "error" if result is not None and result.status == "error" else "done"
                body = f"arguments: {md(json.dumps(call['args'], ensure_ascii=False))}"
                if result is not None:
                    # A payload cannot close the code fence: its backticks are made harmless.
                    payload = _short(str(result.content)).replace("`", "ˋ")
                    body += f"\n\n```json\n{payload}\n```"
                title = f"🔧 {call['name']}" + (" — error" if status == "error" else "")
                shown.append(
                    {
                        "role": "assistant",
                        "content": body,
                        "metadata": {"title": title, "status": "done"},
                    }
                )
            if m.content:
                # Our answers are Markdown (tables, bold); any HTML in them is shown as text.
                shown.append({"role": "assistant", "content": no_html(_text(m))})
                reason = m.response_metadata.get("fallback")
                if reason:
                    shown.append(
                        {
                            "role": "assistant",
                            "content": f"Answered by the offline router: {md(reason)}",
                            "metadata": {"title": "⚠️ LLM not used", "status": "done"},
                        }
                    )
    return shown
