"""The shell and Python examples in the guides run against the live service."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
GUIDES = ["authentication.md"]
FENCE = re.compile(r"^```(sh|python)\n(.*?)^```", re.M | re.S)


def blocks(guide: str, lang: str) -> list[str]:
    return [code for kind, code in FENCE.findall((DOCS / guide).read_text()) if kind == lang]


@pytest.fixture(scope="module")
def doc_env(service, api_key, keys_file):
    return {
        **os.environ,
        "SPECSERVE_BASE_URL": service.base_url,
        "SPECSERVE_API_KEY": api_key,
        "SPECSERVE_KEYS_FILE": str(keys_file),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }


@pytest.mark.parametrize("guide", GUIDES)
def test_shell_examples(guide, doc_env):
    script = "set -euo pipefail\n" + "\n".join(blocks(guide, "sh"))
    assert script.count("\n") > 5, "the guide lost its examples"
    out = subprocess.run(
        ["bash", "-c", script],
        cwd=DOCS.parent,  # the guide calls .venv/bin/specserve
        env=doc_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, f"stdout:\n{out.stdout}\nstderr:\n{out.stderr}"


@pytest.mark.parametrize("guide", GUIDES)
def test_python_examples(guide, doc_env):
    examples = blocks(guide, "python")
    assert examples, "the guide lost its examples"
    for code in examples:
        out = subprocess.run(
            [sys.executable, "-c", code], env=doc_env, capture_output=True, text=True, timeout=60
        )
        assert out.returncode == 0, f"{code}\n{out.stderr}"
