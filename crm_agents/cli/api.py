"""`crm-agents api` serves the HTTP API alone; `crm-agents api-keys create|list|revoke` manages
the keys integrators call it with (kept hashed in the results database; a new key is shown
once); `crm-agents webhooks deliver|replay` sends the webhook outbox where no server runs."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer

from core.i18n import t
from crm_agents.cli.common import (
    DataOption,
    DbOption,
    LanguageOption,
    clear_errors,
    out,
    results_url,
    say,
    settings_with,
)
from crm_agents.store.api_keys import ApiKey, create_key, list_keys, parse_scopes, revoke_key
from crm_agents.store.database import open_store
from crm_agents.store.outbox import replay
from crm_agents.webhooks import deliver_due

keys_app = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)
webhooks_app = typer.Typer(
    help="Webhook deliveries: send those due, send one again.", no_args_is_help=True
)


@keys_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="What the key is for, e.g. the system calling")],
    scopes: Annotated[
        str, typer.Option(help="Comma-separated: read, analyse, approve, admin")
    ] = "read",
    db: DbOption = None,
    lang: LanguageOption = None,
) -> None:
    """Make a key; it is printed once, on its own line (keep it secret)."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        engine = open_store(results_url(db, settings))
        given = parse_scopes(scopes)
        key = create_key(engine, name, given, getpass.getuser())
        key_id = key.split("_")[1]
        say(settings, "api.keys.created", id=key_id, name=name.strip(), scopes=", ".join(given))
        out.print(key, highlight=False, soft_wrap=True)


def _when(moment, lang: str) -> str:
    return t("api.keys.never", lang) if moment is None else f"{moment:%Y-%m-%d %H:%M}"


def _line(key: ApiKey, lang: str) -> str:
    """One key on one line (its ID whole, to copy), each part labelled in `lang`."""
    state = (
        t("api.keys.live", lang)
        if key.revoked is None
        else t("api.keys.revoked_on", lang, when=_when(key.revoked, lang))
    )
    parts = [
        (t("api.keys.scopes", lang), ", ".join(key.scopes)),
        (t("api.keys.created_on", lang), f"{_when(key.created, lang)} ({key.created_by})"),
        (t("api.keys.last_used", lang), _when(key.last_used, lang)),
        (t("api.keys.state", lang), state),
    ]
    labelled = [t("format.labelled", lang, label=label, value=value) for label, value in parts]
    return "  ".join([key.id, key.name, " · ".join(labelled)])


@keys_app.command("list")
def list_command(db: DbOption = None, lang: LanguageOption = None) -> None:
    """Every key with its scopes, when it was last used, and whether it is revoked (never a
    secret: only the key's ID, its public part)."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        keys = list_keys(open_store(results_url(db, settings)))
        if not keys:
            say(settings, "api.keys.none")
            return
        for key in keys:
            out.print(_line(key, settings.language), highlight=False, markup=False)


@keys_app.command("revoke")
def revoke(
    key_id: Annotated[str, typer.Argument(help="The key's ID (see list), or the key itself")],
    db: DbOption = None,
    lang: LanguageOption = None,
) -> None:
    """Refuse every request with the key from now on."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        key = revoke_key(open_store(results_url(db, settings)), key_id)
        say(settings, "api.keys.revoked", id=key.id, name=key.name)


def api(
    data: DataOption = None,
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default 8000)")] = None,
    db: DbOption = None,
) -> None:
    """Serve the HTTP API alone (`python app.py` serves it beside the app)."""
    with clear_errors():
        overrides = {"data_path": data, "api_host": host, "api_port": port}
        settings = settings_with(**overrides)
        from crm_agents.api.serving import serve  # FastAPI and uvicorn load only here

        serve(settings, db)


@webhooks_app.command("deliver")
def deliver(db: DbOption = None, lang: LanguageOption = None) -> None:
    """Send every webhook delivery that is due now (a running app or API does this by itself;
    this is for the batch and the CLI on a machine where none runs)."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        sent = deliver_due(open_store(results_url(db, settings)), settings)
        say(settings, "webhooks.delivered", count=f"{sent:,}")


@webhooks_app.command("replay")
def replay_command(
    delivery_id: Annotated[str, typer.Argument(help="The delivery's id (msg_…)")],
    db: DbOption = None,
    lang: LanguageOption = None,
) -> None:
    """Send a delivered or failed delivery again, with the same webhook-id."""
    with clear_errors(lang):
        settings = settings_with(language=lang)
        replay(open_store(results_url(db, settings)), delivery_id)
        say(settings, "webhooks.replayed", id=delivery_id)
