"""A real OpenAI-protocol HTTP server on 127.0.0.1, scripted per test.

It answers `POST /v1/chat/completions` like the OpenAI API: JSON-schema structured output
(`response_format`), function/tool calls (`tools`), and usage counts. A test queues replies per
schema name (e.g. "AnalystDraft"); anything unscripted gets `default`, which by default writes a
grounded draft from the facts in the prompt. Faults: HTTP status codes, hangs, malformed JSON,
schema-violating and ungrounded answers.

Token counts are estimated (no tokenizer files offline): ASCII characters / 4, plus one token
per non-ASCII character, over the messages, the schema or tools sent, and the answer.
"""

from __future__ import annotations

import json
import math
import re
import select
import socket
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def estimate_tokens(text: str) -> int:
    ascii_chars = sum(1 for c in text if ord(c) < 128)
    return math.ceil(ascii_chars / 4) + (len(text) - ascii_chars)


@dataclass
class Reply:
    content: Any = None  # dict → JSON answer; str → sent verbatim as the message content
    status: int = 200
    hang: float = 0.0
    tool_calls: list[dict] | None = None
    finish: str = "stop"  # "length": the answer was cut at the token limit

    @classmethod
    def error(cls, status: int) -> Reply:
        return cls(status=status)

    @classmethod
    def hanging(cls, seconds: float) -> Reply:
        return cls(hang=seconds)


Responder = Callable[[str, dict, dict], Reply]


def _until_the_client_leaves(connection: socket.socket, seconds: float) -> float | None:
    """Wait `seconds` as a busy server would; the seconds after which the client closed the
    connection, or None when it was still waiting at the end."""
    started = time.monotonic()
    while (left := seconds - (time.monotonic() - started)) > 0:
        readable, _, _ = select.select([connection], [], [], min(left, 0.05))
        if not readable:
            continue
        try:
            closed = connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            closed = True
        if closed:
            return time.monotonic() - started
        time.sleep(min(left, 0.05))  # more bytes from a live client: not a hang-up
    return None


_JSON_MODE_SCHEMA = re.compile(r'valid against the JSON schema "(\w+)"')


def schema_name(body: dict) -> str:
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return fmt["json_schema"]["name"]
    if fmt.get("type") == "json_object":  # the writer names the schema in its prompt
        system = next((m["content"] for m in body["messages"] if m["role"] == "system"), "")
        found = _JSON_MODE_SCHEMA.search(system or "")
        return found.group(1) if found else "chat"
    tools = body.get("tools") or []
    forced = (body.get("tool_choice") or {}) if isinstance(body.get("tool_choice"), dict) else {}
    if forced.get("function"):
        return forced["function"]["name"]
    return tools[0]["function"]["name"] if len(tools) == 1 else "chat"


def facts_of(body: dict) -> tuple[dict, str]:
    """The facts JSON and language line the writer put in its last human message."""
    for message in reversed(body["messages"]):
        content = message.get("content") or ""
        if message["role"] == "user" and "Facts:" in content:
            head, facts = content.split("Facts:\n", 1)
            return json.loads(facts), head
    return {}, ""


def grounded_draft(name: str, facts: dict, language_line: str) -> dict:
    """A valid answer that quotes only figures from the facts, in the language asked for."""
    if "Chinese" in language_line:
        return _grounded_chinese(name, facts)
    if name == "AnalystDraft":
        return {
            "summary": f"Churn risk is {facts['probability_percent']:.0f}% "
            f"({facts['risk_level']} risk).",
            "detail": f"{facts['value_tier']} value customer; "
            f"{facts['value_at_risk']:,.2f} at stake over {facts['horizon_months']} months.",
        }
    if name == "ReasoningDraft":
        return {
            "explanations": [f"{r['evidence']} raises the risk." for r in facts["reasons"]],
            "warning_signs": [s["evidence"] for s in facts["signals"]],
            "background": "A customer on our network.",
        }
    if name == "CampaignDraft":
        c = facts["chosen"]
        return {
            "why_it_fits": f"{c['title']}: churn probability {c['probability_before_percent']:.0f}%"
            f" to {c['probability_after_percent']:.0f}%, cost {c['total_cost']:.2f}. "
            "The model is correlational."
        }
    if name == "CommunicationDraft":
        o = facts["offer"]
        sms = f"Offer: {o['title']}"[:60] if "Chinese" in language_line else f"Offer: {o['title']}"
        return {
            "email_subject": o["title"],
            "email_body": f"Dear customer, we would like to offer you this: {o['pitch']}.",
            "sms": sms,
            "call_greeting": "Hello!",
            "call_reason": "We value you.",
            "call_offer": o["pitch"],
            "objections": [
                {
                    "objection": "Too expensive",
                    "answer": f"Your bill is {o['price_during_offer']:.2f}.",
                },
                {"objection": "Not now", "answer": "We can email the details."},
                {"objection": "Why me?", "answer": "Because you matter to us."},
            ],
            "call_close": "Thank you!",
        }
    raise KeyError(f"no grounded draft for {name}")


def _grounded_chinese(name: str, facts: dict) -> dict:
    words = {"high": "高", "medium": "中", "low": "低"}
    if name == "AnalystDraft":
        level, months = words[facts["risk_level"]], facts["horizon_months"]
        return {
            "summary": f"流失機率 {facts['probability_percent']:.0f}%，風險{level}。",
            "detail": f"未來 {months} 個月約 {facts['value_at_risk']:,.2f} 元營收面臨風險。",
        }
    if name == "ReasoningDraft":
        return {
            "explanations": [f"{r['evidence']}，提高流失風險。" for r in facts["reasons"]],
            "warning_signs": [s["evidence"] for s in facts["signals"]],
            "background": "我們的長期客戶。",
        }
    if name == "CampaignDraft":
        c = facts["chosen"]
        return {
            "why_it_fits": f"「{c['title']}」：流失機率由 {c['probability_before_percent']:.0f}% "
            f"降至 {c['probability_after_percent']:.0f}%，成本 {c['total_cost']:.2f} 元。"
        }
    if name == "CommunicationDraft":
        o = facts["offer"]
        return {
            "email_subject": o["title"],
            "email_body": f"親愛的客戶您好：為您準備了專屬方案：{o['pitch']}。",
            "sms": f"方案：{o['title']}"[:60],
            "call_greeting": "您好！",
            "call_reason": "感謝您的支持。",
            "call_offer": o["pitch"],
            "objections": [
                {"objection": "太貴了", "answer": f"您的月費是 {o['price_during_offer']:.2f} 元。"},
                {"objection": "現在不方便", "answer": "我們可以寄信給您。"},
                {"objection": "為什麼是我？", "answer": "因為您對我們很重要。"},
            ],
            "call_close": "謝謝您！",
        }
    raise KeyError(f"no grounded draft for {name}")


def grounded(name: str, body: dict, facts: dict) -> Reply:
    _, language_line = facts_of(body)
    return Reply(grounded_draft(name, facts, language_line))


@dataclass
class FakeOpenAI:
    host: str = "127.0.0.1"
    default: Responder = grounded
    requests: list[dict] = field(default_factory=list)
    #: Behave like llama-cpp-python's server: refuse `json_schema` response formats (HTTP 422),
    #: refuse assistant messages whose content is null (HTTP 500), and read a request with
    #: tools but no `tool_choice` as one without tools, and refuse to stream a tool call the
    #: model chose itself (HTTP 500, as its `chatml-function-calling` format does).
    like_llama_cpp: bool = False
    #: Seconds between the pieces of a streamed answer (`"stream": true`), one word each.
    token_delay: float = 0.0
    #: Seconds every answer takes before it starts (a model's latency).
    latency: float = 0.0
    #: Requests being answered now, and the most there ever were at once.
    in_flight: int = 0
    peak_in_flight: int = 0
    _queues: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def script(self, name: str, *replies: Reply | Responder) -> None:
        """Queue replies for requests about one schema (or "chat" for plain chat turns)."""
        with self._lock:
            self._queues[name].extend(replies)

    def reset(self) -> None:
        with self._lock:
            self._queues.clear()
            self.requests.clear()
            self.peak_in_flight = 0
            self.latency = 0.0

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    def start(self) -> FakeOpenAI:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                with fake._lock:
                    fake.in_flight += 1
                    fake.peak_in_flight = max(fake.peak_in_flight, fake.in_flight)
                try:
                    fake._answer(self, body)
                finally:
                    with fake._lock:
                        fake.in_flight -= 1

        self._server = ThreadingHTTPServer((self.host, 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next(self, name: str, body: dict) -> Reply:
        with self._lock:
            queued = self._queues[name].popleft() if self._queues[name] else None
        reply = queued if queued is not None else self.default
        if callable(reply) and not isinstance(reply, Reply):
            facts, _ = facts_of(body)
            reply = reply(name, body, facts)
        return reply

    def _refusal(self, body: dict) -> tuple[int, str] | None:
        if not self.like_llama_cpp:
            return None
        if (body.get("response_format") or {}).get("type") == "json_schema":
            return 422, (
                "[{'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
                "'msg': \"Input should be 'text' or 'json_object'\"}]"
            )
        for message in body.get("messages", []):
            if message.get("role") == "assistant" and message.get("content") is None:
                return 500, "'NoneType' object is not subscriptable"
        return None

    def _answer(self, handler: BaseHTTPRequestHandler, body: dict) -> None:
        time.sleep(self.latency)
        refusal = self._refusal(body)
        if refusal is not None:
            with self._lock:
                self.requests.append({"schema": "refused", "status": refusal[0], "body": body})
            self._send(handler, refusal[0], {"error": {"message": refusal[1], "type": "error"}})
            return
        if self.like_llama_cpp and body.get("tools") and not body.get("tool_choice"):
            body = {k: v for k, v in body.items() if k != "tools"}  # read as "no tools"
        name = schema_name(body)
        reply = self._next(name, body)
        record = {"schema": name, "status": reply.status, "body": body}
        with self._lock:
            self.requests.append(record)
        if reply.hang:
            left_after = _until_the_client_leaves(handler.connection, reply.hang)
            with self._lock:
                record["client_left_after_s"] = left_after
            if left_after is not None:  # nobody to answer
                return
        if reply.status != 200:
            message = "scripted failure"
            if reply.status == 401:  # as OpenAI does: part of the key the client sent
                key = handler.headers.get("Authorization", "").removeprefix("Bearer ")
                message = f"Incorrect API key provided: {key[:8]}{'*' * 12}{key[-4:]}."
            self._send(handler, reply.status, {"error": {"message": message, "type": "error"}})
            return
        content = reply.content
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None}
        finish = reply.finish
        if reply.tool_calls is not None:
            message = {"role": "assistant", "content": None, "tool_calls": reply.tool_calls}
            finish = "tool_calls"
        elif body.get("tool_choice") and name != "chat":
            # function-calling structured output: the answer is the arguments of a tool call
            message = {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": name, "arguments": text},
                    }
                ],
            }
            finish = "tool_calls"
        forced = isinstance(body.get("tool_choice"), dict)  # a named function: streams fine
        if self.like_llama_cpp and body.get("stream") and finish == "tool_calls" and not forced:
            record["status"] = 500
            with self._lock:  # the model would choose the same tool when asked again
                self._queues[name].appendleft(reply)
            error = {"message": "Automatic streaming tool choice is not supported", "type": "error"}
            self._send(handler, 500, {"error": error})
            return
        sent = json.dumps({k: body.get(k) for k in ("messages", "response_format", "tools")})
        usage = {
            "prompt_tokens": estimate_tokens(sent),
            "completion_tokens": estimate_tokens(text or json.dumps(message)),
        }
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        record["usage"] = usage
        if body.get("stream"):
            self._stream(handler, body, message, finish, usage)
            return
        self._send(
            handler,
            200,
            {
                "id": f"chatcmpl-{len(self.requests)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", "fake"),
                "choices": [
                    {"index": 0, "message": message, "finish_reason": finish, "logprobs": None}
                ],
                "usage": usage,
            },
        )

    def _stream(
        self, handler: BaseHTTPRequestHandler, body: dict, message: dict, finish: str, usage: dict
    ) -> None:
        """Server-sent events as OpenAI sends them: the role, the content word by word (or the
        tool calls whole), the finish reason, the usage when asked for, then `[DONE]`."""
        head = {
            "id": f"chatcmpl-{len(self.requests)}",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body.get("model", "fake"),
        }

        def chunk(delta: dict, finish_reason: str | None = None, **extra) -> bytes:
            choice = {"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}
            event = {**head, "choices": [choice], **extra}
            return f"data: {json.dumps(event, ensure_ascii=False)}\n\n".encode()

        try:
            handler.send_response(200)
            handler.send_header("Content-Type", "text/event-stream")
            handler.end_headers()
            handler.wfile.write(chunk({"role": "assistant", "content": ""}))
            handler.wfile.flush()
            if message.get("tool_calls"):
                calls = [{"index": i, **call} for i, call in enumerate(message["tool_calls"])]
                handler.wfile.write(chunk({"tool_calls": calls}))
            for piece in re.findall(r"\S+\s*|\s+", message.get("content") or ""):
                time.sleep(self.token_delay)
                handler.wfile.write(chunk({"content": piece}))
                handler.wfile.flush()
            handler.wfile.write(chunk({}, finish))
            if (body.get("stream_options") or {}).get("include_usage"):
                event = {**head, "choices": [], "usage": usage}
                handler.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
            handler.wfile.write(b"data: [DONE]\n\n")
            handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            pass
