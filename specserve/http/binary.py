"""Infer bodies as Triton's client sends them: binary tensors (`binary_tensor_data`), split
before anything reads them, and no `Content-Type`.

`tritonclient` sends an infer request as its JSON, `Inference-Header-Content-Length` bytes
long, followed by the raw tensors that JSON describes (`parameters.binary_data_size`), and
no `Content-Type`. For the operations the contract marks `x-binary-tensors`, this middleware
(after authentication, before authorization prices the request from its body) reads such a
body whole — the edge has bounded it to `SPECSERVE_MAX_BODY_BYTES` — and passes on only the
JSON part, as `application/json`, so the rate limiter, the shape bounds and the schema see
exactly what a JSON client would send; the tensors after it reach the handler as its
`binary_data` parameter, checked against their shapes and datatypes by the data plane
(`specserve.serving.tensors`) before anything is allocated for them.

A request without the header whose body comes without `Content-Type` is read as JSON, the
contract's only media type (on `/v1` a body must say what it is).
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from specserve.errors import BadRequest
from specserve.http.context import operation_id, request_context

HEADER = b"inference-header-content-length"
REPLACED = (HEADER, b"content-type", b"content-length")


class BinaryTensors:
    def __init__(self, app: ASGIApp, app_state: Any) -> None:
        self.app = app
        self.takes = {h for h, op in app_state.operations.items() if op.binary_tensors}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and operation_id(scope) in self.takes:
            headers = scope.get("headers", [])
            length = next((v for k, v in headers if k.lower() == HEADER), None)
            if length is not None:
                receive = await split(scope, receive, length)
            elif not any(k.lower() == b"content-type" for k, _ in headers):
                scope["headers"] = [*headers, (b"content-type", b"application/json")]
        await self.app(scope, receive, send)


async def split(scope: Scope, receive: Receive, length: bytes) -> Receive:
    """Read the body, keep what follows the JSON part for the handler, and hand on the JSON
    part alone as the request's body."""
    if not length.strip().isdigit():
        raise BadRequest("Inference-Header-Content-Length must be a whole number of bytes.")
    size = int(length)
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    if size > len(body):
        raise BadRequest(
            f"Inference-Header-Content-Length is {size}, but the body holds {len(body)} bytes."
        )
    header, tensors = body[:size], memoryview(body)[size:]
    request_context(scope)["binary_data"] = tensors
    headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() not in REPLACED]
    headers += [(b"content-type", b"application/json"), (b"content-length", str(size).encode())]
    scope["headers"] = headers
    sent = False

    async def json_part() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # the client's disconnect, when it comes
        sent = True
        return {"type": "http.request", "body": header, "more_body": False}

    return json_part
