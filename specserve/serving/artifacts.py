"""Loading a version's scikit-learn artifact without running code from the file.

`skops` artifacts: skops trusts a fixed set of types by default (builtins, numpy arrays,
scikit-learn's estimator classes...). A file may name any other type, and skops would then
construct it with arguments from the file: `numpy.memmap("/some/path", mode="w+")` truncates a
file, a function reference calls a loader. So the types skops does not trust by default are
accepted only if each one is, exactly, in `TRUSTED_TYPES` (reviewed: the Cython containers
scikit-learn's own estimators are made of); anything else refuses the whole artifact before a
single object is built. `joblib`/pickle artifacts run code when loaded: only with
`SPECSERVE_ALLOW_PICKLE=true`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

# Exact type names, never prefixes. Each is a container scikit-learn estimators are made of,
# whose constructor takes shapes or numbers and touches no file.
TRUSTED_TYPES = frozenset(
    {
        "sklearn.tree._tree.Tree",
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
        "sklearn.neighbors._kd_tree.KDTree",
        "sklearn.neighbors._ball_tree.BallTree",
        "sklearn.metrics._dist_metrics.EuclideanDistance64",
        "sklearn.metrics._dist_metrics.ManhattanDistance64",
        "sklearn.metrics._dist_metrics.MinkowskiDistance64",
        "numpy.dtype",
    }
)


class ModelRefused(ValueError):
    """A model the service will not load or publish, with the reason in one line (an
    artifact that cannot be loaded safely, or at all; a model that cannot serve)."""


def artifact_path(version_dir: Path, metadata: dict[str, Any], fmt: str) -> Path:
    """The artifact's file, always inside the version's own folder."""
    default = "model.onnx" if fmt == "onnx" else f"model.{fmt}"
    name = Path(str(metadata.get("artifact") or default)).name
    return version_dir / name


def load_skops(path: Path) -> Any:
    import skops.io as sio

    untrusted = sio.get_untrusted_types(file=path)
    refused = sorted(t for t in untrusted if t not in TRUSTED_TYPES)
    if refused:
        raise ModelRefused(
            f"artifact names types outside the allow-list (nothing was loaded): {refused[:5]}"
        )
    return sio.load(path, trusted=list(untrusted))


def load_estimator(path: Path, fmt: str, allow_pickle: bool) -> Any:
    if fmt == "skops":
        return load_skops(path)
    if fmt == "joblib":
        if not allow_pickle:
            raise ModelRefused(
                "joblib/pickle artifact refused: unpickling runs code; set "
                "SPECSERVE_ALLOW_PICKLE=true only for artifacts you trust"
            )
        import joblib

        return joblib.load(path)
    raise ModelRefused(f"unknown artifact format {fmt!r} (skops, onnx or joblib)")
