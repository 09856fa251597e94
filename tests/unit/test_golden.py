"""The generators' output for a small fixture spec equals the committed expectations.

A generator upgrade, a template or config change shows up here as a readable diff, on a spec
small enough to review. `make update-golden` rewrites the expectations after a deliberate
change.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import requires

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "fixtures" / "golden"
TARGETS = ["generate-models", "generate-python-sdk", "generate-typescript-sdk", "generate-postman"]


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".ruff_cache" not in p.parts and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    requires("make and npm", shutil.which("make") is not None and shutil.which("npm") is not None)
    out = tmp_path_factory.mktemp("golden")
    subprocess.run(
        [
            "make",
            "--no-print-directory",
            "-s",
            f"GEN_SPEC={GOLDEN.relative_to(ROOT) / 'spec.yaml'}",
            f"GEN_OUT={out / 'generated'}",
            f"DOCS_OUT={out / 'docs'}",
            *TARGETS,
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ, "MAKEFLAGS": ""},
    )
    return out


def test_generated_files_match_the_golden_files(generated):
    expected, actual = tree(GOLDEN / "expected"), tree(generated)
    assert sorted(actual) == sorted(expected), "files added or missing: run `make update-golden`"
    for name, content in expected.items():
        if actual[name] != content:
            diff = difflib.unified_diff(
                content.decode().splitlines(),
                actual[name].decode().splitlines(),
                f"expected/{name}",
                f"generated/{name}",
                lineterm="",
            )
            pytest.fail("\n".join(list(diff)[:80]))


def test_golden_models_keep_constraints_and_nullability():
    text = (GOLDEN / "expected" / "generated" / "models.py").read_text()
    assert "Field(ge=0.0, le=1.0)" in text  # minimum/maximum
    assert "Field(max_length=10, min_length=1)" in text  # minItems/maxItems
    assert "note: Annotated[str | None, Field(...)]" in text  # required and nullable
    assert 'extra="forbid"' in text  # additionalProperties: false
