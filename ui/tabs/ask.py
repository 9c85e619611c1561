"""Ask tab: a chat about any customer or the whole base, one stored thread per browser."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import gradio as gr
from langchain_core.messages import HumanMessage

from core.i18n import t
from core.types import Language
from data.schema import CUSTOMER_ID_EXAMPLE
from ui import views
from ui.backend import Backend

#: Thread ids are made here (uuid4 hex); anything else from the browser starts a new thread.
_THREAD_ID = re.compile(r"[0-9a-f]{32}")
_STORAGE_KEY = "crm-agents-chat-thread"
_READ_THREAD = f"() => [localStorage.getItem('{_STORAGE_KEY}')]"
_KEEP_THREAD = f"(thread) => {{ if (thread) localStorage.setItem('{_STORAGE_KEY}', thread); }}"


@dataclass(frozen=True)
class AskTab:
    thread: gr.Textbox
    chatbot: gr.Chatbot
    question: gr.Textbox
    ask_button: gr.Button
    new_button: gr.Button


def build(lang: Language) -> AskTab:
    with gr.Tab(t("ui.ask.tab", lang)):
        thread = gr.Textbox(visible=False)
        chatbot = gr.Chatbot(label=t("ui.ask.chat", lang), height=480, elem_id="chatbot")
        with gr.Row():
            question = gr.Textbox(
                placeholder=t("ui.ask.placeholder", lang, example=CUSTOMER_ID_EXAMPLE),
                show_label=False,
                scale=4,
                elem_id="question",
            )
            ask_button = gr.Button(t("ui.ask.ask", lang), variant="primary", scale=0)
            new_button = gr.Button(t("ui.ask.new", lang), scale=0)
    return AskTab(thread, chatbot, question, ask_button, new_button)


def wire(tab: AskTab, backend: Backend, language: gr.Radio, demo: gr.Blocks) -> None:
    def history(thread_id: str, lang: Language) -> list[dict]:
        state = backend.chat.get_state({"configurable": {"thread_id": thread_id}})
        return views.chat_messages(state.values.get("messages", []), lang)

    def ask(message: str, thread_id: str, lang: str):
        """Answer one chat question in the given conversation thread."""
        thread_id = thread_id or uuid.uuid4().hex
        if message.strip():
            backend.chat.invoke(
                {"messages": [HumanMessage(message)], "language": lang, "fallback": None},
                {"configurable": {"thread_id": thread_id}},
            )
        return history(thread_id, lang), "", thread_id

    def load_thread(thread_id: str | None):
        """The stored conversation of the browser's thread (a new thread when it has none)."""
        if not _THREAD_ID.fullmatch(thread_id or ""):
            thread_id = uuid.uuid4().hex
        return thread_id, history(thread_id, backend.settings.language)

    def new_thread():
        return uuid.uuid4().hex, []

    asked = dict(
        fn=ask,
        inputs=[tab.question, tab.thread, language],
        outputs=[tab.chatbot, tab.question, tab.thread],
    )
    tab.ask_button.click(**asked, api_name="ask")
    tab.question.submit(**asked, api_name=False)
    threads = [tab.thread, tab.chatbot]
    tab.new_button.click(new_thread, None, threads, api_name=False)
    # The browser keeps its thread id in localStorage, read before the load handler runs and
    # written whenever the thread changes, so a reload (or a restart) reopens the conversation.
    demo.load(load_thread, tab.thread, threads, api_name="load_thread", js=_READ_THREAD)
    tab.thread.change(None, tab.thread, None, js=_KEEP_THREAD, api_name=False)


def example_placeholder(backend: Backend) -> gr.Textbox:
    """The question box's hint with an ID of the data in use (loaded per session)."""
    example = backend.service.example_id()
    return gr.Textbox(
        placeholder=t("ui.ask.placeholder", backend.settings.language, example=example)
    )
