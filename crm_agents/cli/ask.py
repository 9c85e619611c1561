"""`crm-agents ask`: one turn of an Ask conversation from the command line. The thread is the
app's (the same SQLite checkpointer), so a thread id continues a conversation anywhere."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from crm_agents.cli.answer_view import answer_view
from crm_agents.cli.common import (
    DataOption,
    LanguageOption,
    assemble_for,
    clear_errors,
    out,
    say,
    settings_with,
)
from graph.chat_session import ChatSession


def ask(
    question: Annotated[str, typer.Argument(help="the question, in English or Chinese")],
    thread: Annotated[
        str | None, typer.Option(help="continue this conversation (default: a new one)")
    ] = None,
    lang: LanguageOption = None,
    data: DataOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Ask about any customer or the whole base; follow-ups on the same --thread remember it."""
    with clear_errors(lang):
        if not question.strip():
            raise typer.BadParameter("ask a question, e.g. 'Who is most likely to leave?'")
        settings = settings_with(language=lang)
        assembly = assemble_for(data, settings, chat_db=settings.chat_db)
        session = ChatSession(assembly.chat, thread, settings.language)
        answer = session.ask(question, lang)
        result = answer.model_dump()
        if as_json:
            out.print_json(json.dumps(result, ensure_ascii=False))
            return
        out.print(answer_view(result["answer"], out.width, answer.language))
        if result["fallback"]:
            say(settings, "cli.ask_fallback", reason=result["fallback"])
        say(settings, "cli.ask_thread", thread=session.thread)
