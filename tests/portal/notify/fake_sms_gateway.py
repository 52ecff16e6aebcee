"""A local SMS gateway for the tests: a real HTTP server in a thread, on a free port.

It checks each request as a gateway would — key id, a fresh timestamp, a nonce never seen before,
the HMAC-SHA256 signature over timestamp, nonce and the exact body bytes — and answers 401 with
`SIGNATURE_MISMATCH` (or the like) when one is wrong. Tell it how to fail next with `fail_next`:
an HTTP status, a gateway code, or `"slow"` (answers after `slow_seconds`)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict
    body: bytes
    payload: dict
    verified: bool


@dataclass
class FakeGateway:
    key_id: str = "test-key-id"
    secret: str = "test-secret-do-not-use"  # noqa: S105
    received: list[Received] = field(default_factory=list)
    failures: list = field(default_factory=list)
    slow_seconds: float = 2.0
    seen_nonces: set = field(default_factory=set)

    def fail_next(self, *failures) -> None:
        """Each one for one request: an int (HTTP status), a str (gateway code) or "slow"."""
        self.failures.extend(failures)

    def start(self) -> str:
        gateway = self
        self._stop = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, answer = gateway.answer(dict(self.headers), body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/sms/send"

    def stop(self) -> None:
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def verify(self, headers: dict, body: bytes) -> str:
        """ "" when the request is correctly signed, else the gateway's error code."""
        if headers.get("X-Sms-Key-Id") != self.key_id:
            return "INVALID_KEY_ID"
        timestamp, nonce = headers.get("X-Sms-Timestamp", ""), headers.get("X-Sms-Nonce", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
            return "TIMESTAMP_EXPIRED"
        if len(nonce) < 16 or nonce in self.seen_nonces:
            return "NONCE_REUSED"
        self.seen_nonces.add(nonce)
        payload = timestamp.encode() + b"\n" + nonce.encode() + b"\n" + body
        expected = base64.b64encode(
            hmac.new(self.secret.encode(), payload, hashlib.sha256).digest()
        ).decode()
        if not hmac.compare_digest(expected, headers.get("X-Sms-Signature", "")):
            return "SIGNATURE_MISMATCH"
        return ""

    def answer(self, headers: dict, body: bytes) -> tuple[int, dict]:
        problem = self.verify(headers, body)
        try:
            payload = json.loads(body.decode("utf-8"))
        except ValueError:
            payload = {}
        self.received.append(Received(headers, body, payload, verified=not problem))
        if problem:
            return 401, {"code": problem, "message": "请求签名校验失败"}
        failure = self.failures.pop(0) if self.failures else None
        if failure == "slow":
            self._stop.wait(self.slow_seconds)
            return 200, {"code": "OK", "message": "太晚了"}
        if isinstance(failure, int):
            return failure, {"code": "HTTP_ERROR", "message": "网关故障"}
        if isinstance(failure, str):
            phone = payload.get("phone", "")
            return 200, {"code": failure, "message": f"号码{phone}无法接收短信"}
        return 200, {"code": "OK", "message": "发送成功", "request_id": f"req-{len(self.received)}"}
