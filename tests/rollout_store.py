"""Candidate versions of the default model for rollout tests, beside its `1.0.0`.

Each keeps the default model's contract (its metadata.json, inputs and classes) and is a
pre-release, so it never serves the unversioned routes on its own; only a shadow or canary
file puts it there. `answers` is `tests.serving.faulty.Faulty` (pickled: the service needs
`SPECSERVE_ALLOW_PICKLE=true`): on rows whose amount is under `TRIGGER` it predicts 1 (the
default model mostly 0: it answers differently), from `TRIGGER` on it raises or sleeps.
"""

from __future__ import annotations

import json
from pathlib import Path

import joblib
import numpy as np

from tests.serving.faulty import TRIGGER, Faulty

MODEL = "fraud-detector"
DIFFERENT = "2.0.0-flip"  # answers 1 where the default model answers 0
RAISES = "2.0.0-raise"
HANGS = "2.0.0-hang"
LOW = [50.0, 3.0, 0.1]  # under TRIGGER: every candidate answers (1)
HIGH = [5000.0, 3.0, 0.1]  # from TRIGGER on: RAISES raises, HANGS sleeps
assert LOW[0] < TRIGGER <= HIGH[0]


def add_candidate(model_dir: Path, version: str, mode: str = "raise", seconds: float = 5.0):
    """A pickled Faulty version with the default model's metadata (and so its contract)."""
    folder = model_dir / MODEL / version
    folder.mkdir(parents=True)
    metadata = json.loads((model_dir / MODEL / "1.0.0" / "metadata.json").read_text())
    x = np.zeros((4, 3))
    joblib.dump(Faulty(mode, seconds).fit(x, None), folder / "model.joblib")
    metadata.update(format="joblib", artifact="model.joblib", runtime="sklearn", version=version)
    (folder / "metadata.json").write_text(json.dumps(metadata))
    return folder


def add_candidates(model_dir: Path) -> None:
    add_candidate(model_dir, DIFFERENT, "raise")
    add_candidate(model_dir, RAISES, "raise")
    add_candidate(model_dir, HANGS, "slow")
