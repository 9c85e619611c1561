"""`crm-agents demo-data`: a synthetic base of any size, seeded, as CSV or Parquet, for trying
the product and its benchmarks at scale (documented in data/demo_base.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from core.i18n import t
from crm_agents.cli.common import clear_errors, console, output_file, say, settings_with
from data.demo_base import DemoFormat, default_path, write_demo_base


def demo_data(
    rows: Annotated[int, typer.Option("--rows", min=1, help="Customers to generate")] = 7043,
    fmt: Annotated[
        DemoFormat, typer.Option("--format", help="parquet (a folder of parts) or csv")
    ] = "parquet",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Where to write: a .csv file, a .parquet file, or a folder for Parquet parts "
            "(default: the state folder's demo/customers-<rows>-seed<seed>)",
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed: the same seed, the same customers")] = 42,
    labels: Annotated[
        bool, typer.Option(help="Include the Churn column (a base to train on, not to score)")
    ] = False,
) -> None:
    """Generate a synthetic base of any size, seeded, as CSV or Parquet."""
    with clear_errors():
        settings = settings_with()
        path = out or default_path(settings.state_dir / "demo", rows, seed, fmt)
        if fmt == "csv" and path.suffix.lower() != ".csv":
            raise typer.BadParameter(
                t("cli.demo.csv_suffix", settings.language, path=path), param_hint="--out"
            )
        if path.suffix.lower() == ".csv" and fmt != "csv":
            raise typer.BadParameter(
                t("cli.demo.parquet_suffix", settings.language, path=path), param_hint="--out"
            )
        if not path.is_dir():
            output_file(path, None, settings)
        columns = [
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(t("cli.demo.generating", settings.language)),
        ]
        with Progress(*columns, console=console) as bar:
            task = bar.add_task("generate", total=rows)
            written = write_demo_base(
                path,
                rows,
                seed=seed,
                fmt=fmt,
                labels=labels,
                progress=lambda done: bar.update(task, completed=done),
            )
        say(
            settings,
            "cli.demo.written",
            count=f"{written.rows:,}",
            parts=f"{written.parts:,}",
            path=written.path,
            seed=seed,
        )
