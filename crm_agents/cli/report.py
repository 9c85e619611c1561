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
from core.languages import spec
from core.types import Language
from crm_agents.cli.flow import Flow
from graph.analysis import AnalysisResult
from tools.offers.playbook import Playbook


def esc(value: object) -> str:
    return escape(str(value))


def para(text: str | Text, lang: Language, style: str = "") -> Flow:
    """A paragraph that wraps the way its language is written (Chinese between characters)."""
    return Flow(text, style=style, cjk=spec(lang).script == "han")


def _table(view: phrases.Table, lang: Language) -> Table:
    table = Table(show_header=True, box=None, pad_edge=False)
    for header in view.headers:
        table.add_column(para(header, lang))
    for row in view.rows:
        table.add_row(*(para(cell, lang) for cell in row))
    return table


def _risk_panel(result: AnalysisResult) -> Panel:
    r, lang = result.risk, result.language
    drivers = phrases.driver_table(r.top_drivers + r.protective_drivers, lang)
    lifetime = (
        [
            para(lifetime_words.when_line(r.lifetime, lang), lang, "bold"),
            para(lifetime_words.chances_line(r.lifetime, lang), lang),
            para(lifetime_words.support_line(r.lifetime, lang), lang),
            para(lifetime_words.two_figures_line(lang), lang, "dim"),
            para(lifetime_words.lifetime_value_line(r.lifetime, lang), lang),
        ]
        if r.lifetime
        else []
    )
    basis = (
        [para(lifetime_words.value_basis_line(r.value_basis, lang), lang)] if r.value_basis else []
    )
    return Panel(
        Group(
            para(phrases.risk_headline(r, lang), lang, "bold"),
            *(
                [para(lifetime_words.next_step_line(r.next_step, lang), lang, "bold red")]
                if r.next_step
                else []
            ),
            *basis,
            *lifetime,
            para(r.summary, lang),
            para(r.detail, lang),
            _table(drivers, lang),
        ),
        title=esc(t("report.analyst", lang, customer_id=result.customer_id)),
    )


def _reasons_panel(result: AnalysisResult) -> Panel:
    lang = result.language
    view = phrases.reasons_view(result.reasons, lang)
    parts = [
        para(Text.assemble("• ", (title, "bold"), f" — {why}"), lang) for title, why in view.reasons
    ]
    parts += [para(f"⚠ {w}", lang) for w in view.warnings]
    parts.append(para(view.background, lang, "dim"))
    if view.simulated_note:
        parts.append(para(view.simulated_note, lang, "dim"))
    return Panel(Group(*parts), title=esc(t("report.reasoning", lang)))


def _campaign_panel(result: AnalysisResult, playbook: Playbook) -> Panel:
    plan, lang = result.campaign, result.language
    assert plan is not None
    options = campaign_words.offer_table([plan.offer, *plan.runners_up], playbook, lang)
    return Panel(
        Group(
            para(campaign_words.offer_summary(plan, lang), lang, "bold"),
            para(plan.why_it_fits, lang),
            _table(options, lang),
            para(plan.caveat, lang, "dim"),
        ),
        title=esc(t("report.campaign", lang)),
    )


def _communications_panel(result: AnalysisResult) -> Panel:
    c, lang = result.communications, result.language
    assert c is not None
    sms = t("report.sms", lang, length=c.sms.length, limit=c.sms.limit)
    lines = [
        para(t("report.email", lang, subject=c.email.subject), lang, "bold"),
        para(c.email.body, lang),
        Text(""),
        para(Text.assemble((sms, "bold"), " ", c.sms.text), lang),
        Text(""),
        para(t("report.script", lang), lang, "bold"),
        *[para(line, lang) for line in campaign_words.call_script_lines(c.call_script, lang)],
    ]
    if result.awaiting_approval:  # nothing is sent without a person's accept
        lines += [Text(""), para(t("report.drafts", lang), lang, "italic")]
    return Panel(Group(*lines), title=esc(t("report.communication", lang)))


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
