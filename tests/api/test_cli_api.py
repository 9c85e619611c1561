"""`crm-agents api-keys create|list|revoke`: a key is shown once, kept only as a hash, listed
without its secret, and refused by the API once revoked. `crm-agents webhooks deliver|replay`:
the outbox sent where no server runs."""

from __future__ import annotations

import re

from typer.testing import CliRunner
from webhook_receiver import Receiver

from core.settings import Settings
from crm_agents.cli.main import app
from crm_agents.store.api_keys import verify_key
from crm_agents.store.database import open_store
from crm_agents.store.outbox import deliveries, emit_now, subscribe
from crm_agents.webhooks import subscription_secret, verify
from tests.cli_env import use_demo_cli

runner = CliRunner()
KEY = re.compile(r"crm_[0-9a-f]{12}_[A-Za-z0-9_-]{43}")


def _db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'keys.db'}"


def _create(tmp_path, *args: str) -> str:
    made = runner.invoke(
        app, ["api-keys", "create", "Marketing cloud", *args, "--db", _db(tmp_path)]
    )
    assert made.exit_code == 0, made.output
    return KEY.search(made.output).group(0)


def test_a_created_key_is_shown_once_and_works_with_its_scopes(tmp_path, monkeypatch):
    use_demo_cli(tmp_path, monkeypatch)
    token = _create(tmp_path, "--scopes", "read,approve")
    key = verify_key(open_store(_db(tmp_path)), token)
    assert key is not None and key.scopes == ("read", "approve")
    secret = token.split("_", 2)[2]
    listed = runner.invoke(app, ["api-keys", "list", "--db", _db(tmp_path)])
    assert key.id in listed.output and "Marketing cloud" in listed.output
    assert secret not in listed.output
    assert secret.encode() not in (tmp_path / "keys.db").read_bytes()


def test_a_revoked_key_no_longer_verifies(tmp_path, monkeypatch):
    use_demo_cli(tmp_path, monkeypatch)
    token = _create(tmp_path)
    key_id = token.split("_")[1]
    revoked = runner.invoke(app, ["api-keys", "revoke", key_id, "--db", _db(tmp_path)])
    assert revoked.exit_code == 0 and key_id in revoked.output
    assert verify_key(open_store(_db(tmp_path)), token) is None
    listed = runner.invoke(app, ["api-keys", "list", "--lang", "zh-TW", "--db", _db(tmp_path)])
    assert "已於" in listed.output and "撤銷" in listed.output


def test_an_unknown_scope_is_refused_naming_those_accepted(tmp_path, monkeypatch):
    use_demo_cli(tmp_path, monkeypatch)
    made = runner.invoke(
        app, ["api-keys", "create", "x", "--scopes", "read,write", "--db", _db(tmp_path)]
    )
    assert made.exit_code == 2
    assert "write" in made.output and "analyse" in made.output and "admin" in made.output
    assert not KEY.search(made.output)


def test_revoking_an_unknown_key_says_so(tmp_path, monkeypatch):
    use_demo_cli(tmp_path, monkeypatch)
    answer = runner.invoke(app, ["api-keys", "revoke", "0123456789ab", "--db", _db(tmp_path)])
    assert answer.exit_code == 2 and "0123456789ab" in answer.output


def test_webhooks_deliver_sends_the_outbox_where_no_server_runs(tmp_path, monkeypatch):
    use_demo_cli(tmp_path, monkeypatch)
    monkeypatch.setenv("CRM_WEBHOOK_SIGNING_KEY", "cli-signing-key-0123456789")
    receiver = Receiver()
    try:
        store = open_store(_db(tmp_path))
        hook = subscribe(store, receiver.url, ["outcomes.imported"], "test")
        emit_now(store, "outcomes.imported", {"campaign_id": 7, "retained": 3})
        sent = runner.invoke(app, ["webhooks", "deliver", "--db", _db(tmp_path)])
        assert sent.exit_code == 0 and "1" in sent.output
        arrived = receiver.wait_for(1)[0]
        secret = subscription_secret(Settings(), hook.id)
        assert verify(secret, arrived.headers, arrived.body)
        delivery = deliveries(store, hook.id)[0]
        assert delivery.status == "delivered"
        again = runner.invoke(app, ["webhooks", "replay", delivery.id, "--db", _db(tmp_path)])
        assert again.exit_code == 0
        runner.invoke(app, ["webhooks", "deliver", "--db", _db(tmp_path)])
        assert len(receiver.wait_for(2)) == 2
    finally:
        receiver.close()
