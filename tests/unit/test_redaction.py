"""Secrets are removed by value, in whatever shape an upstream error quotes them: whole, any run
of 8 or more of their characters, masked, unprefixed, or a database password."""

from __future__ import annotations

import pytest

from core.redaction import RUN, Redactor
from core.settings import Settings

KEY = "a1b2c3d4e5f6a7b8c9d08f90"


@pytest.fixture
def settings() -> Settings:
    return Settings(
        app_auth="admin:hunter2hunter2",
        openai_api_key=KEY,
        database_url="postgresql+psycopg://crm:s3cret%2Dpass-word@db:5432/crm",
        webhook_signing_key="9f8e7d6c5b4a39281706f5e4d3c2b1a0",
    )


@pytest.mark.parametrize(
    "quoted",
    [
        KEY,  # whole, with no known prefix
        "a1b2********8f90",  # masked as OpenAI-style servers do
        "a1b2c3d4...",  # its first run of 8
        "c3d4e5f6a7b8",  # a run from the middle
        "…8c9d08f90",  # its end
    ],
)
def test_an_api_key_quoted_in_any_shape_is_removed(settings, quoted):
    cleaned = settings.redact(f"Error code: 401 - Incorrect API key provided: {quoted}.")
    assert "[secret]" in cleaned
    for start in range(len(KEY) - 3):
        assert KEY[start : start + 4] not in cleaned.replace("[secret]", "")


def test_a_database_password_is_removed_as_written_and_decoded(settings):
    cleaned = settings.redact("FATAL: password s3cret-pass-word rejected; url had s3cret%2Dpass")
    assert "s3cret" not in cleaned


def test_the_webhook_signing_key_is_removed_whole_or_in_part(settings):
    cleaned = settings.redact("signing with 9f8e7d6c5b4a39281706f5e4d3c2b1a0 (…5b4a392817…)")
    assert "9f8e7d6c" not in cleaned and "5b4a3928" not in cleaned


def test_the_app_password_alone_is_removed(settings):
    assert "hunter2" not in settings.redact("login hunter2hunter2 refused")


def test_text_with_no_secret_is_left_as_it_is(settings):
    text = "Customer 7590-VHVEG: 79.2% chance of leaving; offer costs $78.60 (a1b2 is short)."
    assert settings.redact(text) == text


def test_a_run_shorter_than_the_threshold_is_not_a_quote():
    redactor = Redactor(["abcdefghijklmnop"])
    assert redactor(f"see {'abcdefghijklmnop'[: RUN - 1]}") == f"see {'abcdefg'}"
    assert "[secret]" in redactor(f"see {'abcdefghijklmnop'[3 : 3 + RUN]}")


def test_stars_between_words_that_are_no_secret_are_left_alone():
    redactor = Redactor([KEY])
    assert redactor("rating: good****great") == "rating: good****great"
