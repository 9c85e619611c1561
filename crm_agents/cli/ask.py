"""`crm-agents ask`: one turn of an Ask conversation from the command line. The thread is the
app's (the same SQLite checkpointer), so a thread id continues a conversation anywhere."""

from __future__ import annotations

import json
import uuid
from typing import Annotated

import typer
from langchain_core.messages import AIMessage, HumanMessage
from rich.markdown import Markdown

from agents.chat.assistant import this_turn
from core.types import Language
from crm_agents.cli.common import DataOption, assemble_for, clear_errors, out, say, settings_with


def ask(
    question: Annotated[str, typer.Argument(help="the question, in English or Chinese")],
    thread: Annotated[
        str | None, typer.Option(help="continue this conversation (default: a new one)")
    ] = None,
    lang: Annotated[Language | None, typer.Option("--lang", help="en or zh-TW")] = None,
    data: DataOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Ask about any customer or the whole base; follow-ups on the same --thread remember it."""
    with clear_errors():
        if not question.strip():
            raise typer.BadParameter("ask a question, e.g. 'Who is most likely to leave?'")
        settings = settings_with(language=lang)
        assembly = assemble_for(data, settings, chat_db=settings.chat_db)
        thread_id = thread or uuid.uuid4().hex
        turn_input: dict = {"messages": [HumanMessage(question)], "fallback": None}
        if lang is not None:
            turn_input["language"] = lang
        state = assembly.chat.invoke(turn_input, {"configurable": {"thread_id": thread_id}})
        _, turn = this_turn(state["messages"])
        reply = turn[-1]
        meta = reply.response_metadata
        result = {
            "answer": reply.text if isinstance(reply.content, list) else str(reply.content),
            "tool_calls": [
                {"name": call["name"], "args": call["args"]}
                for m in turn
                if isinstance(m, AIMessage)
                for call in m.tool_calls
            ],
            "thread": thread_id,
            "language": meta.get("language") or settings.language,
            "backend": meta.get("backend") or meta.get("model_name") or "LLM",
            "fallback": meta.get("fallback"),
        }
        if as_json:
            out.print_json(json.dumps(result, ensure_ascii=False))
            return
        out.print(Markdown(result["answer"]))
        if result["fallback"]:
            say(settings, "cli.ask_fallback", reason=result["fallback"])
        say(settings, "cli.ask_thread", thread=thread_id)
