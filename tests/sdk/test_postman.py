"""The Postman collection (docs/postman-collection.json) runs with newman against a live
service: every request answers its documented success status, the token is issued with the
declared variables and stored in bearerToken, and the other requests use it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import yaml

from scripts.spec_operations import operations
from specserve import spec
from specserve.auth.filestore import FileKeyStore
from tests.conftest import requires

ROOT = Path(__file__).resolve().parents[2]
NEWMAN = ROOT / "sdk-templates" / "node_modules" / ".bin" / "newman"
COLLECTION = ROOT / "docs" / "postman-collection.json"
ALL_SCOPES = list(spec.load().scopes)


def test_newman_runs_the_collection_green(token_service, keys_file, tmp_path):
    requires("newman (make node-deps)", NEWMAN.exists())
    key = FileKeyStore(keys_file).create("postman", scopes=ALL_SCOPES)[1]
    report = tmp_path / "newman.json"
    out = subprocess.run(
        [
            str(NEWMAN),
            "run",
            str(COLLECTION),
            "--env-var",
            f"baseUrl={token_service.base_url}",
            "--env-var",
            f"apiKey={key}",
            "--reporters",
            "cli,json",
            "--reporter-json-export",
            str(report),
            "--timeout-request",
            "10000",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    run = json.loads(report.read_text())["run"]
    spec = yaml.safe_load((ROOT / "openapi" / "openapi.yaml").read_text())
    assert run["stats"]["requests"]["total"] == len(operations(spec))
    assert run["stats"]["assertions"]["failed"] == 0
    for execution in run["executions"]:
        name = execution["item"]["name"]
        assert 200 <= execution["response"]["code"] < 300, name
        assert len(execution.get("assertions", [])) >= 2, f"{name} asserts nothing"
    stored = {v["key"]: v["value"] for v in run.get("collectionVariables", {}).get("values", [])}
    token_run = next(e for e in run["executions"] if e["item"]["name"] == "Issue an access token")
    assert token_run["response"]["code"] == 200
    if stored:
        assert stored.get("bearerToken", "").count(".") == 2  # a JWT was stored
    bearer = [
        e
        for e in run["executions"]
        if any(h["key"].lower() == "authorization" for h in e["request"].get("header", []))
    ]
    assert len(bearer) >= 6, "the requests did not use the stored bearer token"
