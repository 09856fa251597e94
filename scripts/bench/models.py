"""Model cost in process for `make bench`: scikit-learn against ONNX Runtime, per call.

For the default model (as `make model` publishes it) and a RandomForest (100 trees, depth 10;
bare, and behind a StandardScaler), each published the way `specserve models add` does, then
loaded as a worker loads it: CPU microseconds per call of 1 and 100 rows through the served
path (`Model.score`: the runtime's call plus decoding), for the scikit-learn runtime and the
ONNX Runtime one, plus the bare `predict_proba`; and the resident memory each loaded version
adds. Also runnable alone: `python -m scripts.bench.models MODEL_DIR CALLS`.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from scripts.bench.inprocess import ROW, cpu_us, rows


def forests(n_rows: int, seed: int = 0) -> dict[str, Any]:
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from scripts.train_default_model import make_data

    x, y = make_data(n_rows, seed)
    forest = RandomForestClassifier(100, max_depth=10, random_state=seed, n_jobs=1)
    return {
        "forest": forest.fit(x, y),
        "scaled-forest": make_pipeline(
            StandardScaler(), RandomForestClassifier(100, max_depth=10, random_state=seed)
        ).fit(x, y),
    }


def _rss_kb() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def _load(root: Path, name: str, runtime: str) -> Any:
    """The version, loaded as a worker loads it, with one runtime."""
    from specserve.serving.model import load_version

    meta_path = root / name / "1" / "metadata.json"
    meta = json.loads(meta_path.read_text())
    meta_path.write_text(json.dumps({**meta, "runtime": runtime}))
    return load_version(root / name, "1", ["1"], allow_pickle=False)


def rss_of_load(root: Path, name: str, runtime: str) -> int:
    """Resident memory (KiB) one more loaded version adds, in a fresh process (the libraries
    and a first copy loaded before counting)."""
    code = (
        "import sys; from pathlib import Path; "
        "from scripts.bench.models import _load, _rss_kb; "
        "a = _load(Path(sys.argv[1]), sys.argv[2], sys.argv[3]); "
        "b = _rss_kb(); m = _load(Path(sys.argv[1]), sys.argv[2], sys.argv[3]); "
        "print(_rss_kb() - b)"
    )
    args = [sys.executable, "-c", code, str(root), name, runtime]
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return int(done.stdout.strip().splitlines()[-1])


def timed(fn: Any, n: int) -> float:
    """`cpu_us`, with fewer calls for a slow function (about 0.2 s of CPU per round)."""
    started = time.process_time()
    fn()
    cost = max(time.process_time() - started, 1e-6)
    return cpu_us(fn, max(10, min(n, int(0.2 / cost))))


def model_costs(model: Any, n: int, prefix: str) -> dict[str, Any]:
    x1, x100 = np.array([ROW]), np.array(rows(100))
    return {
        f"{prefix}_1row_us": timed(lambda: model.score(x1), n),
        f"{prefix}_100rows_us": timed(lambda: model.score(x100), n),
    }


def figures(model_dir: Path, n: int) -> dict[str, Any]:
    from specserve.serving.publish import add_estimator

    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(model_dir / "fraud-detector" / "1.0.0", root / "default" / "1")
        for name, estimator in forests(20_000 if n >= 500 else 4_000).items():
            add_estimator(root, name, "1", estimator)
        for name in ("default", "forest", "scaled-forest"):
            key = name.replace("-", "_")
            parity = json.loads((root / name / "1" / "parity.json").read_text())
            out[f"{key}_onnx_gate_passed"] = bool(parity["passed"])
            out[f"{key}_onnx_float64_scaler"] = parity["strategy"] == "float64-scaler"
            for runtime in ("sklearn", "onnx"):
                if runtime == "onnx" and not parity["passed"]:
                    continue
                model = _load(root, name, runtime)
                out.update(model_costs(model, n, f"{key}_{runtime}"))
                out[f"{key}_{runtime}_rss_kib"] = rss_of_load(root, name, runtime)
                if runtime == "sklearn":
                    est, x1 = model.estimator, np.array([ROW])
                    out[f"{key}_sklearn_predict_proba_1row_us"] = timed(
                        lambda est=est, x1=x1: est.predict_proba(x1), n
                    )
    out["peak_rss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return out


if __name__ == "__main__":
    from specserve.app import pin_thread_pools

    pin_thread_pools()
    print(json.dumps(figures(Path(sys.argv[1]), int(sys.argv[2])), indent=2))
