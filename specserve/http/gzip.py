"""gzip for clients that accept it: a small ASGI piece, for answers of `minimum_size` bytes on.

Measured (docs/performance.md): a 100-row batch answer, 15.5 KB of JSON, shrinks to 1.4 KB
(9 %) at level 1 for ~100 µs of CPU; levels 6 and 9 save another 100-200 bytes for
1.6-2.5× the CPU, so level 1 it is. Single-row answers (~150 bytes) are never compressed.

Only answers sent in one piece (every API answer) are compressed; a streamed answer passes
through as it is. Requests without `Accept-Encoding: gzip` pay one scan of the headers.
"""

from __future__ import annotations

import zlib

COMPRESSIBLE = (
    b"application/json",
    b"application/problem+json",
    b"text/",
    b"application/javascript",
)


def accepts_gzip(headers) -> bool:
    for name, value in headers:
        if name == b"accept-encoding":
            for part in value.lower().split(b","):
                coding, _, params = part.strip().partition(b";")
                if coding.strip() in (b"gzip", b"x-gzip"):
                    return params.replace(b" ", b"") not in (
                        b"q=0",
                        b"q=0.0",
                        b"q=0.00",
                        b"q=0.000",
                    )
    return False


class GzipMiddleware:
    def __init__(self, app, minimum_size: int = 1000, level: int = 1) -> None:
        self.app = app
        self.minimum_size = minimum_size
        self.level = level

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or not accepts_gzip(scope["headers"]):
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, _Compressing(send, self.minimum_size, self.level))


class _Compressing:
    """Holds `http.response.start` until the first body message shows whether to compress."""

    def __init__(self, send, minimum_size: int, level: int) -> None:
        self.send, self.minimum_size, self.level = send, minimum_size, level
        self.start: dict | None = None

    async def __call__(self, message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
            return
        if self.start is None or message["type"] != "http.response.body":
            await self.send(message)
            return
        start, self.start = self.start, None
        body = message.get("body", b"")
        if not message.get("more_body") and self._worth_it(start, body):
            gz = zlib.compressobj(self.level, zlib.DEFLATED, 31)  # 31: gzip container
            body = gz.compress(body) + gz.flush()
            headers = [(k, v) for k, v in start["headers"] if k != b"content-length"]
            headers += [
                (b"content-encoding", b"gzip"),
                (b"content-length", str(len(body)).encode()),
                (b"vary", b"Accept-Encoding"),
            ]
            start = {**start, "headers": headers}
            message = {**message, "body": body}
        await self.send(start)
        await self.send(message)

    def _worth_it(self, start: dict, body: bytes) -> bool:
        if len(body) < self.minimum_size:
            return False
        kind = b""
        for name, value in start.get("headers", ()):
            if name == b"content-encoding":
                return False
            if name == b"content-type":
                kind = value
        return kind.startswith(COMPRESSIBLE)
