"""The public documents, answered from bytes prepared once at start-up.

Each contract in both forms (`/v1/openapi.json`, `/v1/openapi.yaml`, and the Open Inference
Protocol's under `/v2`), each one's Swagger UI (`/v1/ui/`, `/v2/ui/`) and each one's reference
page (`/v1/docs`, 2.6 MB: the contract's `getDocs`, answered here before routing; `/v2/docs`,
which that contract does not declare, like its `/v2/openapi.json`) need no credentials, so
anyone can ask for them as often as they like. Connexion builds and serialises the spec on
every request (51 ms of a worker's CPU for the JSON, 438 ms for the YAML, measured); here each
document is made once, with its gzip form, an `ETag` and `Cache-Control`, so an answer costs
what `/health` costs, and a client that revalidates gets a 304. Anonymous requests are limited
per client address (`SPECSERVE_ANON_RATE_LIMIT`,
`specserve.ratelimit.charge.charge_anonymous`); a known-exhausted address is refused without a
trip to the store.

This middleware sits right inside the edge (which gives every answer its request id,
security headers, metrics and log line); any other path goes on to Connexion.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader
from starlette.types import ASGIApp, Receive, Scope, Send
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

from specserve.errors import ApiError, MethodNotAllowed, NotFound
from specserve.http import problems
from specserve.http.context import state_of
from specserve.ratelimit.charge import charge_anonymous
from specserve.spec import INFERENCE_SPEC_PATH, SPEC_PATH, Contract

DOCS = SPEC_PATH.parent.parent / "docs"
# Each contract's reference page, in the order the service mounts them (`make generate`
# writes them): the service's own API's, then the Open Inference Protocol's
REFERENCE_PAGES = (DOCS / "api.html", DOCS / f"{INFERENCE_SPEC_PATH.stem}.html")

# Swagger UI's page and the files it loads (the bundle's source maps and other builds are
# never asked for by the page)
UI_ASSETS = {
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui-standalone-preset.js": "text/javascript; charset=utf-8",
    "favicon-16x16.png": "image/png",
    "favicon-32x32.png": "image/png",
    "oauth2-redirect.html": "text/html; charset=utf-8",
}
CACHE_CONTROL = b"public, max-age=300"
MIN_GZIP = 1024  # smaller documents are sent as they are


@dataclass(frozen=True, slots=True)
class Document:
    body: bytes
    gzipped: bytes | None
    content_type: bytes
    etag: bytes

    @classmethod
    def of(cls, body: bytes, content_type: str) -> Document:
        squeezed = gzip.compress(body, 9, mtime=0) if len(body) >= MIN_GZIP else None
        if squeezed is not None and len(squeezed) >= len(body):
            squeezed = None
        etag = b'"' + hashlib.sha256(body).hexdigest()[:32].encode() + b'"'
        return cls(body, squeezed, content_type.encode(), etag)


def prepare(contracts: Sequence[Contract]) -> dict[str, Document]:
    """Every public document by path, made once: each contract (as Connexion would serve it:
    its `servers` its own base path) with its Swagger UI and its reference page."""
    docs: dict[str, Document] = {}
    for contract, page in zip(contracts, REFERENCE_PAGES, strict=True):
        docs.update(_contract_documents(contract.raw, contract.base_path))
        html = Document.of(page.read_bytes(), "text/html; charset=utf-8")
        docs[f"{contract.base_path}/docs"] = html
    return docs


def _contract_documents(raw: dict[str, Any], base_path: str) -> dict[str, Document]:
    spec = {**raw, "servers": [{"url": base_path}]}
    docs = {
        f"{base_path}/openapi.json": Document.of(
            json.dumps(spec, ensure_ascii=False, default=str).encode(), "application/json"
        ),
        f"{base_path}/openapi.yaml": Document.of(
            yaml.safe_dump(spec, allow_unicode=True, sort_keys=False).encode(),
            "text/yaml; charset=utf-8",
        ),
    }
    ui = Path(swagger_ui_path)
    page = Environment(loader=FileSystemLoader(ui), autoescape=True).get_template("index.j2")
    index = Document.of(
        page.render(openapi_spec_url=f"{base_path}/openapi.json").encode(),
        "text/html; charset=utf-8",
    )
    docs[f"{base_path}/ui/"] = docs[f"{base_path}/ui/index.html"] = index
    for name, content_type in UI_ASSETS.items():
        docs[f"{base_path}/ui/{name}"] = Document.of((ui / name).read_bytes(), content_type)
    return docs


class PublicDocuments:
    def __init__(self, app: ASGIApp, app_state: Any) -> None:
        self.app = app
        self.limiter = app_state.limiter
        self.app_state = app_state
        self.documents = app_state.documents

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        document = self.documents.get(path)
        ui = path in self.app_state.ui_prefixes
        if document is None and not ui and not self.app_state.in_ui(path):
            await self.app(scope, receive, send)
            return
        request_id = state_of(scope).request_id
        try:
            if scope["method"] not in ("GET", "HEAD"):
                raise MethodNotAllowed(headers={"Allow": "GET, HEAD"})
            await charge_anonymous(self.limiter, state_of(scope).client_ip)
            if ui:  # the page's relative links need the slash
                await _redirect(send, path + "/")
                return
            if document is None:
                raise NotFound()
        except ApiError as exc:
            dialect = self.app_state.dialect_of(path)
            await problems.send(send, problems.render(exc, request_id, dialect), request_id)
            return
        await _answer(scope, send, document)


async def _answer(scope: Scope, send: Send, document: Document) -> None:
    headers = {k.lower(): v for k, v in scope.get("headers", [])}
    out = [
        (b"content-type", document.content_type),
        (b"etag", document.etag),
        (b"cache-control", CACHE_CONTROL),
        (b"vary", b"Accept-Encoding"),
    ]
    if document.etag in _etags(headers.get(b"if-none-match", b"")):
        await send({"type": "http.response.start", "status": 304, "headers": out})
        await send({"type": "http.response.body", "body": b""})
        return
    body = document.body
    if document.gzipped is not None and accepts_gzip(headers.get(b"accept-encoding", b"")):
        body = document.gzipped
        out.append((b"content-encoding", b"gzip"))
    out.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": 200, "headers": out})
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


async def _redirect(send: Send, location: str) -> None:
    headers = [(b"location", location.encode()), (b"content-length", b"0")]
    await send({"type": "http.response.start", "status": 307, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


def _etags(value: bytes) -> list[bytes]:
    """The entity tags of an `If-None-Match` header (weak ones compare equal, RFC 9110)."""
    return [tag.strip().removeprefix(b"W/") for tag in value.split(b",")]


def accepts_gzip(value: bytes) -> bool:
    """Whether an `Accept-Encoding` header admits gzip (`gzip;q=0` refuses it)."""
    for part in value.lower().split(b","):
        coding, _, params = part.strip().partition(b";")
        if coding.strip() in (b"gzip", b"x-gzip"):
            q = params.replace(b" ", b"").removeprefix(b"q=")
            return q == b"" or q.strip(b"0.") != b""
    return False
