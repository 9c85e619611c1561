"""What every `crm-agents` command shares: the consoles, the one-line errors, loading the data
and assembling the product with a spinner while a model trains."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table
from rich.text import Text

from core.i18n import t
from core.languages import languages
from core.settings import Settings, SettingsError
from crm_agents.batch.run import BatchError
from crm_agents.composition import Assembly, assemble, build_service
from crm_agents.store.database import StoreError
from data.loading import CustomerData, load_customers
from data.validation import DataValidationError
from models.churn.persistence import ModelArtifactError
from models.churn.training import MissingLabelsError
from models.survival.card import SurvivalArtifactError
from tools.service.retention import CustomerNotFoundError, RetentionService

console = Console(stderr=True)
out = Console()

DEFAULT_WORKERS = min(4, os.cpu_count() or 1)
SHOWN_FAILURES = 10
#: The --lang options' help: the languages spoken when the command line starts.
LANGUAGE_HELP = "a language code: " + ", ".join(languages())
DataOption = Annotated[
    Path | None,
    typer.Option("--data", help="Telco CSV (default: CRM_DATA_PATH, data/raw/*.csv, else demo)"),
]
EXPECTED_ERRORS = (
    DataValidationError,
    ModelArtifactError,
    CustomerNotFoundError,
    MissingLabelsError,
    SurvivalArtifactError,
    BatchError,
    StoreError,
    OSError,
)


def frame_table(frame: pd.DataFrame, title: str | None = None) -> Table:
    """A table that fits the terminal: text wraps inside its cell, numbers sit right, and the
    first column (a name or an ID) is never cut."""
    table = Table(title=title)
    for position, column in enumerate(frame.columns):
        numeric = pd.api.types.is_numeric_dtype(frame[column])
        if position == 0:
            widest = max([len(str(v)) for v in frame[column]] + [1])
            table.add_column(str(column), no_wrap=True, min_width=widest)
        else:
            table.add_column(str(column), justify="right" if numeric else "left", overflow="fold")
    for row in frame.itertuples(index=False):
        table.add_row(*map(str, row))
    return table


@contextmanager
def clear_errors() -> Iterator[None]:
    """Known failures end with one readable message and exit code 2, never a traceback."""
    try:
        yield
    except SettingsError as err:
        console.print(f"[red]Invalid setting:[/red] {escape(str(err))}", highlight=False)
        raise typer.Exit(2) from None
    except EXPECTED_ERRORS as err:
        console.print(f"[red]Error:[/red] {escape(str(err))}", highlight=False)
        raise typer.Exit(2) from None


def say(settings: Settings, key: str, **values: object) -> None:
    """One line of the command's own output, in the settings' language, printed as text."""
    console.print(Text(t(key, settings.language, **values)), highlight=False)


def settings_with(**overrides) -> Settings:
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def load(data: Path | None, settings: Settings) -> CustomerData:
    loaded = load_customers(data, settings)
    colour = "yellow" if loaded.origin.is_synthetic or loaded.origin.simulated_signals else "green"
    label = t("cli.data", settings.language)
    console.print(
        f"[{colour}]{escape(label)}[/{colour}] {loaded.origin.describe(settings.language)}",
        highlight=False,
    )
    return loaded


def service_for(loaded: CustomerData, settings: Settings) -> RetentionService:
    """The data with its model, trained first (with a spinner) when missing or stale."""
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console) as bar:
        task = bar.add_task(t("cli.checking_model", settings.language), total=None)
        return build_service(
            settings,
            loaded,
            say=lambda line: console.print(f"[yellow]{escape(line)}[/yellow]", highlight=False),
            progress=lambda stage: bar.update(task, description=stage),
        )


def assemble_for(data: Path | None, settings: Settings, chat_db: Path | None = None) -> Assembly:
    service = service_for(load(data, settings), settings)
    return assemble(settings, service=service, chat_db=chat_db)
