"""`crm-agents`: prepare data, train and evaluate the model, score the base, analyse a customer."""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from core.settings import Settings, SettingsError
from core.types import FeatureSetName, Language, ModelChoice
from crm_agents.batch import BatchError, run_batch
from crm_agents.composition import Assembly, assemble, build_service
from crm_agents.model_check import stale_reason
from crm_agents.report import print_report
from crm_agents.store import StoreError, default_url, export_run, open_store
from data.loading import CustomerData, load_customers
from data.spreadsheet import write_csv
from data.validation import DataValidationError
from graph.analysis import AnalysisResult
from models.candidates import CandidateName
from models.persistence import ModelArtifactError, load_card, save_model
from models.scoring import score_customers
from models.segments import RiskLevel
from models.training import MissingLabelsError, evaluate, metrics_table, train
from tools.service import CustomerNotFoundError, RetentionService

app = typer.Typer(
    help="Churn risk, reasons and retention offers for CRM teams.", no_args_is_help=True
)
console = Console(stderr=True)
out = Console()

DEFAULT_WORKERS = min(4, os.cpu_count() or 1)
SHOWN_FAILURES = 10
DataOption = Annotated[
    Path | None,
    typer.Option("--data", help="Telco CSV (default: CRM_DATA_PATH, data/raw/*.csv, else demo)"),
]
EXPECTED_ERRORS = (
    DataValidationError,
    ModelArtifactError,
    CustomerNotFoundError,
    MissingLabelsError,
    BatchError,
    StoreError,
    OSError,
)


@contextmanager
def _clear_errors() -> Iterator[None]:
    """Known failures end with one readable message and exit code 2, never a traceback."""
    try:
        yield
    except SettingsError as err:
        console.print(f"[red]Invalid setting:[/red] {escape(str(err))}", highlight=False)
        raise typer.Exit(2) from None
    except EXPECTED_ERRORS as err:
        console.print(f"[red]Error:[/red] {escape(str(err))}", highlight=False)
        raise typer.Exit(2) from None


def _settings(**overrides) -> Settings:
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def _load(data: Path | None, settings: Settings) -> CustomerData:
    loaded = load_customers(data, settings)
    colour = "yellow" if loaded.origin.is_synthetic or loaded.origin.simulated_signals else "green"
    console.print(f"[{colour}]Data:[/{colour}] {loaded.origin.describe()}", highlight=False)
    return loaded


def _service(loaded: CustomerData, settings: Settings) -> RetentionService:
    """The data with its model, trained first (with a spinner) when missing or stale."""
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console) as bar:
        task = bar.add_task("checking the saved model", total=None)
        return build_service(
            settings,
            loaded,
            say=lambda line: console.print(f"[yellow]{escape(line)}[/yellow]", highlight=False),
            progress=lambda stage: bar.update(task, description=stage),
        )


def _assemble(data: Path | None, settings: Settings) -> Assembly:
    return assemble(settings, service=_service(_load(data, settings), settings))


@app.command()
def prepare(data: DataOption = None) -> None:
    """Validate the data, add behaviour signals, write state/processed/churn_features.csv."""
    with _clear_errors():
        settings = _settings()
        loaded = _load(data, settings)
        target = settings.processed_dir / "churn_features.csv"
        frame = loaded.customers.assign(
            signals_simulated=",".join(loaded.origin.simulated_signals) or "none"
        )
        write_csv(frame, target)
        console.print(f"Wrote {len(frame):,} customers to {target}")


@app.command("train")
def train_command(
    data: DataOption = None,
    features: Annotated[FeatureSetName | None, typer.Option(help="telco or enriched")] = None,
    model: Annotated[ModelChoice | None, typer.Option(help="auto or one candidate")] = None,
    if_missing: Annotated[
        bool, typer.Option(help="Do nothing when a model trained on this data is saved")
    ] = False,
) -> None:
    """Cross-validate the candidates, save the champion and its model card."""
    with _clear_errors():
        settings = _settings(feature_set=features, model=model)
        loaded = _load(data, settings)
        if if_missing:
            try:
                card = load_card(settings.artifacts_dir)
            except ModelArtifactError:
                card = None
            reason = stale_reason(card, loaded)
            if card is not None and reason is None:
                console.print(
                    f"Model already trained on this data: {card.model} ({card.created_at:%Y-%m-%d})"
                )
                return
            console.print(f"Training: {reason}.", highlight=False)
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console) as bar:
            task = bar.add_task("training", total=None)
            fitted, card = train(loaded, settings, lambda s: bar.update(task, description=s))
        card = save_model(fitted, card, settings.artifacts_dir)
        table = Table(title="Candidates (mean of repeated stratified CV, out-of-fold)")
        frame = metrics_table([*card.candidates, *card.feature_set_comparison.values()])
        for column in frame.columns:
            table.add_column(column)
        for row in frame.drop_duplicates().itertuples(index=False):
            table.add_row(*map(str, row))
        console.print(table)
        console.print(
            f"Champion: [bold]{card.model}[/bold] ({card.selection_rule}); "
            f"saved to {settings.artifacts_dir}"
        )


@app.command("evaluate")
def evaluate_command(
    data: DataOption = None,
    features: Annotated[FeatureSetName, typer.Option(help="telco or enriched")] = "telco",
    model: Annotated[
        CandidateName, typer.Option(help="Candidate to evaluate")
    ] = "logistic_splines",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Repeated stratified K-fold metrics of one candidate, from out-of-fold predictions."""
    with _clear_errors():
        settings = _settings()
        loaded = _load(data, settings)
        with console.status(f"cross-validating {model} on {features} features"):
            metrics = evaluate(loaded, model, features, settings)
        result = metrics.model_dump()
        result["data"] = loaded.origin.model_dump()
        if as_json:
            out.print_json(json.dumps(result))
        else:
            out.print(metrics_table([metrics]).to_string(index=False))


@app.command()
def score(
    out_path: Annotated[Path, typer.Option("--out", help="CSV file to write")],
    data: DataOption = None,
) -> None:
    """Score the whole base: probability, risk level, value tier and top driver per customer."""
    with _clear_errors():
        settings = _settings()
        loaded = _load(data, settings)
        model = _service(loaded, settings).model
        columns = [BarColumn(), MofNCompleteColumn(), TextColumn("customers scored")]
        with Progress(*columns, console=console) as bar:
            task = bar.add_task("score", total=len(loaded.customers))
            scored = score_customers(
                model, loaded.customers, settings, lambda n: bar.advance(task, n)
            )
        write_csv(scored, out_path)
        counts = scored["risk_level"].value_counts().to_dict()
        console.print(f"Wrote {len(scored):,} scores to {out_path}; risk levels: {counts}")


@app.command()
def analyze(
    customer_id: Annotated[
        str | None, typer.Argument(help="a customer ID of the data in use")
    ] = None,
    data: DataOption = None,
    pick_random: Annotated[bool, typer.Option("--random", help="Pick a random customer")] = False,
    lang: Annotated[Language | None, typer.Option("--lang", help="en or zh-TW")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Run the four-agent analysis of one customer: risk, reasons, offer, messages."""
    with _clear_errors():
        if customer_id is None and not pick_random:
            raise typer.BadParameter("give a customer ID of the data in use, or --random")
        assembly = _assemble(data, _settings())
        if customer_id is None:
            customer_id = random.choice(assembly.service.customers.index.tolist())
        result = None
        with console.status("analysing") as status:
            for item in assembly.analyzer.stream(customer_id, language=lang):
                if isinstance(item, AnalysisResult):
                    result = item
                else:
                    status.update(f"{item[0]} done")
        assert result is not None
        if as_json:
            out.print_json(result.model_dump_json())
            return
        print_report(result, out)


@app.command()
def batch(
    data: DataOption = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="SQLAlchemy URL (default: sqlite:/// at CRM_RESULTS_DB, state/crm.db)"
        ),
    ] = None,
    min_risk: Annotated[
        RiskLevel, typer.Option("--min-risk", help="Analyse customers at or above this risk")
    ] = "medium",
    limit: Annotated[int | None, typer.Option(min=1, help="Analyse at most N customers")] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Parallel analyses: processes for the offline writer, threads for an LLM",
        ),
    ] = DEFAULT_WORKERS,
    budget: Annotated[
        float | None, typer.Option(min=0, help="Total offer budget for the campaign queue")
    ] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the unfinished run")] = False,
    lang: Annotated[Language | None, typer.Option("--lang", help="en or zh-TW")] = None,
    export: Annotated[
        Path | None, typer.Option("--export", help="Write CSV and Parquet files to this folder")
    ] = None,
) -> None:
    """Score every customer, analyse those at or above the risk floor, store it all in the DB."""
    with _clear_errors():
        settings = _settings()
        url = db or default_url(settings.results_db)
        open_store(url)  # a bad database fails here, before the data and model are loaded
        assembly = _assemble(data, settings)
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
            task = bar.add_task("analysing", total=None, rate="")
            started = time.perf_counter()

            def show(done: int, total: int) -> None:
                elapsed = max(time.perf_counter() - started, 1e-9)
                bar.update(task, completed=done, total=total, rate=f"{done / elapsed:,.0f}/s")
                bar.refresh()

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
            )
        rate = summary.analysed_this_time / summary.seconds if summary.seconds else 0.0
        console.print(
            f"run {summary.run_id} {summary.status}: {summary.customers_scored:,} scored, "
            f"{summary.customers_analysed:,} of {summary.customers_eligible:,} eligible analysed "
            f"({summary.analysed_this_time:,} now, {rate:,.0f}/s) → {url}",
            highlight=False,
        )
        if summary.failures:
            console.print(
                f"[yellow]{summary.customers_failed:,} customer(s) could not be analysed "
                "(stored in the failures table):[/yellow]"
            )
            for failure in summary.failures[:SHOWN_FAILURES]:
                console.print(f"  {escape(failure.customer_id)}: {escape(failure.reason)}")
            if summary.customers_failed > SHOWN_FAILURES:
                console.print(f"  … and {summary.customers_failed - SHOWN_FAILURES:,} more")
        if export is not None and summary.status == "completed":
            files = export_run(open_store(url), summary.run_id, export / f"run-{summary.run_id}")
            console.print(f"exported {len(files)} files to {files[0].parent}")
        out.print_json(summary.model_dump_json())
        if summary.status != "completed":
            console.print(
                "[yellow]Interrupted: continue with `crm-agents batch --resume`.[/yellow]"
            )
            raise typer.Exit(130)


@app.command()
def serve(
    data: DataOption = None,
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default 7860)")] = None,
) -> None:
    """Launch the app (the same as `python app.py`)."""
    with _clear_errors():
        overrides = {"data_path": data, "host": host, "port": port}
        settings = _settings(**{k: v for k, v in overrides.items() if v is not None})
        from app import launch  # Gradio loads only for this command

        launch(settings)


if __name__ == "__main__":
    app()
