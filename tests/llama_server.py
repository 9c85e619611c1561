"""Start llama-cpp-python's OpenAI-compatible server on 127.0.0.1 (for the `llm_server` tests
and the streaming benchmark). `make test-llm` builds the server and the Gemma 3 270M model and
names them in LLAMA_SERVER_PYTHON and LLAMA_SERVER_MODEL."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app_server import free_port

SERVER_PYTHON = os.environ.get("LLAMA_SERVER_PYTHON", "")
MODEL = os.environ.get("LLAMA_SERVER_MODEL", "")


def available() -> bool:
    return bool(SERVER_PYTHON and Path(SERVER_PYTHON).exists() and MODEL and Path(MODEL).exists())


class ServerDidNotStart(RuntimeError):
    pass


@contextmanager
def llama_server(log: Path) -> Iterator[str]:
    """The server's base URL (`…/v1`) while it runs; its output goes to `log`."""
    port = free_port()
    command = [
        SERVER_PYTHON,
        "-m",
        "llama_cpp.server",
        "--model",
        MODEL,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        # A base model with no chat template: a format whose template handles tool calls.
        "--chat_format",
        "chatml-function-calling",
        "--n_ctx",
        "4096",
        # Keep evaluated prompts: the chat's instructions and tool schemas (~1,500 tokens, 9 s
        # of prompt evaluation on 2 cores) are evaluated once, not on every question.
        "--cache",
        "true",
    ]
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{url}/models", timeout=2).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise ServerDidNotStart(log.read_text()[-2000:]) from None
                time.sleep(1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # still busy generating: stop it
            process.kill()
            process.wait()
