"""The analysis as a readable terminal report (rich). Text from the data or an LLM is printed
as text: `[` in it never becomes rich markup."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from agents.present import campaign_words, lifetime_words, phrases
from core.i18n import t
from graph.analysis import AnalysisResult
from tools.offers.playbook import Playbook


def esc(value: object) -> str:
    return escape(str(value))


def _table(view: phrases.Table) -> Table:
    table = Table(show_header=True, box=None, pad_edge=False)
    for header in view.headers:
        table.add_column(esc(header))
    for row in view.rows:
        table.add_row(*(Text(cell) for cell in row))
    return table


def _risk_panel(result: AnalysisResult) -> Panel:
    r, lang = result.risk, result.language
    drivers = phrases.driver_table(r.top_drivers + r.protective_drivers, lang)
    lifetime = (
        [
            Text(lifetime_words.when_line(r.lifetime, lang), style="bold"),
            Text(lifetime_words.chances_line(r.lifetime, lang)),
            Text(lifetime_words.support_line(r.lifetime, lang)),
            Text(lifetime_words.two_figures_line(lang), style="dim"),
            Text(lifetime_words.lifetime_value_line(r.lifetime, lang)),
        ]
        if r.lifetime
        else []
    )
    basis = [Text(lifetime_words.value_basis_line(r.value_basis, lang))] if r.value_basis else []
    return Panel(
        Group(
            Text(phrases.risk_headline(r, lang), style="bold"),
            *(
                [Text(lifetime_words.next_step_line(r.next_step, lang), style="bold red")]
                if r.next_step
                else []
            ),
            *basis,
            *lifetime,
            Text(r.summary),
            Text(r.detail),
            _table(drivers),
        ),
        title=esc(t("report.analyst", lang, customer_id=result.customer_id)),
    )


def _reasons_panel(result: AnalysisResult) -> Panel:
    view = phrases.reasons_view(result.reasons, result.language)
    parts = [f"• [bold]{esc(title)}[/bold] — {esc(why)}" for title, why in view.reasons]
    parts += [f"⚠ {esc(w)}" for w in view.warnings]
    parts.append(f"[dim]{esc(view.background)}[/dim]")
    if view.simulated_note:
        parts.append(f"[dim]{esc(view.simulated_note)}[/dim]")
    return Panel("\n".join(parts), title=esc(t("report.reasoning", result.language)))


def _campaign_panel(result: AnalysisResult, playbook: Playbook) -> Panel:
    plan, lang = result.campaign, result.language
    assert plan is not None
    options = campaign_words.offer_table([plan.offer, *plan.runners_up], playbook, lang)
    return Panel(
        Group(
            Text(campaign_words.offer_summary(plan, lang), style="bold"),
            Text(plan.why_it_fits),
            _table(options),
            Text(plan.caveat, style="dim"),
        ),
        title=esc(t("report.campaign", lang)),
    )


def _communications_panel(result: AnalysisResult) -> Panel:
    c, lang = result.communications, result.language
    assert c is not None
    lines = [
        f"[bold]{esc(t('report.email', lang, subject=c.email.subject))}[/bold]",
        esc(c.email.body),
        "",
        f"[bold]{esc(t('report.sms', lang, length=c.sms.length, limit=c.sms.limit))}[/bold] "
        f"{esc(c.sms.text)}",
        "",
        f"[bold]{esc(t('report.script', lang))}[/bold]",
        *[esc(line) for line in campaign_words.call_script_lines(c.call_script, lang)],
    ]
    return Panel("\n".join(lines), title=esc(t("report.communication", lang)))


def print_report(result: AnalysisResult, console: Console, playbook: Playbook) -> None:
    lang = result.language
    console.print(_risk_panel(result))
    console.print(_reasons_panel(result))
    if result.campaign is not None:
        console.print(_campaign_panel(result, playbook))
    if result.communications is not None:
        console.print(_communications_panel(result))
    if result.skipped:
        reason = campaign_words.skipped_reason(result.risk.risk_level, lang)
        nodes = t("list.separator", lang).join(phrases.node_name(n, lang) for n in result.skipped)
        line = t("report.skipped", lang, nodes=nodes, reason=reason)
        console.print(f"[yellow]{esc(line)}[/yellow]")
    texts_by = t("present.texts_by", lang, writer=phrases.writer_name(result.backend, lang))
    console.print(f"[dim]{esc(texts_by)}[/dim]")
    for s in result.trace:
        if s.fallback:
            line = t(
                "report.fallback", lang, node=phrases.node_name(s.node, lang), reason=s.fallback
            )
            console.print(f"[yellow]{esc(line)}[/yellow]")
