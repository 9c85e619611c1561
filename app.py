"""The CRM Retention Agents app (Gradio): Analyze · Ask · Portfolio · Campaigns · Trace, and
its HTTP API (`/api/v1`, `crm_agents/api/`) on the same server and port.

    python app.py [--data PATH] [--host 127.0.0.1] [--port 7860] [--lang CODE]

Binds 127.0.0.1 unless told otherwise, never opens a public share link unless asked, and asks
for a login when `CRM_APP_AUTH=user:password` is set (the API asks for its own keys). Each tab
is a module of `ui/tabs/`; the app and the API share one composition (`Backend`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr

from core.i18n import t
from core.settings import Settings
from crm_agents.api.server import create_api
from crm_agents.api.serving import Running, api_context, run
from ui import shell, theme
from ui.backend import Backend
from ui.labels import Labels
from ui.login_guard import LoginGuard
from ui.manager import Manager
from ui.tabs import analyze, ask, campaigns, health, portfolio, trace

if TYPE_CHECKING:
    from fastapi import FastAPI

#: The tabs, in the order they appear; each registers its components by name.
TABS = (analyze, ask, portfolio, campaigns, health, trace)


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


@dataclass
class RunningApp:
    """The app as served: its Blocks, the server it is mounted on (None with a share link,
    which Gradio serves itself), the login guard, and `close()`."""

    blocks: gr.Blocks
    server: FastAPI | None
    auth: LoginGuard | None
    running: Running | None = None

    def close(self) -> None:
        if self.running is not None:
            self.running.close()
        self.blocks.close()


def launch(settings: Settings, *, block: bool = True) -> RunningApp:
    shell.check_port_free(settings.host, settings.port)
    backend = Backend.start(settings)
    demo = build_app(backend)
    demo.queue(default_concurrency_limit=4)
    auth = LoginGuard(*settings.auth_pair) if settings.auth_pair else None
    shown = {
        "auth": auth,
        "allowed_paths": [str(backend.files)],
        "footer_links": ["api"],
        "i18n": shell.gradio_phrases(),
        "theme": theme.THEME,
        "css": theme.CSS,
    }
    lang, host, port = settings.language, settings.host, settings.port
    if settings.share:
        print(t("api.serve.share_without_api", lang), flush=True)
        demo.launch(
            server_name=host, server_port=port, share=True, prevent_thread_lock=not block, **shown
        )
        return RunningApp(demo, None, auth)
    server = create_api(settings, api_context(backend.assembly, backend.store))
    gr.mount_gradio_app(server, demo, path="/", server_name=host, server_port=port, **shown)
    print(t("api.serve.with_app", lang, host=host, port=port), flush=True)
    return RunningApp(demo, server, auth, run(server, host, port, block))


if __name__ == "__main__":
    shell.run_from_command_line(launch, None)
