"""`crm-agents`: prepare data, train and evaluate the model, score the base, analyse a customer,
chat, run the batch and the campaign loop, serve the app and the API.

The commands load on demand: `crm-agents --help` imports none of them (their one-line help is
in `COMMANDS`), and a command imports only its own module and what that needs — the CLI does
not load the models, LangGraph and pandas to print its help or run an unrelated command.
"""

from __future__ import annotations

import importlib

import typer
from typer.core import TyperCommand, TyperGroup

#: Each command: where it lives (`module:attribute`, a function or a Typer group) and the one
#: line `--help` shows for it. A test checks each line is the command's own first line.
COMMANDS: dict[str, tuple[str, str]] = {
    "prepare": (
        "crm_agents.cli.modelling:prepare",
        "Validate the data, add behaviour signals, write state/processed/churn_features.csv.",
    ),
    "train": (
        "crm_agents.cli.modelling:train_command",
        "Cross-validate the candidates, save the champion and its model card.",
    ),
    "evaluate": (
        "crm_agents.cli.modelling:evaluate_command",
        "Repeated stratified K-fold metrics of one candidate, from out-of-fold predictions.",
    ),
    "score": (
        "crm_agents.cli.scoring:score",
        "Score the whole base: probability, risk level, value tier and top driver per customer.",
    ),
    "demo-data": (
        "crm_agents.cli.demo:demo_data",
        "Generate a synthetic base of any size, seeded, as CSV or Parquet.",
    ),
    "analyze": (
        "crm_agents.cli.analysis:analyze",
        "Run the four-agent analysis of one customer: risk, reasons, offer, messages.",
    ),
    "ask": (
        "crm_agents.cli.ask:ask",
        "Ask about any customer or the whole base; follow-ups on the same --thread remember it.",
    ),
    "batch": (
        "crm_agents.cli.batch:batch",
        "Score every customer, analyse those at or above the risk floor, store it all in the DB.",
    ),
    "retrain": (
        "crm_agents.cli.models:retrain_command",
        "Fit a challenger on the newest data; compare it with the champion on held-out customers.",
    ),
    "models": (
        "crm_agents.cli.models:app",
        "Model versions: list them, approve or reject a challenger, roll back.",
    ),
    "health": (
        "crm_agents.cli.health:health",
        "Model health: a run's drift, drift over runs, accuracy by month, the model versions.",
    ),
    "evaluate-survival": (
        "crm_agents.cli.survival:evaluate_survival_command",
        "Cross-validate the time-to-churn candidates (Kaplan–Meier, Cox, AFT) and pick one.",
    ),
    "train-survival": (
        "crm_agents.cli.survival:train_survival_command",
        "Cross-validate the time-to-churn candidates, fit the champion on every customer, save it.",
    ),
    "campaigns": (
        "crm_agents.cli.campaign_group:app",
        "Campaigns: who gets an offer, who is held out, how large it must be.",
    ),
    "outcomes": (
        "crm_agents.cli.outcomes:app",
        "Outcomes of campaigns: what became of each customer.",
    ),
    "simulate-outcomes": (
        "crm_agents.cli.outcomes:simulate",
        "Draw a campaign's outcomes from a known truth (demo and tests; documented in "
        "models/uplift/simulation.py).",
    ),
    "api": (
        "crm_agents.cli.api:api",
        "Serve the HTTP API alone (`python app.py` serves it beside the app).",
    ),
    "api-keys": ("crm_agents.cli.api:keys_app", "API keys: create, list, revoke."),
    "webhooks": (
        "crm_agents.cli.api:webhooks_app",
        "Webhook deliveries: send those due, send one again.",
    ),
    "serve": ("crm_agents.cli.analysis:serve", "Launch the app (the same as `python app.py`)."),
}


def load_command(name: str) -> typer.models.CommandInfo | typer.Typer | object:
    """The function or Typer group `name` runs, imported now."""
    module, _, attribute = COMMANDS[name][0].partition(":")
    return getattr(importlib.import_module(module), attribute)


class LazyGroup(TyperGroup):
    """A group whose commands are imported when one is run, not when the help is shown."""

    _listing = False

    def list_commands(self, ctx) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx, cmd_name: str):
        if cmd_name not in COMMANDS:
            return None
        if self._listing:  # the group's help: the line from the table, nothing imported
            short = COMMANDS[cmd_name][1]
            return TyperCommand(name=cmd_name, help=short, short_help=short)
        found = load_command(cmd_name)
        if isinstance(found, typer.Typer):
            command = typer.main.get_group(found)
        else:
            single = typer.Typer()
            single.command(cmd_name)(found)
            command = typer.main.get_command(single)
        command.name = cmd_name
        return command

    def format_help(self, ctx, formatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    cls=LazyGroup,
    help="Churn risk, reasons and retention offers for CRM teams.",
    no_args_is_help=True,
)


@app.callback()
def _group() -> None:
    """Churn risk, reasons and retention offers for CRM teams."""


if __name__ == "__main__":
    app()
