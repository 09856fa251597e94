"""`make bench` tooling, in its seconds-long quick mode, so it cannot rot unnoticed.

It starts the real service and the framework floor under wrk, then checks that the three
reports are written and hold sane figures. No timing is asserted: performance is judged in
the full bench, as ratios.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.conftest import requires
from tests.live import ROOT


@pytest.fixture(scope="module")
def reports(tmp_path_factory, trained_model_dir):
    requires("wrk (apt-get install -y wrk)", shutil.which("wrk") is not None)
    out = tmp_path_factory.mktemp("reports")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "scripts.bench",
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


def test_all_three_reports_are_written(reports):
    assert (reports / "bench.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = (reports / "bench.md").read_text()
    headings = (
        "## CPU per request, all-in",
        "## Goals",
        "## /v1/predict",
        "## Memory and start-up",
    )
    typed = "## Named, typed features (in process)"
    parts = ("## Prediction log (file sink, in process)", "## Shadow versions (in process)")
    for heading in (*headings, "## /v1/batch_predict", "## Per-worker split", typed, *parts):
        assert heading in md
    data = json.loads((reports / "bench.json").read_text())
    assert {"machine", "plan", "inprocess_us", "runs", "summary", "ratios", "goals"} <= set(data)
    assert {"headline", "processes", "typed", "v2", "predlog", "rollout"} <= set(data)
    assert data["machine"]["cores"] >= 1 and data["machine"]["wrk"].startswith("wrk")


def test_every_run_served_requests_without_errors_and_sane_figures(reports):
    data = json.loads((reports / "bench.json").read_text())
    runs, default = data["runs"], data["default_config"]
    scenarios = {(r["config"], r["endpoint"], r["connections"]) for r in runs}
    assert (default, "predict", 1) in scenarios
    assert (default, "batch", 8) in scenarios
    assert (default, "predict-named", 8) in scenarios  # the same rows, named
    assert (default, "v2-infer", 8) in scenarios  # the same rows, as one-row V2 infers
    assert (f"{default}/prediction-log", "predict", 8) in scenarios  # the file sink on
    assert any(config.startswith("floor/") for config, _, _ in scenarios)
    for r in runs:
        assert r["requests"] > 0 and r["errors"] == 0, r
        assert 0 < r["p50_ms"] <= r["p90_ms"] <= r["p99_ms"] <= r["max_ms"], r
        assert r["server_cpu_ms_per_req"] > 0 and r["wrk_cpu_ms_per_req"] >= 0, r
        assert abs(sum(r["worker_cpu_share"]) - 1) < 0.05, r  # shares of the workers' CPU
        if r["connections"] > 1:
            assert sum(r["worker_connections"]) == r["connections"], r  # wrk's, all held
        rows = 100 if r["endpoint"] == "batch" else 1
        assert r["rows_per_s"] == pytest.approx(r["rps"] * rows)


def test_references_and_derived_figures_are_present(reports):
    data = json.loads((reports / "bench.json").read_text())
    refs = data["inprocess_us"]
    assert refs["model_call_1row_us"] > 0 and refs["model_call_100rows_us"] > 0
    assert refs["validate_compiled_100rows_us"] > 0 and refs["access_log_line_us"] > 0
    assert refs["default_model_onnx"] is True
    for model in ("default", "forest", "scaled_forest"):  # scikit-learn vs ONNX Runtime
        assert refs[f"{model}_sklearn_1row_us"] > 0 and refs[f"{model}_onnx_100rows_us"] > 0
    default = data["default_config"]
    assert data["ratios"]["batch_rows_vs_single"][default]["median"] > 0
    assert data["server_state"][default]["threads_check"]["status"] == "pass"
    goals = {g["goal"]: g for g in data["goals"]}
    assert all(g["met"] in (True, False, None) for g in goals.values())
    typed = [g for g in goals if "named" in g or "mixed-type" in g]
    # in process: named form, mixed pipeline, batch calls; under wrk: named form at 8 conns
    assert len(typed) == 4 and all(goals[g]["met"] is not None for g in typed)
    assert goals["model calls for one batch_predict of 100 named rows"]["met"] is True
    assert data["ratios"]["named_over_positional_cpu"]["@8"]["median"] > 0
    assert data["ratios"]["v2_over_v1_cpu"]["@8"]["median"] > 0
    v2 = [g for g in goals if g.startswith("V2 infer")]
    # in process (the [1, 3] row), under wrk at 8 connections
    assert len(v2) == 2 and all(goals[g]["met"] is not None for g in v2)
    # in process: the prediction log on / off; a shadow's extra CPU, a slow shadow's wall time
    # under wrk: the default configuration with the file sink on, paired with it off
    predlog = [g for g in goals if g.startswith("prediction log")]
    assert len(predlog) == 2 and all(goals[g]["met"] is not None for g in predlog)
    assert data["ratios"]["predlog_over_plain_cpu"]["@8"]["median"] > 0
    shadow = [g for g in goals if "shadow" in g]
    assert len(shadow) == 2 and all(goals[g]["met"] is not None for g in shadow)
    assert data["predlog"]["records_written"] == data["predlog"]["requests_logged"]
    assert any(g["met"] is not None for g in goals.values())


def test_the_rate_limit_store_is_counted_all_in_with_memory_and_start_up(reports):
    data = json.loads((reports / "bench.json").read_text())
    default = data["default_config"]
    assert data["machine"]["rate_limit_store"].startswith("redis (its own redis-server")
    limited = [r for r in data["runs"] if r["config"] == default]
    for r in limited:
        assert r["redis_cpu_ms_per_req"] >= 0, r
        assert r["allin_cpu_ms_per_req"] == pytest.approx(
            r["server_cpu_ms_per_req"] + r["redis_cpu_ms_per_req"]
        )
    # limited requests made the bench's redis-server work (CPU is read in clock ticks)
    assert sum(r["redis_cpu_ms_per_req"] * r["requests"] for r in limited) > 0
    assert "predict@1" in data["headline"]
    for name, p in data["processes"].items():
        assert p["ready_s"] > 0, name
        assert p["rss_mb_idle"] and all(mb > 10 for mb in p["rss_mb_loaded"]), name
