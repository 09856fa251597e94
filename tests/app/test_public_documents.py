"""The public documents (each contract in both forms, Swagger UI, each one's reference page):
bytes prepared once, with ETag, Cache-Control and gzip; anonymous requests limited per
client address, `/health` exempt."""

from __future__ import annotations

import gzip
import json
import time

import pytest
import yaml

from specserve.spec import SPEC_PATH
from tests.problem import assert_problem

V2 = "http://testserver/v2"  # the Open Inference Protocol's documents, beside /v1's
DOCUMENTS = ["/openapi.json", "/openapi.yaml", "/ui/", "/ui/swagger-ui-bundle.js", "/docs"]
DOCUMENTS += [f"{V2}/docs", f"{V2}/openapi.json"]


@pytest.fixture(scope="module")
def app_overrides():
    return {"anon_rate_limit": "1000000/minute", "trusted_proxies": "127.0.0.1"}


def test_the_spec_is_served_as_written_in_both_forms(anonymous):
    written = yaml.safe_load(SPEC_PATH.read_text())
    written["servers"] = [{"url": "/v1"}]
    as_json = anonymous.get("/openapi.json")
    assert as_json.headers["content-type"] == "application/json"
    assert as_json.json() == json.loads(json.dumps(written, default=str))
    as_yaml = anonymous.get("/openapi.yaml")
    assert yaml.safe_load(as_yaml.text) == written


@pytest.mark.parametrize("path", DOCUMENTS)
def test_each_document_revalidates_and_compresses(anonymous, path):
    first = anonymous.get(path, headers={"Accept-Encoding": "identity"})
    assert first.status_code == 200 and first.headers["cache-control"].startswith("public")
    etag = first.headers["etag"]
    again = anonymous.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    with anonymous.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as r:
        raw = b"".join(r.iter_raw())
    assert r.headers["content-encoding"] == "gzip" and len(raw) < len(first.content) / 2
    assert gzip.decompress(raw) == first.content
    refused = anonymous.get(path, headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers
    head = anonymous.head(path)
    assert head.status_code == 200 and head.content == b""


def test_each_contract_has_its_reference_page(anonymous):
    own, protocol = anonymous.get("/docs"), anonymous.get(f"{V2}/docs")
    for page in (own, protocol):
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert page.headers["x-request-id"]
    assert "<title>ML Model Inference API</title>" in own.text
    assert "<title>Open Inference Protocol (V2)</title>" in protocol.text
    assert "generated from openapi/inference-v2.yaml" in protocol.text[:300]
    assert "tritonclient.http" in protocol.text and "tritonclient" not in own.text
    assert own.headers["etag"] != protocol.headers["etag"]


def test_the_protocol_page_refuses_in_the_protocol_dialect(anonymous):
    refused = anonymous.post(f"{V2}/docs")
    assert refused.status_code == 405 and refused.headers["allow"] == "GET, HEAD"
    assert refused.json()["code"] == "method_not_allowed" and refused.json()["error"]


def test_swagger_ui_page_assets_and_errors(anonymous):
    page = anonymous.get("/ui/")
    assert page.status_code == 200 and 'url: "/v1/openapi.json"' in page.text
    redirect = anonymous.get("/ui", follow_redirects=False)
    assert redirect.status_code == 307 and redirect.headers["location"] == "/v1/ui/"
    assert_problem(anonymous.get("/ui/swagger-ui.js.map"), 404, "not_found")
    assert_problem(anonymous.post("/openapi.json"), 405, "method_not_allowed")


def cpu_ms(call, times: int = 20) -> float:
    started = time.process_time()
    for _ in range(times):
        assert call().status_code == 200
    return (time.process_time() - started) * 1000 / times


def test_a_spec_costs_about_what_health_costs(anonymous):
    """Connexion rebuilt and serialised the spec per request: 51 ms of CPU for the JSON,
    438 ms for the YAML, against 1.5 ms for `/health`."""
    for _ in range(3):  # warm both paths
        anonymous.get("/health"), anonymous.get("/openapi.yaml")
    health = cpu_ms(lambda: anonymous.get("/health"))
    for path in ("/openapi.json", "/openapi.yaml"):
        assert cpu_ms(lambda p=path: anonymous.get(p)) < 3 * health + 1.0, path


def test_anonymous_requests_are_limited_per_address_and_health_is_exempt(app):
    from specserve.app import create_app

    limited = create_app(app.app_state.settings.model_copy(update={"anon_rate_limit": "3/minute"}))
    proxy = ("127.0.0.1", 50000)  # the trusted proxy every request comes through
    with limited.test_client(base_url="http://testserver/v1", client=proxy) as client:
        for _ in range(3):  # the proxy's own requests: one client, the proxy
            assert client.get("/openapi.json").status_code == 200
        refused = client.get("/docs")  # every public document shares the allowance
        assert_problem(refused, 429, "rate_limited")
        assert int(refused.headers["retry-after"]) >= 1
        protocol = client.get(f"{V2}/docs")  # the protocol's page too, in its dialect
        assert protocol.status_code == 429 and protocol.json()["code"] == "rate_limited"
        for _ in range(10):  # probes are never limited
            assert client.get("/health").status_code == 200
        other = {"X-Forwarded-For": "203.0.113.9"}  # another client behind the trusted proxy
        assert client.get("/openapi.yaml", headers=other).status_code == 200
