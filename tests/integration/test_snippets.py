"""Every snippet of the docs runs as written against a live service (tests/snippets.py says
how blocks are found, marked, continued and run). One test per chain of blocks, named by the
file and line of its first block, so a failure says where to look; a few chains also check
what they printed beyond the output the docs show."""

from __future__ import annotations

import json
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import pytest

from specserve.auth.filestore import FileKeyStore
from tests.conftest import requires
from tests.live import LiveService
from tests.snippets import TS_SDK, TSC, Chain, Runner, all_blocks, chains, snippet_env

BLOCKS = all_blocks()
CHAINS = chains(BLOCKS)


@pytest.fixture(scope="module")
def live(workdir, model_dir, keys_file, api_key):
    """One worker polling the store often (a version `models add` writes serves at once),
    bearer tokens on, the prediction log in files (README's replay reads it)."""
    env = {
        "SPECSERVE_MODEL_POLL_SECONDS": "0.2",
        "SPECSERVE_JWT_SECRET": secrets.token_urlsafe(48),
        "SPECSERVE_PREDICTION_LOG": f"file:{workdir / 'predictions'}",
    }
    with LiveService(workdir, model_dir, keys_file, workers=1, env=env) as svc:
        yield svc


@pytest.fixture(scope="module")
def runner(live, api_key, keys_file, model_dir, tmp_path_factory) -> Runner:
    address = urlparse(live.base_url).netloc
    admin = FileKeyStore(keys_file).create("docs-admin", scopes=["admin"])[1]
    env = snippet_env(live.base_url, address, api_key, admin, keys_file)
    env["SPECSERVE_PREDICTION_LOG"] = live.env["SPECSERVE_PREDICTION_LOG"]
    # the CLI reads the service's usage counters where the service keeps them
    for name in ("SPECSERVE_REDIS_URL", "SPECSERVE_RATE_LIMIT_KEY_PREFIX"):
        if name in live.env:
            env[name] = live.env[name]
    return Runner(env, address, api_key, tmp_path_factory.mktemp("snippets"), model_dir)


def _integration_curl(out: dict[str, str], folder_models: Path) -> None:
    one, batch, health = (json.loads(line) for line in next(iter(out.values())).splitlines())
    assert one["request_id"] == "req-123"
    assert len(batch["predictions"]) == 2
    assert health["status"] == "healthy"


def _integration_python(out: dict[str, str], folder_models: Path) -> None:
    text = next(iter(out.values()))
    assert "prediction" in text and "batch [" in text and "health healthy" in text
    assert "refused 422 feature_count_mismatch request id" in text and "remaining " in text


def _integration_ts(out: dict[str, str], folder_models: Path) -> None:
    text = next(iter(out.values()))
    assert "prediction" in text and "health healthy" in text
    assert "refused 422 feature_count_mismatch request id" in text


def _integration_triton(out: dict[str, str], folder_models: Path) -> None:
    lines = next(iter(out.values())).splitlines()
    assert lines[0] == "ready True"
    assert lines[1] == "inputs [('input', 'FP32', [-1, 3])]"
    assert lines[2].startswith("predict [") and lines[3].startswith("predict_proba [0, 1] [[")
    assert lines[4] == (
        "refused 400 Input 'input': shape [1, 2] holds 2 values per row; the model takes 3."
    )


def _walkthrough(out: dict[str, str], models: Path) -> None:
    metadata = json.loads((models / "loan" / "1" / "metadata.json").read_text())
    assert metadata["layout"] == "frame"
    assert [i["name"] for i in metadata["inputs"]] == ["income", "debt", "age", "city"]


def _v2_sample(out: dict[str, str], models: Path) -> None:
    """A tritonclient sample prints what it asked for (never False, never nothing)."""
    assert next(iter(out.values())).strip() not in ("", "False")


# Checks beyond the shown output: (file, heading of the chain's first block) -> check.
CHECKS: dict[tuple[str, str], Callable[[dict[str, str], Path], None]] = {
    ("docs/integration-examples.md", "## curl"): _integration_curl,
    ("docs/integration-examples.md", "## Python SDK"): _integration_python,
    ("docs/integration-examples.md", "## TypeScript SDK"): _integration_ts,
    (
        "docs/integration-examples.md",
        "## Open Inference Protocol: tritonclient",
    ): _integration_triton,
    ("README.md", "### From a notebook to a prediction"): _walkthrough,
}


@pytest.mark.parametrize("chain", CHAINS, ids=[c.id for c in CHAINS])
def test_snippet_runs_as_written(chain: Chain, runner: Runner, model_dir: Path) -> None:
    langs = {b.lang for b in chain.blocks}
    if "ts" in langs:
        requires("the TypeScript compiler (make node-deps)", TSC.exists())
        requires(
            "the built TypeScript SDK (make sdk-deps)", (TS_SDK / "dist" / "index.js").exists()
        )
        requires("Node.js", shutil.which("node") is not None)
    if any("tritonclient" in b.code for b in chain.blocks):
        pytest.importorskip("tritonclient.http")
    if any("keys usage" in b.code for b in chain.blocks):  # the counters the CLI can read
        requires("Redis (SPECSERVE_TEST_REDIS_URL)", "SPECSERVE_REDIS_URL" in runner.env)
    out = runner.run_chain(chain)
    first = chain.blocks[0]
    if check := CHECKS.get((first.file, first.heading)):
        check(out, model_dir)
    if first.file.startswith("docs/inference-v2.html") and first.lang == "python":
        _v2_sample(out, model_dir)
