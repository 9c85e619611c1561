"""`crm-agents analyze` (one customer through the analysis graph) and `crm-agents serve` (the
app)."""

from __future__ import annotations

import random
from typing import Annotated

import typer

from core.i18n import t
from crm_agents.cli.common import (
    DataOption,
    LanguageOption,
    assemble_for,
    clear_errors,
    console,
    out,
    settings_with,
)
from crm_agents.cli.report import print_report
from graph.analysis import AnalysisResult


def analyze(
    customer_id: Annotated[
        str | None, typer.Argument(help="a customer ID of the data in use")
    ] = None,
    data: DataOption = None,
    pick_random: Annotated[bool, typer.Option("--random", help="Pick a random customer")] = False,
    lang: LanguageOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Run the four-agent analysis of one customer: risk, reasons, offer, messages."""
    with clear_errors(lang):
        if customer_id is None and not pick_random:
            raise typer.BadParameter("give a customer ID of the data in use, or --random")
        settings = settings_with(language=lang)
        assembly = assemble_for(data, settings)
        if customer_id is None:
            customer_id = random.choice(assembly.service.customers.index.tolist())
        result = None
        with console.status(t("cli.analysing", settings.language)) as status:
            for item in assembly.analyzer.stream(customer_id, language=lang):
                if isinstance(item, AnalysisResult):
                    result = item
                else:
                    status.update(t("cli.node_done", settings.language, node=item[0]))
        assert result is not None
        if as_json:
            out.print_json(result.model_dump_json())
            return
        print_report(result, out, assembly.playbook)


def serve(
    data: DataOption = None,
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default 7860)")] = None,
) -> None:
    """Launch the app (the same as `python app.py`)."""
    with clear_errors():
        overrides = {"data_path": data, "host": host, "port": port}
        settings = settings_with(**{k: v for k, v in overrides.items() if v is not None})
        from app import launch  # Gradio loads only for this command

        launch(settings)
