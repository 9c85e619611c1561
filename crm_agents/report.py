"""The analysis as a readable terminal report (rich). Text from the data or an LLM is printed
as text: `[` in it never becomes rich markup."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from data.schema import FEATURE_LABELS
from graph.analysis import AnalysisResult
from tools.playbook import Playbook


def esc(value: object) -> str:
    return escape(str(value))


def _risk_panel(result: AnalysisResult) -> Panel:
    r = result.risk
    table = Table(show_header=True, box=None, pad_edge=False)
    for column in ("driver", "customer's value", "log-odds", "effect"):
        table.add_column(column)
    for d in r.top_drivers + r.protective_drivers:
        mark = " (simulated)" if d.simulated else ""
        effect = "raises risk" if d.contribution > 0 else "lowers risk"
        table.add_row(
            FEATURE_LABELS[d.feature], f"{esc(d.value)}{mark}", f"{d.contribution:+.3f}", effect
        )
    head = (
        f"[bold]{r.probability:.1%}[/bold] churn probability · {r.risk_level} risk · "
        f"{r.value_tier} value · {r.value_at_risk:,.2f} at stake over {r.clv_horizon_months} months"
    )
    return Panel(
        Group(head, Text(r.summary), Text(r.detail), table),
        title=f"Analyst · {esc(result.customer_id)}",
    )


def _reasons_panel(result: AnalysisResult) -> Panel:
    parts = [
        f"• [bold]{esc(x.title)}[/bold] — {esc(x.explanation)}" for x in result.reasons.reasons
    ]
    parts += [f"⚠ {esc(w)}" for w in result.reasons.warning_signs]
    parts.append(f"[dim]{esc(result.reasons.background)}[/dim]")
    return Panel("\n".join(parts), title="Reasoning")


def _campaign_panel(result: AnalysisResult, playbook: Playbook) -> Panel:
    plan = result.campaign
    assert plan is not None
    table = Table(box=None)
    for column in ("offer", "cost", "p after", "expected value"):
        table.add_column(column)
    for o in [plan.offer, *plan.runners_up]:
        table.add_row(
            Text(playbook.get(o.offer_id).title_in(result.language)),
            f"{o.total_cost:,.2f}",
            f"{o.probability_after:.1%}",
            f"{o.expected_value:,.2f}",
        )
    verdict = "worth its cost" if plan.worth_its_cost else "does NOT pay for itself"
    return Panel(
        Group(
            f"[bold]{esc(plan.offer_title)}[/bold] ({verdict})",
            Text(plan.why_it_fits),
            table,
            f"[dim]{esc(plan.caveat)}[/dim]",
        ),
        title="Campaign",
    )


def _communications_panel(result: AnalysisResult) -> Panel:
    c = result.communications
    assert c is not None
    script = c.call_script
    lines = [
        f"[bold]Email — {esc(c.email.subject)}[/bold]",
        esc(c.email.body),
        "",
        f"[bold]SMS ({c.sms.length}/{c.sms.limit})[/bold] {esc(c.sms.text)}",
        "",
        "[bold]Call script[/bold]",
        f"1. {esc(script.greeting)}",
        f"2. {esc(script.reason_for_call)}",
        f"3. {esc(script.offer)}",
        *[f"   – “{esc(o.objection)}” → {esc(o.answer)}" for o in script.objections],
        f"4. {esc(script.close)}",
    ]
    return Panel("\n".join(lines), title="Communication")


def print_report(result: AnalysisResult, console: Console, playbook: Playbook) -> None:
    console.print(_risk_panel(result))
    console.print(_reasons_panel(result))
    if result.campaign is not None:
        console.print(_campaign_panel(result, playbook))
    if result.communications is not None:
        console.print(_communications_panel(result))
    if result.skipped:
        note = next(s.note for s in result.trace if s.status == "skipped")
        console.print(f"[yellow]Skipped {', '.join(result.skipped)}: {esc(note)}[/yellow]")
    fallbacks = [f"{s.node}: {esc(s.fallback)}" for s in result.trace if s.fallback]
    console.print(f"[dim]Texts written by {esc(result.backend)}.[/dim]")
    for line in fallbacks:
        console.print(f"[yellow]Fallback to the offline writer — {line}[/yellow]")
