"""What surrounds the tabs: the header and language switch, the per-session start (everything
from the data loads after login), the port check, and the command line of `python app.py`."""

from __future__ import annotations

import argparse
import json
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import gradio as gr

from core.i18n import error_words, t
from core.languages import BASE_LANGUAGE, languages, spec
from core.settings import Settings, SettingsError
from data.validation import DataValidationError
from models.churn.persistence import ModelArtifactError
from models.churn.training import MissingLabelsError
from ui.labels import Words
from ui.manager import Manager

#: The header's name in the page's manager.
HEADER = "header"
#: A tab: a module of `ui/tabs/` with NAME, build(manager), wire(manager, demo) and, when it
#: shows something from the data, SESSION_PANELS and session_start(backend) -> {panel: value}.
Tab = ModuleType


def language_choices() -> list[tuple[str, str]]:
    """Each language the product speaks, named in its own words."""
    return [(t(f"language.{lang}", lang), lang) for lang in languages()]


def header(manager: Manager) -> None:
    """The title line (what data and model are in use, loaded per session) and the switch."""
    labels = manager.labels
    with gr.Row():
        title = gr.Markdown(f"## {t('ui.title', labels.language)}", elem_id="header")
        language = labels.make(
            gr.Radio,
            choices=language_choices(),
            value=labels.language,
            label=Words("ui.language"),
            scale=0,
            min_width=220,
            elem_id="language",
        )
    manager.add_elems(HEADER, {"title": title, "language": language})


#: Gradio's own status words it has no translation of (read aloud to screen readers).
_GRADIO_KEYS = {"common.complete": "ui.status.complete"}


def gradio_phrases() -> gr.I18n:
    """Gradio's untranslated status words, from the phrase catalogue, for each language."""
    return gr.I18n(
        **{
            lang: {key: t(phrase, lang) for key, phrase in _GRADIO_KEYS.items()}
            for lang in languages()
        }
    )


#: Where the browser keeps the reader's language.
_LANGUAGE_KEY = "crm-agents-language"
_KEEP_LANGUAGE = f"(lang) => {{ localStorage.setItem('{_LANGUAGE_KEY}', lang); return [lang]; }}"


def _browser_language() -> str:
    """JavaScript: the remembered language, else the one the browser's own language chooses
    (`browser` in `core/locales/languages.toml`), else the base language."""
    chosen = [(prefix.lower(), code) for code in languages() for prefix in spec(code).browser]
    return f"""() => {{
  const known = {json.dumps(list(languages()))};
  const kept = localStorage.getItem('{_LANGUAGE_KEY}');
  if (known.includes(kept)) return kept;
  const said = (navigator.language || '').toLowerCase();
  const chosen = {json.dumps(chosen)}.find(([prefix]) => said.startsWith(prefix));
  return chosen ? chosen[1] : '{BASE_LANGUAGE}';
}}"""


def wire_language(demo: gr.Blocks, manager: Manager) -> None:
    """The switch words the whole page again (each tab re-words its own results); the browser
    remembers the choice and starts from it, or from its own language."""
    language, title = manager.language, manager.get_elem(f"{HEADER}.title")
    labels, backend = manager.labels, manager.backend
    language.change(labels.updates, language, labels.components, api_name=False)
    language.change(backend.header, language, title, api_name=False)
    language.input(None, language, None, js=_KEEP_LANGUAGE, api_name=False)
    demo.load(None, None, language, js=_browser_language(), api_name=False)


def wire_session_start(demo: gr.Blocks, manager: Manager, tabs: Sequence[Tab]) -> None:
    """The layout holds nothing from the data: the page, its config and the API info are served
    before login, so the header and what each tab shows from the data load per session."""
    backend = manager.backend
    starts = [tab for tab in tabs if hasattr(tab, "session_start")]
    names = [f"{HEADER}.title"]
    names += [f"{tab.NAME}.{panel}" for tab in starts for panel in tab.SESSION_PANELS]

    def session_start(lang: str | None = None) -> list[Any]:
        """The header, then what each tab shows from the data, in the order of `names`, in the
        reader's language (the browser's, as the switch will show it)."""
        lang = lang if lang in languages() else backend.settings.language
        values = [backend.header(lang)]
        for tab in starts:
            shown = tab.session_start(backend, lang)
            values += [shown[panel] for panel in tab.SESSION_PANELS]
        return values

    # The same JavaScript as the switch's: the first paint is already in the reader's language,
    # not English overwritten later (the two loads race).
    demo.load(
        session_start,
        manager.language,
        manager.get_elems(names),
        js=_browser_language(),
        api_name="session_start",
    )


class PortInUseError(OSError):
    """The port the app should listen on is taken."""


def check_port_free(host: str, port: int) -> None:
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError:
            raise PortInUseError(
                f"port {port} on {host} is already in use (another app or an earlier run?). "
                f"Choose another: `make run PORT={port + 1}`, `python app.py --port {port + 1}` "
                f"or CRM_PORT={port + 1}."
            ) from None


def run_from_command_line(launch: Callable[[Settings], object], argv: list[str] | None) -> None:
    """`python app.py [--data PATH] [--host H] [--port N] [--lang L] [--share]`: a known problem
    ends with one line and exit code 2, never a traceback."""
    parser = argparse.ArgumentParser(description="CRM Retention Agents app")
    parser.add_argument("--data", type=Path, help="Telco CSV (default: settings, data/raw, demo)")
    parser.add_argument("--host", help="address to bind (default 127.0.0.1, CRM_HOST)")
    parser.add_argument("--port", type=int, help="port (default 7860, CRM_PORT)")
    parser.add_argument(
        "--lang", choices=list(languages()), help="language of generated texts (CRM_LANGUAGE)"
    )
    parser.add_argument(
        "--share", action="store_true", help="also open a public Gradio share link (CRM_SHARE)"
    )
    args = parser.parse_args(argv)
    given = {"data_path": args.data, "host": args.host, "port": args.port, "language": args.lang}
    overrides = {k: v for k, v in given.items() if v is not None}
    if args.share:
        overrides["share"] = True
    try:
        launch(Settings(**overrides))
    except (
        ModelArtifactError,
        DataValidationError,
        MissingLabelsError,
        SettingsError,
        OSError,
    ) as err:
        # Valid settings know their language; invalid ones are worded in English.
        fallback = BASE_LANGUAGE if isinstance(err, SettingsError) else Settings().language
        lang = overrides.get("language") or fallback
        label = t("format.labelled", lang, label=t("cli.error", lang), value="")
        print(label + error_words(err, lang), file=sys.stderr)
        raise SystemExit(2) from None
