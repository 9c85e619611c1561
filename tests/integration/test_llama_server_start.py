"""How the LLM-server tests start their server (`tests/llama_server.py`): a server that cannot
answer fails loudly with the reason, and a build that can take the crashing path is named.

A stand-in for llama-cpp-python's server (a package `llama_cpp.server` on PYTHONPATH) lists its
model, then dies as the native build did on AMX CPUs: SIGSEGV on the first completion."""

from __future__ import annotations

import sys
import textwrap

import llama_server
import pytest

_CRASHING_SERVER = textwrap.dedent(
    """
    import os, signal, sys
    from http.server import BaseHTTPRequestHandler, HTTPServer

    port = int(sys.argv[sys.argv.index("--port") + 1])

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            body = b'{"object": "list", "data": [{"id": "m"}]}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            print("ggml_compute_forward: AMX tile", flush=True)
            os.kill(os.getpid(), signal.SIGSEGV)

    print("system_info: CPU : SSE3 = 1 | AVX2 = 1 | AMX_INT8 = 1 | REPACK = 1 |", flush=True)
    HTTPServer(("127.0.0.1", port), Handler).serve_forever()
    """
)


@pytest.fixture
def crashing_server(tmp_path, monkeypatch):
    package = tmp_path / "llama_cpp" / "server"
    package.mkdir(parents=True)
    (tmp_path / "llama_cpp" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "__main__.py").write_text(_CRASHING_SERVER)
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    monkeypatch.setattr(llama_server, "SERVER_PYTHON", sys.executable)
    monkeypatch.setattr(llama_server, "MODEL", str(model))
    return tmp_path


def test_a_server_that_crashes_on_its_first_completion_fails_with_the_signal(crashing_server):
    with (
        pytest.raises(llama_server.ServerDidNotStart, match="killed by SIGSEGV"),
        llama_server.llama_server(crashing_server / "server.log"),
    ):
        pytest.fail("the tests were handed a server that cannot answer")


def test_the_failure_carries_the_end_of_the_servers_log(crashing_server):
    with (
        pytest.raises(llama_server.ServerDidNotStart) as failure,
        llama_server.llama_server(crashing_server / "server.log"),
    ):
        pass
    assert "AMX tile" in str(failure.value)


def test_a_build_with_amx_kernels_or_repacking_is_named_from_its_start_up_log():
    native = (
        "system_info: n_threads = 2 | CPU : SSE3 = 1 | AVX2 = 1 | AMX_INT8 = 1 | REPACK = 1 |\n"
        "load_tensors:   CPU_REPACK model buffer size =   120.00 MiB\n"
        "load_tensors:          AMX model buffer size =    60.00 MiB\n"
    )
    assert llama_server.crash_paths(native) == [
        "built with AMX_INT8",
        "built with REPACK",
        "model weights in a AMX buffer",
        "model weights in a CPU_REPACK buffer",
    ]


def test_the_portable_builds_start_up_log_shows_no_crash_path():
    portable = (
        "CPU : SSE3 = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | OPENMP = 1 | \n"
        "load_tensors:   CPU_Mapped model buffer size =   235.16 MiB\n"
    )
    assert llama_server.build_features(portable)["AVX2"] == "1"
    assert llama_server.crash_paths(portable) == []


def test_a_server_asked_for_but_not_built_is_named_not_skipped(monkeypatch):
    monkeypatch.setattr(llama_server, "SERVER_PYTHON", "/nowhere/python")
    monkeypatch.setattr(llama_server, "MODEL", "")
    assert llama_server.configured()
    assert llama_server.missing() == [
        "LLAMA_SERVER_PYTHON='/nowhere/python' (no such file)",
        "LLAMA_SERVER_MODEL is not set",
    ]
