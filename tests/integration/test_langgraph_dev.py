"""`langgraph dev` serves both graphs from the shipped `langgraph.json`, as a developer runs it.

One server for the module: it loads the graphs the way it always does (by file path, reading a
module attribute), so this is the check that the entry point works outside our own imports.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from app_server import free_port

from core.settings import Settings
from crm_agents.composition import build_service

ROOT = Path(__file__).resolve().parents[2]
LANGGRAPH = Path(sys.executable).with_name("langgraph")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not LANGGRAPH.exists():
        pytest.skip("langgraph-cli[inmem] is not installed (make install adds it)")
    state = tmp_path_factory.mktemp("langgraph-dev")
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("CRM_", "OPENAI_", "LANGSMITH_"))
    }
    small = {
        "CRM_STATE_DIR": str(state),
        "CRM_RAW_DIR": str(state / "raw"),
        "CRM_SYNTHETIC_ROWS": "800",
        "CRM_MODEL": "logistic_baseline",
        "CRM_CV_FOLDS": "2",
        "CRM_CV_REPEATS": "1",
        "CRM_N_JOBS": "1",
    }
    env.update(small)
    port = free_port()
    log = (state / "server.log").open("w")
    process = subprocess.Popen(
        [str(LANGGRAPH), "dev", "--no-browser", "--no-reload", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    while True:
        try:
            with urllib.request.urlopen(f"{url}/ok", timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("langgraph dev did not start:\n" + (state / "server.log").read_text())
            time.sleep(1)
    settings = Settings(**{k[4:].lower(): v for k, v in small.items()})
    scored = build_service(settings).scores()  # the model the server trained, read back
    ids = {
        level: scored.loc[scored["risk_level"] == level, "customerID"].iloc[0]
        for level in ("high", "low")
    }
    from langgraph_sdk import get_sync_client

    yield get_sync_client(url=url), ids, state / "server.log"
    process.terminate()
    process.wait(timeout=30)
    log.close()


def _assistant(client, graph_id: str) -> str:
    return next(a["assistant_id"] for a in client.assistants.search() if a["graph_id"] == graph_id)


@pytest.mark.parametrize("graph_id", ["analysis", "chat"])
def test_both_graphs_publish_typed_input_output_and_context_schemas(server, graph_id):
    client, _, _ = server
    schemas = client.assistants.get_schemas(_assistant(client, graph_id))
    context = schemas["context_schema"]["properties"]
    assert set(context) == {
        "review",
        "language",
        "backend",
        "risk_high",
        "risk_medium",
        "value_high",
        "value_mid",
    }
    assert context["language"]["anyOf"][0]["enum"] == ["en", "zh-TW"]
    assert schemas["input_schema"]["properties"] and schemas["output_schema"]["properties"]
    if graph_id == "analysis":
        assert set(schemas["input_schema"]["properties"]) == {"customer_id"}
        assert "risk" in schemas["output_schema"]["properties"]


def test_an_analysis_runs_without_a_context(server):
    client, ids, _ = server
    thread = client.threads.create()["thread_id"]
    result = client.runs.wait(thread, "analysis", input={"customer_id": ids["high"]})
    assert result["customer_id"] == ids["high"] and result["language"] == "en"
    assert [step["node"] for step in result["trace"]] == [
        "analyst",
        "reasoning",
        "campaign",
        "communication",
    ]


def test_an_analysis_pauses_for_approval_and_resumes_with_a_decision(server):
    client, ids, _ = server
    thread = client.threads.create()["thread_id"]
    client.runs.wait(thread, "analysis", input={"customer_id": ids["high"]})
    paused = client.threads.get(thread)
    assert paused["status"] == "interrupted"
    (request,) = [
        i["value"] for task in client.threads.get_state(thread)["tasks"] for i in task["interrupts"]
    ]
    assert request["config"]["allow_edit"] and request["action_request"]["args"]["sms"]
    answer = {"type": "accept", "by": "studio-user", "at": "2027-01-04T09:00:00+00:00"}
    result = client.runs.wait(thread, "analysis", command={"resume": answer})
    assert result["approval"]["decision"] == "accept"
    assert result["approval"]["by"] == "studio-user"
    assert client.threads.get(thread)["status"] == "idle"


def test_a_second_run_on_the_thread_shows_only_the_second_customer_in_its_language(server):
    client, ids, log = server
    thread = client.threads.create()["thread_id"]
    client.runs.wait(thread, "analysis", input={"customer_id": ids["high"]})
    second = client.runs.wait(
        thread, "analysis", input={"customer_id": ids["low"]}, context={"language": "zh-TW"}
    )
    assert second["customer_id"] == ids["low"] and second["language"] == "zh-TW"
    assert second["campaign"] is None and second["communications"] is None
    assert [step["node"] for step in second["trace"]] == ["analyst", "reasoning"]
    assert ids["high"] not in json.dumps(second)
    assert "Traceback" not in log.read_text()


@pytest.mark.parametrize("context", [None, {"language": "zh-TW", "backend": "offline"}])
def test_a_chat_turn_runs_with_and_without_a_context(server, context):
    client, ids, _ = server
    thread = client.threads.create()["thread_id"]
    question = {"messages": [{"role": "user", "content": f"{ids['high']}?"}]}
    result = client.runs.wait(thread, "chat", input=question, context=context)
    answer = result["messages"][-1]["content"]
    assert ids["high"] in answer
    assert ("流失" in answer) == (context is not None)
