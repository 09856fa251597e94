"""The error shape every refusal must have (shared by in-process and live tests)."""

from __future__ import annotations

from typing import Any

SEED = [1500.50, 2, 0.75]
ERROR_FIELDS = {"type", "title", "status", "detail", "error", "message", "request_id", "timestamp"}


def assert_problem(r: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = r.json()
    assert set(body) >= ERROR_FIELDS, body
    assert body["status"] == status
    assert body["request_id"] == r.headers["x-request-id"]
    assert "Traceback" not in r.text and 'File "' not in r.text
    if code:
        assert body["error"] == code, body
    return body


V2_ERROR_FIELDS = {"error", "code", "status", "type", "request_id"}


def assert_v2_error(r: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The Open Inference Protocol's error object (every `/v2` path): `error` is the message
    its clients show; our stable code is `code`."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json"
    body: dict[str, Any] = r.json()
    assert set(body) >= V2_ERROR_FIELDS, body
    assert body["status"] == status and body["type"] == "about:blank"
    assert body["request_id"] == r.headers["x-request-id"]
    assert isinstance(body["error"], str) and body["error"] != body["code"]
    assert "Traceback" not in r.text and 'File "' not in r.text
    if code:
        assert body["code"] == code, body
    return body
