"""Ask tab: a chat about any customer or the whole base, one stored thread per browser."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import gradio as gr
from langchain_core.messages import HumanMessage

from core.i18n import t
from core.types import Language
from graph.chat_session import AnswerTokens, ChatSession, ToolsDone, ToolsStarted, past_threads
from ui import views
from ui.backend import Backend
from ui.escape import no_html
from ui.labels import Words
from ui.manager import Manager

#: Thread ids are made here (uuid4 hex); anything else from the browser starts a new thread.
_THREAD_ID = re.compile(r"[0-9a-f]{32}")
#: How many of this browser's conversations the picker lists, latest first.
NAME = "ask"
PAST_THREADS = 20
_CURRENT, _KNOWN = "crm-agents-chat-thread", "crm-agents-chat-threads"
# The browser keeps its current thread id and the ids of its threads in localStorage: read
# before the load handler runs, written whenever the thread changes. Only this browser's
# threads are ever listed; the server lists nothing it was not given.
_READ_THREADS = (
    f"() => [localStorage.getItem('{_CURRENT}'), localStorage.getItem('{_KNOWN}') || '[]']"
)
_KEEP_THREAD = f"""(thread) => {{
  if (!thread) return [localStorage.getItem('{_KNOWN}') || '[]'];
  localStorage.setItem('{_CURRENT}', thread);
  let known = [];
  try {{ known = JSON.parse(localStorage.getItem('{_KNOWN}') || '[]'); }} catch (e) {{}}
  known = [thread, ...known.filter((id) => id !== thread)].slice(0, {PAST_THREADS});
  localStorage.setItem('{_KNOWN}', JSON.stringify(known));
  return [JSON.stringify(known)];
}}"""


def build(manager: Manager) -> None:
    make = manager.labels.make
    with make(gr.Tab, label=Words("ui.ask.tab")):
        thread = gr.Textbox(visible=False)
        known = gr.Textbox(visible=False)
        past = make(
            gr.Dropdown,
            choices=[],
            value=None,
            label=Words("ui.ask.past"),
            interactive=True,
            elem_id="past",
        )
        # The conversation takes the page's height, less the header, tabs and question box.
        chatbot = make(
            gr.Chatbot,
            label=Words("ui.ask.chat"),
            height="calc(100vh - 320px)",
            min_height=360,
            elem_id="chatbot",
        )
        with gr.Row():
            question = make(
                gr.Textbox,
                # No ID before login: the hint names one of the data in use once the session
                # starts (`session_start`), and again on each language switch (`wire`).
                placeholder=t("ui.ask.placeholder_plain", manager.labels.language),
                label=Words("ui.ask.question"),
                show_label=False,
                scale=4,
                elem_id="question",
            )
            ask_button = make(gr.Button, value=Words("ui.ask.ask"), variant="primary", scale=0)
            new_button = make(gr.Button, value=Words("ui.ask.new"), scale=0)
    manager.add_elems(
        NAME,
        {
            "thread": thread,
            "known": known,
            "past": past,
            "chatbot": chatbot,
            "question": question,
            "ask_button": ask_button,
            "new_button": new_button,
        },
    )


def wire(manager: Manager, demo: gr.Blocks) -> None:
    backend, language = manager.backend, manager.language
    tab = SimpleNamespace(**manager.elems_of(NAME))

    def history(thread_id: str, lang: Language) -> list[dict]:
        return views.chat_messages(ChatSession(backend.chat, thread_id).messages(), lang)

    def ask(message: str, thread_id: str, lang: Language):
        """Answer one chat question in the given conversation thread, shown as it happens: the
        question at once, each tool call when it is made, an LLM's answer token by token."""
        session = ChatSession(backend.chat, thread_id or None, lang)
        if not message.strip():
            yield history(session.thread, lang), "", session.thread
            return
        thread = [*session.messages(), HumanMessage(message)]
        yield views.chat_messages(thread, lang), "", session.thread
        for event in session.stream(message, lang):
            if isinstance(event, ToolsStarted):
                thread.append(event.message)
            elif isinstance(event, ToolsDone):
                thread.extend(event.messages)
            elif isinstance(event, AnswerTokens):
                streamed = {"role": "assistant", "content": no_html(event.shown)}
                yield [*views.chat_messages(thread, lang), streamed], gr.skip(), gr.skip()
                continue
            else:  # the checked answer, with the thread as stored
                yield views.chat_messages(event.messages, lang), "", session.thread
                return
            yield views.chat_messages(thread, lang), gr.skip(), gr.skip()

    def load_thread(thread_id: str | None, known: str | None = None):
        """The stored conversation of the browser's thread (a new thread when it has none)."""
        if not _THREAD_ID.fullmatch(thread_id or ""):
            thread_id = uuid.uuid4().hex
        return thread_id, history(thread_id, backend.settings.language)

    def listed_threads(known: str | None) -> gr.Dropdown:
        """This browser's earlier conversations, each named by its first question."""
        try:
            ids = [i for i in json.loads(known or "[]") if _THREAD_ID.fullmatch(str(i))]
        except (json.JSONDecodeError, TypeError):
            ids = []
        choices = [
            (past.title, past.thread) for past in past_threads(backend.chat, ids[:PAST_THREADS])
        ]
        return gr.Dropdown(choices=choices, value=None)

    def open_thread(thread_id: str | None):
        """A conversation picked from the list."""
        if not _THREAD_ID.fullmatch(thread_id or ""):
            return gr.skip(), gr.skip()
        return thread_id, history(thread_id, backend.settings.language)

    def new_thread():
        return uuid.uuid4().hex, []

    asked = dict(
        fn=ask,
        inputs=[tab.question, tab.thread, language],
        outputs=[tab.chatbot, tab.question, tab.thread],
    )
    listed = dict(fn=listed_threads, inputs=tab.known, outputs=tab.past, api_name=False)
    tab.ask_button.click(**asked, api_name="ask").then(**listed)
    tab.question.submit(**asked, api_name=False).then(**listed)
    threads = [tab.thread, tab.chatbot]
    tab.new_button.click(new_thread, None, threads, api_name=False)
    tab.past.select(open_thread, tab.past, threads, api_name=False)
    demo.load(
        load_thread, [tab.thread, tab.known], threads, api_name="load_thread", js=_READ_THREADS
    )
    tab.thread.change(None, tab.thread, tab.known, js=_KEEP_THREAD, api_name=False)
    tab.known.change(**listed)
    # The conversation stays as it was asked; its tool steps and notes take the new language.
    language.change(history, [tab.thread, language], tab.chatbot, api_name=False)
    language.change(_hint(backend), language, tab.question, api_name=False)


#: What `session_start` fills, loaded per session (after login).
SESSION_PANELS = ("question",)


def _hint(backend: Backend) -> Callable[[Language], Any]:
    def hint(lang: Language) -> Any:
        """The question box's hint in `lang`, with an ID of the data in use."""
        example = backend.service.example_id()
        return gr.Textbox(placeholder=t("ui.ask.placeholder", lang, example=example))

    return hint


def session_start(backend: Backend, lang: Language) -> dict[str, Any]:
    """The question box's hint with an ID of the data in use (loaded per session)."""
    return {"question": _hint(backend)(lang)}
