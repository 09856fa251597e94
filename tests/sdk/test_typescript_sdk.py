"""The TypeScript SDK's `node --test` suites (tests/sdk/typescript) against live services, the
fault-injecting stub and answers from a later API version; its types under `tsc --strict`;
a new query parameter in the spec reaching the client through `make generate` alone."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import yaml

from tests.conftest import requires

ROOT = Path(__file__).resolve().parents[2]
BUILT = ROOT / "generated" / "typescript-client" / "dist" / "index.js"
TSC = ROOT / "sdk-templates" / "node_modules" / ".bin" / "tsc"
STRICT = ["--strict", "--noEmit", "--target", "ES2022", "--module", "ESNext"]
STRICT += ["--moduleResolution", "bundler", "--lib", "ES2022,DOM,DOM.Iterable"]


def node_suite(name: str, env: dict[str, str]) -> dict[str, str]:
    node = shutil.which("node")
    requires("Node.js", node is not None)
    requires("the built TypeScript SDK (make sdk-deps)", BUILT.exists())
    out = subprocess.run(
        [node, "--test", "--test-reporter=spec", str(ROOT / "tests/sdk/typescript" / name)],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    summary = dict(
        line.removeprefix("ℹ ").split(" ", 1)
        for line in out.stdout.splitlines()
        if line.startswith("ℹ ") and line.count(" ") == 2
    )
    assert summary["fail"] == "0", out.stdout[-4000:]
    return summary


def test_typescript_sdk_suite(token_service, unhealthy_service, rate_limited_service, api_key):
    env = {
        "SPECSERVE_TEST_URL": token_service.base_url,
        "SPECSERVE_TEST_API_KEY": api_key,
        "SPECSERVE_TEST_UNHEALTHY_URL": unhealthy_service.base_url,
        "SPECSERVE_TEST_RATE_LIMITED_URL": rate_limited_service.base_url,
    }
    assert node_suite("sdk.test.mjs", env)["pass"] == "9"


def test_typescript_sdk_predictions(token_service, rate_limited_service, api_key):
    """predict/batchPredict by model and version, Prediction results with the request id, a
    key required up front, logging without the key, no retry of a 429 that can never fit."""
    env = {
        "SPECSERVE_TEST_URL": token_service.base_url,
        "SPECSERVE_TEST_API_KEY": api_key,
        "SPECSERVE_TEST_RATE_LIMITED_URL": rate_limited_service.base_url,
    }
    assert node_suite("predictions.test.mjs", env)["pass"] == "11"


def test_typescript_sdk_against_faults(stub):
    assert node_suite("faults.test.mjs", {"SPECSERVE_STUB_URL": stub.root})["pass"] == "13"


def test_typescript_sdk_reads_what_a_later_api_answers():
    """An unknown enum value and unknown properties pass through; a `Deprecation` header warns
    once per operation, with the sunset and the link (a canned server in the suite)."""
    assert node_suite("evolution.test.mjs", {})["pass"] == "4"


def tsc(*args: str | Path) -> subprocess.CompletedProcess[str]:
    requires("the TypeScript compiler (make node-deps)", TSC.exists())
    command = [str(TSC), *map(str, args)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_typescript_types_keep_the_public_surface_and_take_enum_values_a_later_api_adds():
    """surface.ts: the methods, options and results the docs use; open-types.ts: enums."""
    requires("the built TypeScript SDK (make sdk-deps)", BUILT.exists())
    files = [ROOT / "tests/sdk/typescript" / name for name in ("surface.ts", "open-types.ts")]
    out = tsc(*STRICT, *files)
    assert out.returncode == 0, out.stdout + out.stderr


USAGE = """import { SpecserveClient } from './index.js';
const client = new SpecserveClient();
export const explained = client.predict({ features: [1] }, { probabilities: true, explain: true });
// @ts-expect-error: no such parameter
export const typo = client.predict({ features: [1] }, { explane: true });
"""


def test_a_new_query_parameter_reaches_the_typescript_client_with_no_hand_edit(tmp_path):
    spec = yaml.safe_load((ROOT / "openapi/openapi.yaml").read_text(encoding="utf-8"))
    spec["info"]["version"] = "1.7.0"
    explain = {"name": "explain", "in": "query", "schema": {"type": "boolean"}}
    spec["paths"]["/predict"]["post"]["parameters"].append(explain)
    (tmp_path / "openapi.yaml").write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    make = [
        "make",
        "--no-print-directory",
        "-s",
        f"GEN_SPEC={tmp_path / 'openapi.yaml'}",
        f"GEN_OUT={tmp_path / 'out'}",
        "generate-typescript-sdk",
    ]
    env = {**os.environ, "MAKEFLAGS": ""}
    subprocess.run(make, cwd=ROOT, check=True, capture_output=True, env=env, timeout=300)
    sdk = tmp_path / "out" / "typescript-client"
    assert '"explain"' in (sdk / "src" / "specserve.ts").read_text(encoding="utf-8")
    assert json.loads((sdk / "package.json").read_text())["version"] == "1.7.0"
    (sdk / "src" / "usage.ts").write_text(USAGE, encoding="utf-8")
    out = tsc("-p", sdk / "tsconfig.json", "--noEmit")
    assert out.returncode == 0, out.stdout + out.stderr
