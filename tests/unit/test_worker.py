"""The worker's protocol overrides uvicorn's named methods: fail if uvicorn renames them."""

from __future__ import annotations

import inspect

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from specserve.http.worker import ProblemHttpToolsProtocol

OVERRIDDEN = ["send_400_response"]


def test_each_override_replaces_a_method_uvicorn_still_has_and_calls():
    source = inspect.getsource(HttpToolsProtocol)
    for name in OVERRIDDEN:
        assert callable(getattr(HttpToolsProtocol, name, None)), name
        assert f"self.{name}(" in source, f"uvicorn no longer calls {name}"
        assert name in vars(ProblemHttpToolsProtocol)


def test_the_malformed_request_answer_is_the_error_shape():
    import orjson

    from specserve.errors import MalformedRequest
    from specserve.http import problems

    raw = problems.http_bytes(problems.render(MalformedRequest(), "rid"), "rid")
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert b"content-type: application/problem+json" in head and b"connection: close" in head
    doc = orjson.loads(body)
    assert doc["error"] == "malformed_request" and doc["request_id"] == "rid"
