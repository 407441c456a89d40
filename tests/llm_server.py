"""A scripted OpenAI-compatible server on 127.0.0.1 (stdlib only) for offline tests of the LLM agents.

Real HTTP through the real `openai` SDK: /v1/models and /v1/chat/completions (JSON or SSE), with
replies scripted per MoKA role (recognised from the system prompt), HTTP errors on demand, and
every request recorded.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ROLES = ("Coder", "Debugger", "Accelerator")


@dataclass
class Status:
    """Answer with this HTTP status instead of a completion."""

    code: int
    message: str = "scripted error"


def fenced(code: str) -> str:
    return f"Here is the kernel.\n\n```cpp\n{code}```\n"


class ScriptedServer:
    def __init__(self, script: dict[str, list[Any]]) -> None:
        self.script = {role: list(items) for role, items in script.items()}
        self.requests: list[dict[str, Any]] = []
        self.calls: dict[str, int] = defaultdict(int)
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _send(self, code: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/models"):
                    self._send(200, {"object": "list", "data": [{"id": "scripted", "object": "model"}]})
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                request = json.loads(self.rfile.read(length) or b"{}")
                reply = outer.next_reply(request)
                if isinstance(reply, Status):
                    self._send(reply.code, {"error": {"message": reply.message, "type": "scripted"}})
                    return
                usage = {"prompt_tokens": sum(len(m["content"]) // 4 for m in request["messages"]),
                         "completion_tokens": len(reply) // 4}
                usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
                if request.get("stream"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    for piece in (reply[: len(reply) // 2], reply[len(reply) // 2:]):
                        chunk = {"id": "c", "object": "chat.completion.chunk", "created": int(time.time()),
                                 "model": request["model"],
                                 "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                        self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.write(b"data: [DONE]\n\n")
                    return
                self._send(200, {
                    "id": f"chatcmpl-{len(outer.requests)}", "object": "chat.completion", "created": int(time.time()),
                    "model": request.get("model", "scripted"),
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": reply},
                                 "finish_reason": "stop"}],
                    "usage": usage,
                })

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @staticmethod
    def role_of(request: dict[str, Any]) -> str:
        system = next((m["content"] for m in request.get("messages", []) if m["role"] == "system"), "")
        return next((r for r in ROLES if f"You are the {r}" in system), "unknown")

    def next_reply(self, request: dict[str, Any]) -> Any:
        role = self.role_of(request)
        with self.lock:
            self.requests.append({"role": role, **request})
            self.calls[role] += 1
            queue = self.script.get(role, [])
            if not queue:
                return Status(500, f"script exhausted for role {role}")
            return queue.pop(0)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> ScriptedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
