"""`crm-agents batch`: the nightly run, with a progress bar, a summary and an optional export."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

from agents.present.health_words import drift_line
from core.batch_settings import BatchEngine
from core.i18n import t, worded
from crm_agents.batch.engine_choice import open_engine
from crm_agents.batch.run import run_batch
from crm_agents.cli.common import (
    DEFAULT_WORKERS,
    SHOWN_FAILURES,
    DataOption,
    DbOption,
    LanguageOption,
    assemble_for,
    clear_errors,
    console,
    out,
    output_folder,
    results_url,
    say,
    say_text,
    settings_with,
)
from crm_agents.composition import batch_worker_analyzer
from crm_agents.store.database import export_run, open_store, shown_url
from models.segments import RiskLevel


def batch(
    data: DataOption = None,
    db: DbOption = None,
    min_risk: Annotated[
        RiskLevel, typer.Option("--min-risk", help="Analyse customers at or above this risk")
    ] = "medium",
    limit: Annotated[
        int | None,
        typer.Option(min=0, help="Analyse at most N customers (0: score and store only)"),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Processes for the offline writer (with an LLM: CRM_LLM_CONCURRENCY threads)",
        ),
    ] = DEFAULT_WORKERS,
    budget: Annotated[
        float | None, typer.Option(min=0, help="Total offer budget for the campaign queue")
    ] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the unfinished run")] = False,
    lang: LanguageOption = None,
    export: Annotated[
        Path | None, typer.Option("--export", help="Write CSV and Parquet files to this folder")
    ] = None,
    engine: Annotated[
        BatchEngine | None,
        typer.Option(
            "--engine",
            help="local (this machine's pool) or dask (CRM_DASK_SCHEDULER, else a LocalCluster); "
            "default CRM_BATCH_ENGINE",
        ),
    ] = None,
) -> None:
    """Score every customer, analyse those at or above the risk floor, store it all in the DB."""
    with clear_errors(lang):
        settings = settings_with(language=lang, batch_engine=engine)
        if export is not None:
            output_folder(export, "--export", settings.language)
        url = results_url(db, settings)
        open_store(url)  # a bad database fails here, before the data and model are loaded
        assembly = assemble_for(data, settings)
        with Progress(
            SpinnerColumn(),
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            console=console,
            # No refresh thread: the offline workers are forked, and a fork must not happen
            # while another thread holds the console's lock.
            auto_refresh=False,
        ) as bar:
            task = bar.add_task(t("cli.analysing", settings.language), total=None, rate="")
            started = time.perf_counter()

            def show(done: int, total: int) -> None:
                elapsed = max(time.perf_counter() - started, 1e-9)
                bar.update(task, completed=done, total=total, rate=f"{done / elapsed:,.0f}/s")
                bar.refresh()

            service = assembly.service
            with open_engine(
                settings, service.data.origin, service.card.version, batch_worker_analyzer
            ) as work:
                summary = run_batch(
                    assembly.analyzer,
                    url,
                    min_risk=min_risk,
                    limit=limit,
                    workers=workers,
                    budget=budget,
                    resume=resume,
                    language=lang,
                    progress=show,
                    engine=work,
                )
        rate = summary.analysed_this_time / summary.seconds if summary.seconds else 0.0
        say(
            settings,
            "cli.batch_done",
            run=summary.run_id,
            status=t(f"batch.status.{summary.status}", settings.language),
            scored=f"{summary.customers_scored:,}",
            analysed=f"{summary.customers_analysed:,}",
            eligible=f"{summary.customers_eligible:,}",
            now=f"{summary.analysed_this_time:,}",
            rate=f"{rate:,.0f}",
            url=worded(shown_url(url), settings.language),
        )
        say_text(
            settings,
            drift_line(
                summary.drift_shifted,
                summary.shifted_measures,
                summary.drift_note,
                settings.language,
            ),
        )
        if summary.failures:
            say(settings, "cli.failed", count=f"{summary.customers_failed:,}")
            for failure in summary.failures[:SHOWN_FAILURES]:
                console.print(f"  {escape(failure.customer_id)}: {escape(failure.reason)}")
            if summary.customers_failed > SHOWN_FAILURES:
                more = f"{summary.customers_failed - SHOWN_FAILURES:,}"
                say(settings, "cli.more_failed", count=more)
        if export is not None and summary.status == "completed":
            files = export_run(open_store(url), summary.run_id, export / f"run-{summary.run_id}")
            say(settings, "cli.exported", count=len(files), path=files[0].parent)
        out.print_json(summary.model_dump_json())
        if summary.status != "completed":
            say(settings, "cli.interrupted")
            raise typer.Exit(130)
