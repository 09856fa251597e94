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

from scripts.postprocess_generated import COMMENT, COPY_HEADER, SOURCE_HEADER, header_line
from tests.conftest import requires

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "fixtures" / "golden"
TARGETS = ["generate-models", "generate-python-sdk", "generate-typescript-sdk", "generate-postman"]
# Hand-written SDK code and the package folder `make generate` copies it into.
HAND_WRITTEN = {
    "sdk-templates/python/lib/*.py": "generated/python-client/specserve_client/lib",
    "sdk-templates/typescript/src/*.ts": "generated/typescript-client/src",
    "sdk-templates/typescript/README.md": "generated/typescript-client",
}


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


@pytest.mark.slow  # runs `make`
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


@pytest.mark.slow  # runs `make`
def test_hand_written_code_says_so_and_generated_code_says_do_not_edit(generated):
    copies = {
        f"{target}/{source.name}": source
        for pattern, target in HAND_WRITTEN.items()
        for source in sorted(ROOT.glob(pattern))
    }
    assert len(copies) >= 6, "hand-written sources not found: update HAND_WRITTEN"
    spec = str(GOLDEN.relative_to(ROOT) / "spec.yaml")
    for name, content in tree(generated).items():
        generator_header = header_line(Path(name), spec)
        if generator_header is None:  # JSON: no comments
            continue
        first, _, rest = content.decode().partition("\n")
        source = copies.pop(name, None)
        if source is None:
            assert first == generator_header, f"{name}: generated, without `{generator_header}`"
            continue
        comment = COMMENT[source.suffix]
        own_first, _, own_rest = source.read_text().partition("\n")
        assert own_first.startswith(comment.split("{}")[0] + SOURCE_HEADER), source
        copied_from = COPY_HEADER.format(source=source.relative_to(ROOT).as_posix())
        assert first == comment.format(copied_from), f"{name}: hand-written, header `{first}`"
        assert generator_header not in content.decode(), f"{name}: stamped `do not edit`"
        assert rest == own_rest, f"{name}: not a verbatim copy of {source.relative_to(ROOT)}"
    assert not copies, f"hand-written files not in the packages: {sorted(copies)}"


def test_golden_models_keep_constraints_and_nullability():
    text = (GOLDEN / "expected" / "generated" / "models.py").read_text()
    assert "Field(ge=0.0, le=1.0)" in text  # minimum/maximum
    assert "Field(max_length=10, min_length=1)" in text  # minItems/maxItems
    assert "note: Annotated[str | None, Field(...)]" in text  # required and nullable
    assert 'extra="forbid"' in text  # additionalProperties: false
