"""Model health tab: the newest run's drift line and its measures, drift over runs, accuracy by
month (estimated beside realised), the model versions kept (which one is live) and the open risk
alerts — the same records as `crm-agents health` and `/api/v1/runs`, in the page's language."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import gradio as gr
import pandas as pd
from sqlalchemy.exc import SQLAlchemyError

from agents.present.health_words import (
    accuracy_table,
    alerts_table,
    drift_line,
    drift_table,
    versions_table,
)
from agents.present.phrases import Table
from core.i18n import t
from core.types import Language
from crm_agents.store.accuracy import accuracy_by_month
from crm_agents.store.database import StoreError
from crm_agents.store.health import drift_history, drift_of, open_alerts
from models.churn.persistence import CARD_FILE
from models.health.registry import Registry
from ui.backend import Backend
from ui.escape import md
from ui.labels import Words
from ui.manager import Manager

NAME = "health"
TABLES = ("runs", "measures", "accuracy", "versions", "alerts")
#: What `session_start` fills, loaded per session (after login) and on a language switch.
SESSION_PANELS = ("summary", *TABLES)
SHOWN_RUNS = 30


def build(manager: Manager) -> None:
    make = manager.labels.make
    with make(gr.Tab, label=Words("ui.health.tab")):
        make(gr.Markdown, value=Words("ui.health.intro"))
        refresh = make(gr.Button, value=Words("ui.health.refresh"), size="sm")
        summary = gr.Markdown(elem_id="health-summary")
        panels = {
            name: make(
                gr.Dataframe,
                label=Words(f"ui.health.{_label(name)}"),
                interactive=False,
                wrap=True,
                elem_id=f"health-{name}",
            )
            for name in TABLES
        }
    manager.add_elems(NAME, {"refresh": refresh, "summary": summary, **panels})


def _label(panel: str) -> str:
    return {"runs": "drift_runs", "measures": "drift_measures"}.get(panel, panel)


def _frame(view: Table) -> pd.DataFrame:
    return pd.DataFrame(list(view.rows), columns=list(view.headers))


def _runs(history: list[dict], lang: Language) -> pd.DataFrame:
    rows = []
    for row in history:
        note = json.loads(row["drift_note"]) if row["drift_note"] else None
        line = drift_line(row["drift_shifted"], row["shifted_measures"], note, lang)
        rows.append((row["id"], f"{row['started']:%Y-%m-%d %H:%M}", row["model_version"], line))
    columns = [t(f"health.column.{c}", lang) for c in ("run", "started", "model", "drift")]
    return pd.DataFrame(rows, columns=columns)


def session_start(backend: Backend, lang: Language) -> dict[str, Any]:
    """Every panel from the results database and the artifacts folder, now."""
    empty = {name: None for name in TABLES}
    try:
        store = backend.store
        history = drift_history(store, SHOWN_RUNS)
        alerts = open_alerts(store)
    except (StoreError, SQLAlchemyError) as err:
        reason = md(type(err).__name__)
        return empty | {"summary": f"⚠️ {t('ui.health.unavailable', lang, reason=reason)}"}
    card = backend.service.card
    versions = Registry(backend.settings.artifacts_dir, last=CARD_FILE).versions()
    shown = empty | {
        "versions": _frame(versions_table(versions, lang)) if versions else None,
        "alerts": _frame(alerts_table(alerts, lang)) if alerts else None,
    }
    if not history:
        return shown | {"summary": md(t("ui.health.no_runs", lang))}
    newest = history[0]
    note = json.loads(newest["drift_note"]) if newest["drift_note"] else None
    line = drift_line(newest["drift_shifted"], newest["shifted_measures"], note, lang)
    report = drift_of(store, newest["id"])
    months = accuracy_by_month(store, card.metrics.roc_auc, backend.settings.accuracy_drop)
    flag = "⚠️ " if newest["drift_shifted"] else ""
    return shown | {
        "summary": f"{flag}{md(line)}",
        "runs": _runs(history, lang),
        "measures": _frame(drift_table(report, lang)) if report else None,
        "accuracy": _frame(accuracy_table(months, card.metrics.roc_auc, lang)) if months else None,
    }


def wire(manager: Manager, demo: gr.Blocks) -> None:
    backend, language = manager.backend, manager.language
    tab = SimpleNamespace(**manager.elems_of(NAME))
    outputs = [getattr(tab, name) for name in SESSION_PANELS]

    def shown(lang: Language) -> list[Any]:
        values = session_start(backend, lang)
        return [values[name] for name in SESSION_PANELS]

    tab.refresh.click(shown, language, outputs, api_name=False)
    language.change(shown, language, outputs, api_name=False)
