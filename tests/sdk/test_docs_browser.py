"""The HTML references at /v1/docs and /v2/docs, in a real headless Chromium restricted to
loopback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import httpx
import yaml

from scripts.code_samples import snake
from scripts.spec_operations import operations
from tests.conftest import requires

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
NODE_TOOLS = ROOT / "sdk-templates" / "node_modules"


SPEC = yaml.safe_load((ROOT / "openapi" / "openapi.yaml").read_text())
V2_SPEC = yaml.safe_load((ROOT / "openapi" / "inference-v2.yaml").read_text())


def summaries() -> list[str]:
    spec = SPEC
    return [
        op["summary"]
        for item in spec["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "summary" in op
    ]


def routes(spec: dict = SPEC) -> list[list[str]]:
    """Each operation's page in the reference (`#/<tag>/<operationid>`) and its heading."""
    return [
        [f"/{op['tags'][0].lower()}/{op['operationId'].lower()}", op["summary"]]
        for item in spec["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "summary" in op
    ]


def browse(url: str, screenshot: Path, spec: dict, languages: list[str]) -> dict:
    """What tests/sdk/browser/docs_page.mjs saw of a reference page: its text, each
    language's samples, what it requested."""
    requires("Chromium", Path(CHROMIUM).exists())
    requires("playwright-core (make node-deps)", (NODE_TOOLS / "playwright-core").exists())
    screenshot.parent.mkdir(exist_ok=True)
    out = subprocess.run(
        [
            shutil.which("node") or "node",
            str(ROOT / "tests/sdk/browser/docs_page.mjs"),
            url,
            str(screenshot),
        ],
        env={
            **os.environ,
            "NODE_TOOLS": str(NODE_TOOLS),
            "CHROMIUM": CHROMIUM,
            "DOCS_TAGS": json.dumps([t["name"] for t in spec["tags"]]),
            "DOCS_OPERATIONS": json.dumps(routes(spec)),
            "DOCS_LANGUAGES": json.dumps(languages),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def sample_call(operation_id: str) -> str:
    """The SDK call a sample makes: `predict`/`batchPredict` (every model and version) for
    the prediction operations, the operation's own method for the others."""
    if operation_id.startswith("batchPredict"):
        return "batchPredict"
    return "predict" if operation_id.startswith("predict") else operation_id


def test_docs_are_served_without_auth(service):
    response = httpx.get(f"{service.base_url}/docs", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["x-request-id"]
    assert "generated from openapi/openapi.yaml" in response.text


def test_docs_page_shows_every_operation_and_stays_on_loopback(service):
    screenshot = ROOT / "reports" / "docs-page.png"
    languages = ["curl", "Python", "JavaScript"]
    page = browse(f"{service.base_url}/docs", screenshot, SPEC, languages)
    assert page["status"] == 200 and page["title"] == "ML Model Inference API"
    missing = [s for s in summaries() if s not in page["text"]]
    assert not missing, f"operations missing from the page: {missing}"
    assert page["leaked"] == [], f"requests that left loopback: {page['leaked']}"
    hosts = {
        urlparse(u).hostname for u in page["requested"] if urlparse(u).scheme in ("http", "https")
    }
    assert hosts == {"127.0.0.1"}, hosts
    assert screenshot.stat().st_size > 10_000
    assert '\\"default' not in page["text"]  # header examples no longer JSON-escaped
    missing = [
        (language, op["operation_id"])
        for op in operations(SPEC)
        for language, marker in (
            ("curl", f'"$SPECSERVE_BASE_URL{op["path"].split("{")[0]}'),
            ("Python", f"api.{snake(sample_call(op['operation_id']))}("),
            ("JavaScript", f"api.{sample_call(op['operation_id'])}("),
        )
        if marker not in page["samples"][language]
    ]
    assert not missing, f"code samples not shown: {missing}"


def test_docs_page_polish():
    """What a reader saw wrong once: markup in the servers box, JSON-escaped header examples,
    a dangling attribution link, an intro naming only /health as public."""
    html = (ROOT / "docs" / "api.html").read_text()
    assert "Local service started by make serve" in html and "(`make serve`)" not in html
    assert "example" not in SPEC["components"]["headers"]["RateLimit-Policy"]
    assert '<style>a[href="#"][target="_blank"]{display:none}</style>' in html
    for public in ("`GET /health`", "`GET /docs`", "`/ui/`", "`/openapi.json`"):
        assert public in SPEC["info"]["description"]


def test_protocol_docs_page_shows_curl_and_tritonclient_samples(service):
    """/v2/docs: the Open Inference Protocol's operations, each with a curl and a
    `tritonclient` sample (the SDKs do not wrap /v2), and nothing fetched off loopback."""
    root = service.base_url.removesuffix("/v1")
    screenshot = ROOT / "reports" / "docs-page-v2.png"
    page = browse(f"{root}/v2/docs", screenshot, V2_SPEC, ["curl", "Python"])
    assert page["status"] == 200 and page["title"] == "Open Inference Protocol (V2)"
    missing = [s for _, s in routes(V2_SPEC) if s not in page["text"]]
    assert not missing, f"operations missing from the page: {missing}"
    assert page["leaked"] == [], f"requests that left loopback: {page['leaked']}"
    samples = page["samples"]
    assert '"$SPECSERVE_V2_URL/models/fraud-detector/infer"' in samples["curl"]
    triton = samples["Python"]
    assert "from tritonclient.http import InferenceServerClient, InferInput" in triton
    assert 'client.infer("fraud-detector", [x], headers=headers)' in triton
    assert 'result.as_numpy("predict")' in triton
    assert "SpecserveClient" not in page["text"] + triton  # the SDKs do not wrap /v2
