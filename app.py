"""The CRM Retention Agents app (Gradio): Analyze · Ask · Portfolio · Campaigns · Trace.

    python app.py [--data PATH] [--host 127.0.0.1] [--port 7860] [--lang CODE]

Binds 127.0.0.1 unless told otherwise, never opens a public share link unless asked, and asks
for a login when `CRM_APP_AUTH=user:password` is set. Each tab is a module of `ui/tabs/`.
"""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr

from core.i18n import t
from core.settings import Settings
from ui import shell, theme
from ui.backend import Backend
from ui.labels import Labels
from ui.login_guard import LoginGuard
from ui.manager import Manager
from ui.tabs import analyze, ask, campaigns, portfolio, trace

#: The tabs, in the order they appear; each registers its components by name.
TABS = (analyze, ask, portfolio, campaigns, trace)


def build_app(backend: Backend) -> gr.Blocks:
    lang = backend.settings.language
    manager = Manager(backend, Labels(lang))
    with gr.Blocks(title=t("ui.title", lang)) as demo:
        shell.header(manager)
        for tab in TABS:
            tab.build(manager)
        for tab in TABS:
            tab.wire(manager, demo)
        shell.wire_session_start(demo, manager, TABS)
        shell.wire_language(demo, manager)
    return demo


def launch(settings: Settings, *, block: bool = True) -> gr.Blocks:
    shell.check_port_free(settings.host, settings.port)
    backend = Backend.start(settings)
    demo = build_app(backend)
    demo.queue(default_concurrency_limit=4)
    demo.launch(
        server_name=settings.host,
        server_port=settings.port,
        auth=LoginGuard(*settings.auth_pair) if settings.auth_pair else None,
        share=settings.share,
        prevent_thread_lock=not block,
        allowed_paths=[str(backend.files)],
        footer_links=["api"],
        i18n=shell.gradio_phrases(),
        theme=theme.THEME,
        css=theme.CSS,
        quiet=False,
    )
    return demo


if __name__ == "__main__":
    shell.run_from_command_line(launch, None)
