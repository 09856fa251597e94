"""gzip for clients that accept it (specserve/http/gzip.py), through a real HTTP client."""

from __future__ import annotations

import asyncio
import gzip
import json

import httpx
from starlette.applications import Starlette
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from specserve.http.gzip import GzipMiddleware

BIG = {"predictions": [{"prediction": 0.0, "probability": 0.5 + i / 1000} for i in range(100)]}


def app():
    async def batch(request):
        return JSONResponse(BIG)

    async def small(request):
        return JSONResponse({"prediction": 1.0})

    async def png(request):
        return Response(b"\x89PNG" + bytes(5000), media_type="image/png")

    async def stream(request):
        return StreamingResponse(iter([b"x" * 3000, b"y" * 3000]), media_type="text/plain")

    routes = [Route(p, f) for p, f in (("/b", batch), ("/s", small), ("/p", png), ("/st", stream))]
    return GzipMiddleware(Starlette(routes=routes))


def get(path: str, accept: str | None) -> httpx.Response:
    async def run():
        transport = httpx.ASGITransport(app=app())
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            request = client.build_request("GET", path)
            del request.headers["accept-encoding"]  # httpx's default: gzip, deflate
            if accept is not None:
                request.headers["accept-encoding"] = accept
            return await client.send(request, stream=False)

    return asyncio.run(run())


def test_a_large_json_answer_is_gzipped_for_a_client_that_accepts_it():
    r = get("/b", "gzip, deflate")
    assert r.headers["content-encoding"] == "gzip"
    assert r.headers["vary"] == "Accept-Encoding"
    assert r.json() == BIG  # httpx decompresses
    raw_size = len(json.dumps(BIG, separators=(",", ":")))
    assert int(r.headers["content-length"]) < raw_size / 3


def test_no_gzip_without_accept_encoding_or_with_q_zero():
    for accept in (None, "identity", "br", "gzip;q=0"):
        r = get("/b", accept)
        assert "content-encoding" not in r.headers, accept
        assert r.json() == BIG


def test_small_binary_and_streamed_answers_pass_through():
    assert "content-encoding" not in get("/s", "gzip").headers
    png = get("/p", "gzip")
    assert "content-encoding" not in png.headers and png.content.startswith(b"\x89PNG")
    streamed = get("/st", "gzip")
    assert "content-encoding" not in streamed.headers
    assert streamed.text == "x" * 3000 + "y" * 3000


def test_the_body_is_a_valid_gzip_stream():
    async def raw():
        sent = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            sent.append(message)

        scope = {
            "type": "http",
            "method": "GET",
            "path": "/b",
            "headers": [(b"accept-encoding", b"gzip")],
            "query_string": b"",
            "root_path": "",
        }
        await app()(scope, receive, send)
        return sent

    sent = asyncio.run(raw())
    assert json.loads(gzip.decompress(sent[1]["body"])) == BIG
