"""A fault-injecting stand-in for the service, for the SDK tests (Python and TypeScript).

    python -m tests.sdk.stub_server PORT

Listens on 127.0.0.1:PORT. The first path segment picks the behaviour, and counts the
attempts made under it: `/<fault>[.<tag>]/v1/<operation path>`; `GET /_count/<fault>.<tag>`
answers how many requests arrived under that prefix. Faults (`-once` variants misbehave on
the first attempt only, then answer like the service):

    ok               the service's success bodies (predict, batch, health, token, models, ...)
    html-502, html-503, html-413   an nginx-style HTML error page with that status
    empty-500        500 with no body
    problem-409      409 problem document
    slow             waits SLOW_SECONDS before answering
    reset            closes the connection (RST) without an answer
    429              429 problem document with `Retry-After: 1`
    429-ratelimit    429 with only `RateLimit: "default";r=0;t=1`
    429-long         429 with `Retry-After: 3600`
    429-cost         429 `cost_exceeds_limit`, no `Retry-After` (costs more than the limit)
    429-quota        429 `quota_exceeded` with `Retry-After: 1` and the quota headers
    unhealthy        503 problem for predictions; 503 with a Health document for /health
    future           success bodies from a later API version: enum values and properties the
                     SDKs have never seen (predict, batch, health, models, models/<name>)
    deprecated       the service's success bodies with `Deprecation`, `Sunset` and
                     `Link: <...>; rel="deprecation"` (RFC 9745, RFC 8594)

Every sleep is bounded; the process exits when its parent test fixture ends it.
"""

from __future__ import annotations

import json
import socket
import struct
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SLOW_SECONDS = 2.0
COUNTS: Counter[str] = Counter()
LOCK = threading.Lock()
HTML = "<html><head><title>{0}</title></head><body><h1>{0}</h1><hr>nginx</body></html>\n"
REASONS = {
    413: "413 Request Entity Too Large",
    502: "502 Bad Gateway",
    503: "503 Service Temporarily Unavailable",
}


def prediction(request_id: str) -> dict:
    return {
        "prediction": 1.0,
        "probability": 0.9,
        "model_version": "1.0.0",
        "request_id": request_id,
        "processing_time_ms": 0.5,
    }


def problem(status: int, code: str, title: str) -> dict:
    return {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": f"{title} (stub)",
        "error": code,
        "message": f"{title} (stub)",
        "request_id": "stub-request-1",
        "timestamp": "2026-01-01T00:00:00Z",
    }


def health(status: str) -> dict:
    ok = status != "unhealthy"
    return {
        "status": status,
        "uptime_seconds": 1.0,
        "model_loaded": ok,
        "model_version": "1.0.0" if ok else None,
        "checks": {},
    }


def success(method: str, path: str) -> tuple[int, dict | str]:
    if path.endswith("/batch_predict"):
        return 200, {"predictions": [prediction("stub-1")], "total_processing_time_ms": 0.5}
    if path.endswith("/predict"):
        return 200, prediction("stub-1")
    if path == "/health":
        return 200, health("healthy")
    if path == "/auth/token":
        return 200, {
            "access_token": "stub.token.x",
            "token_type": "Bearer",
            "expires_in": 900,
            "scope": "predict",
        }
    if path in ("/models", "/admin/models/reload"):
        summary = {
            "name": "fraud-detector",
            "version": "1.0.0",
            "versions": ["1.0.0"],
            "status": "ready",
            "default": True,
        }
        return 200, {"default_model": "fraud-detector", "models": [summary]}
    if path == "/metrics":
        return 200, "# stub metrics\n"
    return 404, problem(404, "not_found", "Not Found")


# What a later version of the API may answer: a new enum value and a new property each.
DEPRECATION = {
    "Deprecation": "@1767225600",  # 2026-01-01T00:00:00Z
    "Sunset": "Wed, 01 Jul 2026 00:00:00 GMT",
    "Link": '<https://specserve.example/docs/deprecations#predict>; rel="deprecation"',
}


def model_metadata(name: str) -> dict:
    return {
        "name": name,
        "version": "2.0.0",
        "status": "draining",
        "description": "a model from a later API version",
        "framework": "onnx",
        "feature_names": ["a", "b", "c"],
        "n_features": 3,
        "task": "ranking",
        "classes": [],
        "metrics": {"ndcg": 0.9},
        "runtime": "tensorrt",
        "parity": None,
        "pinned": None,
        "owner": "ranking-team",
    }


def future(method: str, path: str) -> tuple[int, dict | str]:
    """`success`, as a later API version might answer: a new property in every body (and
    `drift` in predictions), new values in the enums."""
    if path.startswith("/models/"):
        return 200, model_metadata(path.split("/")[2])
    status, body = success(method, path)
    if status != 200 or not isinstance(body, dict):
        return status, body
    body["served_by"] = "stub-v2"
    for item in body.get("predictions", [body] if path.endswith("/predict") else []):
        item["drift"] = 0.42
    if path == "/health":
        body["status"] = "maintenance"
        body["checks"] = {"model": {"status": "warming", "since": "2026-01-01T00:00:00Z"}}
    for model in body.get("models", []):
        model.update(status="draining", owner="ranking-team")
    return 200, body


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self.handle_any()

    def do_POST(self) -> None:
        self.handle_any()

    def handle_any(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(min(length, 1 << 20))
        _, token, *rest = self.path.split("?")[0].split("/", 2)
        if token == "_count":
            return self.send(200, {"count": COUNTS[rest[0] if rest else ""]})
        path = "/" + (rest[0] if rest else "")
        path = path.removeprefix("/v1")
        with LOCK:
            COUNTS[token] += 1
            attempt = COUNTS[token]
        fault = token.split(".")[0]
        if fault.endswith("-once"):
            fault = fault.removesuffix("-once") if attempt == 1 else "ok"
        self.answer(fault, path)

    def answer(self, fault: str, path: str) -> None:
        if fault == "ok":
            return self.send(*success(self.command, path))
        if fault == "future":
            return self.send(*future(self.command, path))
        if fault == "deprecated":
            return self.send(*success(self.command, path), headers=DEPRECATION)
        if fault.startswith("html-"):
            status = int(fault.removeprefix("html-"))
            return self.send(status, HTML.format(REASONS[status]), "text/html")
        if fault == "empty-500":
            return self.send(500, "", "text/plain")
        if fault == "problem-409":
            return self.send(409, problem(409, "conflict", "Conflict"))
        if fault == "slow":
            time.sleep(SLOW_SECONDS)
            return self.send(*success(self.command, path))
        if fault == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return None
        if fault == "429-cost":
            limit = {"RateLimit-Policy": '"default";q=10;w=60', "X-RateLimit-Limit": "10"}
            body = problem(429, "cost_exceeds_limit", "Too Many Requests")
            return self.send(429, body, headers=limit)
        if fault == "429-quota":
            quota = {"Retry-After": "1", "X-Quota-Limit": "10", "X-Quota-Remaining": "0"}
            body = problem(429, "quota_exceeded", "Too Many Requests")
            return self.send(429, {**body, "retry_after": 1}, headers=quota)
        if fault.startswith("429"):
            headers = {
                "429": {"Retry-After": "1"},
                "429-ratelimit": {"RateLimit": '"default";r=0;t=1'},
                "429-long": {"Retry-After": "3600"},
            }[fault]
            return self.send(
                429, problem(429, "rate_limited", "Too Many Requests"), headers=headers
            )
        if fault == "unhealthy":
            if path == "/health":
                return self.send(503, health("unhealthy"))
            return self.send(503, problem(503, "model_unavailable", "Service Unavailable"))
        return self.send(500, problem(500, "internal_error", "Internal Server Error"))

    def send(
        self,
        status: int,
        body: dict | str,
        content_type: str | None = None,
        headers: dict | None = None,
    ) -> None:
        if isinstance(body, dict):
            payload = json.dumps(body).encode()
            content_type = content_type or (
                "application/problem+json" if status >= 400 else "application/json"
            )
        else:
            payload = body.encode()
            content_type = content_type or "text/plain"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("X-Request-ID", "stub-request-1")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that timed out and left: expected here


def main() -> None:
    server = Server(("127.0.0.1", int(sys.argv[1])), Handler)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
