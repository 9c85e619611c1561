"""Every word a user reads comes through the phrase catalogue: a pseudo-language added at run
time (`en-XA`: each phrase of English with its vowels accented) drives Analyze, the chat, the
Portfolio and the command line's report, and no plain English word is left on any of them."""

from __future__ import annotations

import re

import pytest
from app_server import app_settings, start
from gradio_client import Client
from shown_text import shown_texts
from typer.testing import CliRunner

from core.i18n import CATALOGUE, add_language, remove_language
from core.languages import BASE_LANGUAGE, LanguageSpec, languages

pytestmark = pytest.mark.slow

PSEUDO = LanguageSpec("en-XA", "Pseudo English", "latin", "gsm7")
# Accented letters of the GSM-7 alphabet, so that the pseudo-language's SMS fit as English do.
_ACCENTED = str.maketrans("aeiouAEOUnNC", "àéìòùÄÉÖÜñÑÇ")
# What a phrase holds that is not words: placeholders, HTML tags and entities, Markdown links.
_NOT_WORDS = re.compile(r"(\{[^{}]*\}|<[^<>]*>|&#?\w+;|\]\([^)]*\))")
# A word of plain letters with a plain vowel: English the catalogue did not word (acronyms such
# as ROC-AUC or SMS carry no lower-case vowel and are kept as they are in every language).
_PLAIN_WORD = re.compile(r"(?<![\w])[A-Za-z]*[aeiou][A-Za-z]*(?![\w])")


# What a tool step shows as data: its arguments and its JSON result.
_DATA = re.compile(r"```json.*?```|\{[^{}]*\}", re.S)


def pseudo(phrase: str) -> str:
    return "".join(
        part if _NOT_WORDS.fullmatch(part) else part.translate(_ACCENTED)
        for part in _NOT_WORDS.split(phrase)
    )


@pytest.fixture(scope="module")
def pseudo_language():
    phrases = {key: pseudo(value) for key, value in CATALOGUE[BASE_LANGUAGE].items()}
    names = {lang: "Pseudo English" for lang in languages()} | {"en-XA": pseudo("Pseudo English")}
    add_language(PSEUDO, phrases, names)
    yield PSEUDO.code
    remove_language(PSEUDO.code)


@pytest.fixture(scope="module")
def app(tmp_path_factory, pseudo_language):
    settings = app_settings(tmp_path_factory.mktemp("pseudo"))
    demo, url = start(settings)  # built after the language was added: its switch offers it
    yield settings, Client(url, verbose=False)
    demo.close()


def english_left(texts: list[str]) -> list[str]:
    """Plain English words in `texts` (a customer ID's letters or a data file name aside)."""
    found = set()
    for text in texts:
        text = _DATA.sub(" ", text)
        text = re.sub(r"<[^<>]*>", " ", text)  # HTML tags and their attributes
        text = text.replace("_", " ")  # an identifier's words are words too
        text = re.sub(r"\b\d{3,5}-[A-Z0-9]{1,8}\b", " ", text)  # customer IDs
        text = re.sub(r"https?://\S+|/\S+\.\w+", " ", text)  # links and file paths
        found.update(w for w in _PLAIN_WORD.findall(text) if len(w) >= 3)
    return sorted(found)


def pseudo_words(texts: list[str]) -> int:
    """How many words of the pseudo-language `texts` hold (proof the check read real text)."""
    return sum(len(re.findall(r"\w*[àéìòù]\w*", text)) for text in texts)


def _customer(client: Client, level: str) -> str:
    return client.predict(level, api_name="/random_customer")


@pytest.mark.parametrize("level", ["high", "low"])
def test_analyze_shows_no_word_outside_the_catalogue(app, level):
    from ui.tabs.analyze import OUTPUTS

    _, client = app
    out = client.predict(_customer(client, level), "en-XA", api_name="/analyze")
    # Data shown as data, and files (their names).
    raw = {"trace_json", "last_result", "trace_tools", "trace_llm", "download"}
    raw |= {"email_file", "sms_file", "script_file"}
    left = {
        name: english_left(shown_texts(value))
        for name, value in zip(OUTPUTS, out, strict=False)
        if name not in raw and english_left(shown_texts(value))
    }
    print("LEFT", left)
    assert left == {}
    assert pseudo_words([t for value in out for t in shown_texts(value)]) > 50


def test_the_portfolio_shows_no_word_outside_the_catalogue(app):
    _, client = app
    out = client.predict("probability", "high", "any", 20, "en-XA", api_name="/portfolio")
    assert english_left(shown_texts(out)) == []
    assert pseudo_words(shown_texts(out)) > 10


@pytest.mark.parametrize(
    "question",
    [
        "Why is {customer} likely to leave?",
        "What should we offer {customer}?",
        "How good is the model?",
        "What is the churn rate by contract?",
        "Who is most likely to leave within 90 days?",
    ],
)
def test_the_chat_answers_with_no_word_outside_the_catalogue(app, question):
    _, client = app
    asked = question.format(customer=_customer(client, "high"))
    history, *_ = client.predict(asked, "", "en-XA", api_name="/ask")
    answers = [m for m in history if m["role"] == "assistant"]
    assert answers
    shown = [text for m in answers for text in shown_texts(m["content"])]
    shown += [str((m.get("metadata") or {}).get("title", "")) for m in answers]
    assert english_left(shown) == []
    assert pseudo_words(shown) > 3


def test_the_command_line_report_shows_no_word_outside_the_catalogue(app, monkeypatch):
    from crm_agents.cli.main import app as cli

    settings, client = app
    for name in ("raw_dir", "artifacts_dir", "synthetic_rows", "model", "cv_folds", "cv_repeats"):
        monkeypatch.setenv(f"CRM_{name.upper()}", str(getattr(settings, name)))
    monkeypatch.setenv("CRM_STATE_DIR", str(settings.artifacts_dir.parent / "cli-state"))
    result = CliRunner().invoke(cli, ["analyze", _customer(client, "high"), "--lang", "en-XA"])
    assert result.exit_code == 0, result.output
    assert english_left([result.stdout]) == []
    assert pseudo_words([result.stdout]) > 50


def test_the_pseudo_language_is_spoken_only_while_added(pseudo_language):
    assert pseudo_language in languages()
    assert english_left([pseudo("Why this customer may leave")]) == []
    assert english_left(["Why this customer may leave"]) == ["customer", "leave", "may", "this"]
