"""The `specserve` command runs beside gunicorn, often with the workers'
PROMETHEUS_MULTIPROC_DIR in its environment: it must not import the metrics (which would
write counter files into the live directory, or crash when the directory is absent)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.slow  # a fresh interpreter: the test process has imported everything
def test_the_command_line_imports_no_metrics():
    code = (
        "import sys, specserve.cli\n"
        "specserve.cli.build_parser()\n"
        "print('specserve.observability.metrics' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
