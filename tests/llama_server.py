"""Start llama-cpp-python's OpenAI-compatible server on 127.0.0.1 (for the `llm_server` tests
and the LLM benchmarks). `make test-llm` builds the server and the Gemma 3 270M model and names
them in LLAMA_SERVER_PYTHON and LLAMA_SERVER_MODEL.

Memory: the server's defaults keep the logits of every position (`logits_all`, for logprobs,
which nothing here asks for): n_ctx × 262,144 vocabulary × 4 bytes = 4 GiB at n_ctx 4096, and
its prompt cache saves a copy of them with every cached prompt while counting only the model
state against its size limit (three chat turns took the server past 23 GB). So: `logits_all`
off and no prompt cache. The server still reuses the longest prefix a request shares with the
one before (its KV cache), which is what consecutive chat turns need.

Before any test talks to it, the server must answer one short completion: a server that crashes
on its first completion (the native build's AMX kernels did, with SIGSEGV) fails loudly here with
its exit status and the end of its log, instead of leaving the tests to run against a dead
process."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app_server import free_port

SERVER_PYTHON = os.environ.get("LLAMA_SERVER_PYTHON", "")
MODEL = os.environ.get("LLAMA_SERVER_MODEL", "")
#: Set to 1 to kill the server right after its smoke completion: every `llm_server` test must
#: then fail (`LLAMA_SERVER_STOP_AFTER_SMOKE=1 make test-llm` shows that they can).
STOP_AFTER_SMOKE = os.environ.get("LLAMA_SERVER_STOP_AFTER_SMOKE") == "1"
#: Seconds the server may take to load the model, and then to answer the smoke completion.
START_S, SMOKE_S = 120, 120


def configured() -> bool:
    """True when `make test-llm` (or a person) named a server and a model to test against."""
    return bool(SERVER_PYTHON or MODEL)


def missing() -> list[str]:
    """What of the configured server and model is not there (empty when both are)."""
    named = {"LLAMA_SERVER_PYTHON": SERVER_PYTHON, "LLAMA_SERVER_MODEL": MODEL}
    return [
        f"{name}={value!r} (no such file)" if value else f"{name} is not set"
        for name, value in named.items()
        if not value or not Path(value).exists()
    ]


def available() -> bool:
    return configured() and not missing()


class ServerDidNotStart(RuntimeError):
    pass


@dataclass
class RunningServer:
    url: str  # …/v1
    process: subprocess.Popen
    log: Path

    def peak_resident_bytes(self) -> int:
        """The server's peak resident memory so far (Linux's VmHWM)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kib = re.search(r"^VmHWM:\s+(\d+) kB", status, flags=re.M)
        return int(kib.group(1)) * 1024 if kib else 0

    def stop(self) -> None:
        """Stop the server now (what the tests do to show they fail without it)."""
        self.process.kill()
        self.process.wait()


def build_features(log_text: str) -> dict[str, str]:
    """The CPU features the server's llama.cpp was built with, from its start-up log
    (`CPU : SSE3 = 1 | AVX2 = 1 | … |`)."""
    listed = re.search(r"\bCPU\s*:\s*((?:\w+ = \w+ \|\s*)+)", log_text)
    return dict(re.findall(r"(\w+) = (\w+)", listed.group(1))) if listed else {}


def crash_paths(log_text: str) -> list[str]:
    """What in the start-up log shows a build that can take the path that crashed: AMX kernels
    or repacked weight buffers, compiled in or holding the model."""
    features = build_features(log_text)
    found = [f"built with {f}" for f in features if f.startswith("AMX") or f == "REPACK"]
    found += [
        f"model weights in a {kind} buffer"
        for kind in ("AMX", "CPU_REPACK")
        if re.search(rf"\b{kind} model buffer size", log_text)
    ]
    return found


def _describe_exit(code: int) -> str:
    if code < 0:
        return f"was killed by {signal.Signals(-code).name}"
    return f"exited with status {code}" + (" (a crash)" if code >= 128 else "")


def _smoke_completion(url: str, process: subprocess.Popen, log: Path) -> None:
    """One short completion: the server must answer it with at least one generated token."""
    body = {
        "model": "smoke",
        "messages": [{"role": "user", "content": "Say hello."}],
        "max_tokens": 4,
        "temperature": 0,
    }
    request = urllib.request.Request(
        f"{url}/chat/completions",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        answer = json.loads(urllib.request.urlopen(request, timeout=SMOKE_S).read())
    except OSError as err:
        time.sleep(0.5)  # let a crashing process finish dying, so its status can be read
        code = process.poll()
        why = f"the server {_describe_exit(code)}" if code is not None else f"{err}"
        raise ServerDidNotStart(
            f"the llama.cpp server did not answer its first completion: {why}\n"
            + log.read_text(errors="replace")[-3000:]
        ) from None
    generated = (answer.get("usage") or {}).get("completion_tokens", 0)
    if not answer.get("choices") or generated < 1:
        raise ServerDidNotStart(f"the first completion generated nothing: {answer}")


@contextmanager
def llama_server(log: Path, extra_args: tuple[str, ...] = ()) -> Iterator[RunningServer]:
    """The running server; its output goes to `log`. `extra_args` are added to the command line
    (the benchmarks compare settings with them)."""
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
        # Only the last position's logits (see the module's docstring).
        "--logits_all",
        "false",
        *extra_args,
    ]
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + START_S
        while True:
            try:
                urllib.request.urlopen(f"{url}/models", timeout=2).read()
                break
            except OSError:
                code = process.poll()
                if code is not None or time.monotonic() > deadline:
                    why = _describe_exit(code) if code is not None else f"not up in {START_S} s"
                    raise ServerDidNotStart(
                        f"the llama.cpp server {why}\n" + log.read_text(errors="replace")[-2000:]
                    ) from None
                time.sleep(1)
        _smoke_completion(url, process, log)
        server = RunningServer(url, process, log)
        if STOP_AFTER_SMOKE:
            server.stop()
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # still busy generating: stop it
            process.kill()
            process.wait()
