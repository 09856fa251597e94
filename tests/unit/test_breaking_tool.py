"""The gate end to end, the real npm openapi-diff included (`make breaking` runs this)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.lifecycle import tool
from tests.spec_changes import BASELINE, CASES, FIRST, case_specs, dump

pytestmark = pytest.mark.slow
OPENAPI_DIFF = Path("sdk-templates/node_modules/.bin/openapi-diff")
BY_NAME = {case["name"]: case for case in CASES}


def gate(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "scripts.lifecycle",
        *args,
        "--openapi-diff",
        str(OPENAPI_DIFF.resolve()),
    ]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(Path.cwd())},
    )


@pytest.fixture
def layout(tmp_path) -> Path:
    (tmp_path / "openapi" / "released").mkdir(parents=True)
    (tmp_path / "openapi" / "released" / "1.0.0.yaml").write_text(BASELINE.read_text())
    (tmp_path / "CHANGELOG.md").write_text(FIRST)
    return tmp_path


def write(layout: Path, name: str) -> None:
    spec = case_specs(BY_NAME[name])[1]
    (layout / "openapi" / "openapi.yaml").write_text(dump(spec))


def test_the_working_contract_passes():
    done = gate("check")
    assert done.returncode == 0, done.stderr


def test_a_rename_fails_with_what_where_and_what_to_do(layout):
    write(layout, "rename of a required response property")
    done = gate("check", cwd=layout)
    assert done.returncode == 1
    assert "breaking  response property `processing_time_ms` removed" in done.stderr
    assert "#/components/schemas/PredictionResponse/properties/processing_time_ms" in done.stderr
    assert "make release VERSION=2.0.0" in done.stderr
    assert len(done.stderr.splitlines()) < 20, done.stderr


def test_an_opt_in_property_releases_as_a_minor_version(layout):
    write(layout, "new property in PredictionResponse declared opt-in")
    assert gate("check", cwd=layout).returncode == 1
    done = gate("release", "--version", "1.1.0", cwd=layout)
    assert done.returncode == 0, done.stderr
    assert "`score`" in (layout / "CHANGELOG.md").read_text()
    done = gate("check", cwd=layout)
    assert done.returncode == 0, done.stderr


def test_what_openapi_diff_sees_and_misses():
    """Why the rules exist: it calls an opt-in property breaking and misses enums and
    parameters altogether."""

    def codes(name: str) -> set[tuple[str, str]]:
        return {(d.type, d.code) for d in tool.run(*case_specs(BY_NAME[name]), OPENAPI_DIFF)}

    assert codes("new property in PredictionResponse declared opt-in") == {
        ("breaking", "response.body.scope.add")
    }
    assert codes("narrowed constraint (features.maxItems 1000 -> 100)") == {
        ("breaking", "request.body.scope.remove")
    }
    assert codes("new optional response property outside the seed client's objects") == {
        ("breaking", "response.body.scope.add")
    }
    assert codes("widened response enum") == set()
    assert codes("removed enum value in a response") == set()
    assert codes("new required query parameter") == set()
