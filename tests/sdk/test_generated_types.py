"""The generated Python code passes `mypy --strict`: the SDK package and the models."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def mypy(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        # The SDK is installed editable (an import hook mypy cannot follow): point at it.
        env={**os.environ, "MYPYPATH": str(ROOT / "generated" / "python-client")},
    )


def test_python_sdk_is_mypy_strict_clean():
    out = mypy("specserve_client", cwd=ROOT / "generated" / "python-client")
    assert out.returncode == 0, out.stdout + out.stderr


def test_models_are_mypy_strict_clean():
    out = mypy("generated/models.py")
    assert out.returncode == 0, out.stdout + out.stderr


def test_mypy_catches_a_misuse_of_the_sdk(tmp_path):
    """The check has teeth: a wrongly typed call is reported."""
    misuse = tmp_path / "misuse.py"
    misuse.write_text(
        "from specserve_client import SpecserveClient\n"
        "api = SpecserveClient('http://127.0.0.1:1/v1', api_key='k')\n"
        "label: str = api.predict(['a', 'b']).prediction\n"
    )
    out = mypy(str(misuse))
    assert out.returncode == 1
    assert 'List item 0 has incompatible type "str"; expected "float"' in out.stdout
    assert "Incompatible types in assignment" in out.stdout
