"""`python -m scripts.bench --only v2`: the Open Inference Protocol part of the bench, in
process (no wrk), in its quick mode, so its goals keep being measured and reported.

Ratios only, never absolute times: the CPU goal (a V2 infer at most 10 % dearer than
`/v1/predict`) is the bench's to report, not this test's to assert on a shared 2-core CI
machine, where one quick round's noise is of the order of that margin. The model-call count
is exact, and asserted.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.live import ROOT


@pytest.fixture(scope="module")
def v2_report(tmp_path_factory, trained_model_dir):
    out = tmp_path_factory.mktemp("reports")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "scripts.bench",
            "--only",
            "v2",
            "--quick",
            "--out",
            str(out),
            "--model-dir",
            str(trained_model_dir),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return out


def test_the_v2_reports_are_written_with_a_line_per_goal(v2_report):
    data = json.loads((v2_report / "bench_v2.json").read_text())
    md = (v2_report / "bench_v2.md").read_text()
    assert "## Goals" in md and "## Open Inference Protocol (V2, in process)" in md
    goals = [g["goal"] for g in data["goals"]]
    assert len(goals) == 2 and all(goal in md for goal in goals)
    v2 = data["v2"]
    for ratio in ("v2_json_over_v1", "v2_binary_over_v1"):
        assert 0 < v2[ratio]["min"] <= v2[ratio]["median"] <= v2[ratio]["max"]
    assert not (v2_report / "bench.json").exists()  # the full bench's report is kept


def test_a_100_row_infer_is_one_model_call(v2_report):
    v2 = json.loads((v2_report / "bench_v2.json").read_text())["v2"]
    assert v2["v2_batch_status"] == 200 and v2["v2_batch_answered_rows"] == 100
    assert v2["v2_batch_runner_calls"] == 1 and v2["v2_batch_runner_rows"] == 100
