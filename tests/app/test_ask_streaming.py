"""The Ask tab shows a turn as it happens: the question at once, each tool call while it runs,
an LLM's answer token by token; offline answers arrive whole."""

from __future__ import annotations

import json

import pytest
from app_server import app_settings, start
from fake_openai import FakeOpenAI, Reply
from gradio_client import Client

pytestmark = pytest.mark.slow

ANSWER = "This customer is likely to leave: call them this week with the retention offer."


@pytest.fixture(scope="module")
def llm():
    server = FakeOpenAI(token_delay=0.02).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def client(tmp_path_factory, llm):
    settings = app_settings(tmp_path_factory.mktemp("streaming")).model_copy(
        update={"openai_base_url": llm.base_url, "llm_model": "streaming-test", "llm_timeout": 5}
    )
    demo, url = start(settings)
    yield Client(url, verbose=False)
    demo.close()


def _text(content) -> str:
    """A message's text; Gradio sends it as a list of typed parts."""
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


def _answers(history: list[dict]) -> list[str]:
    return [
        _text(m["content"]) for m in history if m["role"] == "assistant" and not m.get("metadata")
    ]


def _updates(client, question: str) -> list[list[dict]]:
    job = client.submit(question, "", "en", api_name="/ask")
    job.result()
    return [history for history, *_ in job.outputs()]


def test_an_llm_answer_is_shown_growing_after_the_running_tool_call(client, llm):
    customer = client.predict("high", api_name="/random_customer")
    arguments = json.dumps({"customer_id": customer})
    call = {
        "id": "c1",
        "type": "function",
        "function": {"name": "predict_churn", "arguments": arguments},
    }
    llm.script("chat", Reply(tool_calls=[call]), Reply(ANSWER))
    updates = _updates(client, f"Is {customer} leaving?")
    assert [m["role"] for m in updates[0]][-1] == "user"  # the question first, nothing else
    statuses = [(m.get("metadata") or {}).get("status") for history in updates for m in history]
    assert "pending" in statuses  # the tool call was shown while it ran
    partial = [a for history in updates for a in _answers(history) if a != ANSWER]
    assert partial and all(ANSWER.startswith(a) for a in partial)
    assert _answers(updates[-1])[-1] == ANSWER


def test_a_streamed_figure_no_tool_produced_is_never_shown(client, llm):
    llm.script("chat", Reply("The model is right 99.97 percent of the time, always."))
    updates = _updates(client, "How good is the model?")
    shown = [a for history in updates for a in _answers(history)]
    assert not any("99.97" in a for a in shown)
    final = updates[-1]
    assert any("LLM" in str((m.get("metadata") or {}).get("title")) for m in final)
