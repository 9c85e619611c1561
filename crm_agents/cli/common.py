"""What every `crm-agents` command shares: the consoles, the one-line errors, loading the data
and assembling the product with a spinner while a model trains."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Column, Table
from rich.text import Text

from core.i18n import WordedError, error_words, t
from core.languages import BASE_LANGUAGE, languages, spec
from core.settings import Settings, SettingsError
from core.types import Language
from crm_agents.cli.flow import Flow
from data.loading import CustomerData, load_customers, resolve_source
from data.validation import DataValidationError

if TYPE_CHECKING:
    from crm_agents.composition import Assembly
    from tools.service.retention import RetentionService

console = Console(stderr=True)
out = Console()

DEFAULT_WORKERS = min(4, os.cpu_count() or 1)
SHOWN_FAILURES = 10
#: The --lang option: the languages spoken when the command line starts. The metavar is named
#: because Typer would otherwise print the annotated type's repr in --help.
LanguageOption = Annotated[
    Language | None,
    typer.Option("--lang", help="a language code: " + ", ".join(languages()), metavar="<language>"),
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLAlchemy URL (default: CRM_DATABASE_URL, else SQLite at CRM_RESULTS_DB, "
        "state/crm.db)",
    ),
]
DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="Telco CSV or Parquet file, or a folder of Parquet parts "
        "(default: CRM_DATA_PATH, data/raw/*.csv, else demo)",
    ),
]
#: Known failures: every error that carries its words for a person (a refusal, a model, store,
#: campaign or batch failure: `WordedError`), a file that does not validate, and the system's
#: own (a file or a folder that cannot be read or written). Caught by their common classes, so a
#: command does not import every layer that could raise one (`score` starts a second sooner).
EXPECTED_ERRORS = (WordedError, DataValidationError, OSError)


#: A longer "word" (a URL, a long list without spaces) may still fold inside its cell.
MAX_WORD = 24


def longest_word(texts) -> int:
    """Terminal cells of the longest space-separated word (a CJK character is two)."""
    return max((cell_len(word) for text in texts for word in str(text).split()), default=1)


def fitted_widths(natural: list[int], floor: list[int], room: int) -> list[int] | None:
    """Each column's width when the natural ones do not fit in `room`: the widest are narrowed
    to one common level, none below its floor (its longest word); None when even the floors do
    not fit (then words fold) or when nothing needs narrowing."""
    if sum(natural) <= room or sum(floor) > room:
        return None

    def at(level: int) -> list[int]:
        return [min(n, max(f, level)) for n, f in zip(natural, floor, strict=True)]

    level = max(natural)
    while level > 0 and sum(at(level)) > room:
        level -= 1
    return at(level)


def frame_table(frame: pd.DataFrame, title: str | None = None, width: int | None = None) -> Table:
    """A table that fits the terminal (`width`, the output console's by default): text wraps
    between words inside its cell, numbers sit right, and the first column (a name or an ID)
    is never cut. Only when the longest words cannot all fit does a word fold, rather than a
    column disappear off the edge."""
    columns = list(frame.columns)
    natural = [max(cell_len(str(v)) for v in [c, *frame[c]]) for c in columns]
    floor = natural[:1] + [min(longest_word([c, *frame[c]]), MAX_WORD) for c in columns[1:]]
    # Each column has a space either side and a border line before it, plus the last border.
    widths = fitted_widths(natural, floor, (width or out.width) - (3 * len(columns) + 1))
    table = Table(title=title)
    for position, column in enumerate(columns):
        numeric = pd.api.types.is_numeric_dtype(frame[column])
        table.add_column(
            str(column),
            justify="right" if numeric and position else "left",
            no_wrap=position == 0,
            overflow="fold",
            min_width=natural[0] if position == 0 else None,
            width=widths[position] if widths else None,
        )
    for row in frame.itertuples(index=False):
        table.add_row(*map(str, row))
    return table


def _spoken(lang: Language | None) -> Language:
    """The language a command speaks: its --lang, else the settings' (English when the settings
    themselves are what is wrong)."""
    if lang is not None:
        return lang
    try:
        return Settings().language
    except SettingsError:
        return BASE_LANGUAGE


@contextmanager
def clear_errors(lang: Language | None = None) -> Iterator[None]:
    """Known failures end with one readable message, in the command's language (`lang`, else
    the settings'), and exit code 2, never a traceback."""
    try:
        yield
    except SettingsError as err:
        # The settings' problems name environment variables and pydantic's words: English.
        console.print(f"[red]Invalid setting:[/red] {escape(str(err))}", highlight=False)
        raise typer.Exit(2) from None
    except EXPECTED_ERRORS as err:
        spoken = _spoken(lang)
        label = t("format.labelled", spoken, label=t("cli.error", spoken), value="")
        console.print(
            f"[red]{escape(label)}[/red]{escape(error_words(err, spoken))}", highlight=False
        )
        raise typer.Exit(2) from None


def say(settings: Settings, key: str, **values: object) -> None:
    """One line of the command's own output, in the settings' language, printed as text (in a
    language written without spaces, flowed between characters, not at the few spaces)."""
    say_text(settings, t(key, settings.language, **values))


def say_text(settings: Settings, text: str) -> None:
    """Words already in the settings' language (a presenter's line), printed as `say` does."""
    words = Text(text)
    han = spec(settings.language).script == "han"
    console.print(Flow(words, cjk=True) if han else words, highlight=False)


def results_url(db: str | None, settings: Settings) -> str:
    """The results database: `--db`, else `CRM_DATABASE_URL`, else SQLite in the state folder."""
    from crm_agents.store.database import store_url  # the store (Alembic): when used

    return store_url(settings, db)


def settings_with(**overrides) -> Settings:
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def load(data: Path | None, settings: Settings) -> CustomerData:
    loaded = load_customers(data, settings)
    colour = "yellow" if loaded.origin.is_synthetic or loaded.origin.simulated_signals else "green"
    lang = settings.language
    # "Data: …" in English, "資料：…" in Chinese: the catalogue's own punctuation.
    label = t("format.labelled", lang, label=t("cli.data", lang), value="")
    console.print(
        f"[{colour}]{escape(label)}[/{colour}]{escape(loaded.origin.describe(lang))}",
        highlight=False,
    )
    return loaded


def _writable_folder(folder: Path) -> bool:
    """Whether a file can be made in `folder`, or in the nearest folder above it that exists
    (the writers create the missing ones). Tried, not guessed from permission bits: root passes
    every `os.access` check, even on a read-only mount or in /proc."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return False
    try:
        with tempfile.TemporaryFile(dir=existing):
            return True
    except OSError:
        return False


def output_file(path: Path, data: Path | None, settings: Settings, option: str = "--out") -> Path:
    """`path` checked before any work: not a folder, not the customer file being read, and
    writable. Scoring a million customers to learn at the end that the file cannot be written
    costs the whole run; overwriting the customer file loses the input."""
    lang = settings.language
    if path.is_dir():
        example = path / "scores.csv"
        raise typer.BadParameter(
            t("cli.out.folder", lang, path=path, example=example), param_hint=option
        )
    source = resolve_source(data, settings)
    if source is not None and source.exists() and path.exists() and path.samefile(source):
        raise typer.BadParameter(t("cli.out.is_input", lang, path=path), param_hint=option)
    # Files are written beside themselves and renamed into place, so the folder decides.
    if not _writable_folder(path.parent):
        raise typer.BadParameter(t("cli.out.unwritable", lang, path=path), param_hint=option)
    return path


def output_folder(path: Path, option: str, lang: Language) -> Path:
    """`path` checked before any work: a folder (or one that can be made) that can be written."""
    if path.exists() and not path.is_dir():
        raise typer.BadParameter(t("cli.out.is_file", lang, path=path), param_hint=option)
    if not _writable_folder(path):
        raise typer.BadParameter(t("cli.out.folder_unwritable", lang, path=path), param_hint=option)
    return path


def spinner() -> Progress:
    """A spinner with a line of what is happening, wrapped rather than cut short on a narrow
    terminal."""
    words = TextColumn("{task.description}", table_column=Column(no_wrap=False, overflow="fold"))
    return Progress(SpinnerColumn(), words, console=console)


def service_for(loaded: CustomerData, settings: Settings) -> RetentionService:
    """The data with its model, trained first (with a spinner) when missing or stale."""
    from crm_agents.service_root import build_service  # the models and the store: when used

    with spinner() as bar:
        task = bar.add_task(t("cli.checking_model", settings.language), total=None)
        return build_service(
            settings,
            loaded,
            say=lambda line: console.print(f"[yellow]{escape(line)}[/yellow]", highlight=False),
            progress=lambda stage: bar.update(task, description=stage),
        )


def assemble_for(data: Path | None, settings: Settings, chat_db: Path | None = None) -> Assembly:
    # The composition root brings the agents' graphs: imported by the commands that use them,
    # not by every command (`score` starts a second sooner).
    from crm_agents.composition import assemble

    service = service_for(load(data, settings), settings)
    return assemble(settings, service=service, chat_db=chat_db)
