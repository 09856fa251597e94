"""Loading a version's scikit-learn artifact without running code from the file.

`skops` artifacts: skops trusts a fixed set of types by default (builtins, numpy arrays,
scikit-learn's estimator classes...). A file may name any other type, and skops would then
construct it with arguments from the file: `numpy.memmap("/some/path", mode="w+")` truncates a
file, a function reference calls a loader. So the types skops does not trust by default are
accepted only if each one is, exactly, in `TRUSTED_TYPES` (reviewed: the Cython containers
scikit-learn's own estimators are made of); anything else refuses the whole artifact before a
single object is built. `joblib`/pickle artifacts run code when loaded: only with
`SPECSERVE_ALLOW_PICKLE=true`.

Every loaded estimator's trees are then checked (`specserve.serving.treecheck`): scikit-learn
walks their node arrays without bounds checks. And what an artifact may cost is bounded
before a byte of it is read: its file size, and for a skops zip the uncompressed sizes its
directory declares (`zipfile` never inflates a member past its declared size), so a small
file that inflates to gigabytes is refused at once.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Exact type names, never prefixes. Each is a container scikit-learn estimators are made of,
# whose constructor takes shapes or numbers and touches no file.
# What a served model does (`task` in metadata.json and the spec's `ModelMetadata.task`).
TASKS = ("classification", "regression", "clustering", "outlier_detection")

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
    artifact that cannot be loaded safely, or at all; a model that cannot serve). `kind` is
    the short class of the reason `/health` shows (never the reason itself)."""

    kind = "artifact refused"

    def __init__(self, message: str, kind: str | None = None) -> None:
        super().__init__(message)
        if kind is not None:
            self.kind = kind


@dataclass(frozen=True)
class Limits:
    """What one version may cost: its artifacts' sizes (`SPECSERVE_MODEL_MAX_BYTES`,
    `SPECSERVE_MODEL_MAX_UNCOMPRESSED_BYTES`), ONNX Runtime's memory in the worker
    (`SPECSERVE_ONNX_MAX_MEMORY_BYTES`) and one call's time (`SPECSERVE_PREDICT_TIMEOUT`).
    The defaults are the settings' defaults."""

    max_bytes: int = 1024**3
    max_uncompressed_bytes: int = 640 * 1024**2
    onnx_max_memory_bytes: int = 1024**3
    call_seconds: float = 10.0

    @classmethod
    def from_settings(cls, settings: Any) -> Limits:
        return cls(
            settings.model_max_bytes,
            settings.model_max_uncompressed_bytes,
            settings.onnx_max_memory_bytes,
            settings.predict_timeout,
        )


def check_size(path: Path, limits: Limits, extra: int = 0) -> None:
    """Refuse a file (plus `extra` bytes of data it brings, e.g. ONNX external data) larger
    than `SPECSERVE_MODEL_MAX_BYTES`, before it is read."""
    size = path.stat().st_size + extra
    if size > limits.max_bytes:
        raise ModelRefused(
            f"artifact is {size} bytes, above SPECSERVE_MODEL_MAX_BYTES ({limits.max_bytes})"
        )


def check_zip(path: Path, limits: Limits) -> None:
    """Refuse a skops zip whose members would inflate beyond
    `SPECSERVE_MODEL_MAX_UNCOMPRESSED_BYTES` (read from the zip directory only)."""
    check_size(path, limits)
    try:
        with zipfile.ZipFile(path) as zf:
            total = sum(info.file_size for info in zf.infolist())
    except zipfile.BadZipFile:
        raise ModelRefused(
            "not a skops artifact (not a zip file: truncated or another format); "
            "save the model again with skops.io.dump",
            kind="artifact unreadable",
        ) from None
    if total > limits.max_uncompressed_bytes:
        raise ModelRefused(
            f"artifact inflates to {total} bytes, above "
            f"SPECSERVE_MODEL_MAX_UNCOMPRESSED_BYTES ({limits.max_uncompressed_bytes})"
        )


def artifact_path(version_dir: Path, metadata: dict[str, Any], fmt: str) -> Path:
    """The artifact's file, always inside the version's own folder."""
    default = "model.onnx" if fmt == "onnx" else f"model.{fmt}"
    name = Path(str(metadata.get("artifact") or default)).name
    return version_dir / name


def load_skops(path: Path, limits: Limits | None = None) -> Any:
    """A skops artifact: sizes, then the scikit-learn release it was saved with, then the
    types it names, all checked before anything is constructed."""
    import skops.io as sio

    from specserve.serving.versions import check_skops, export_advice, other_library

    check_zip(path, limits or Limits())
    check_skops(path)
    untrusted = sio.get_untrusted_types(file=path)
    refused = sorted(t for t in untrusted if t not in TRUSTED_TYPES)
    library = other_library(refused)
    if library:
        raise ModelRefused(export_advice(library))
    if refused:
        raise ModelRefused(
            f"artifact names types outside the allow-list (nothing was loaded): {refused[:5]}; "
            "export the model to ONNX, or, if you trust the file, save it with joblib and add "
            "it with --allow-pickle (served with SPECSERVE_ALLOW_PICKLE=true)"
        )
    return sio.load(path, trusted=list(untrusted))


def load_estimator(path: Path, fmt: str, allow_pickle: bool, limits: Limits | None = None) -> Any:
    """The estimator of a skops or (opt-in) pickle artifact, its trees checked."""
    from specserve.serving.treecheck import check_trees

    estimator = _load(path, fmt, allow_pickle, limits or Limits())
    check_trees(estimator)
    return estimator


def _load(path: Path, fmt: str, allow_pickle: bool, limits: Limits) -> Any:
    if fmt == "skops":
        return load_skops(path, limits)
    if fmt == "joblib":
        if not allow_pickle:
            raise ModelRefused(
                "joblib/pickle artifact refused: unpickling runs code; set "
                "SPECSERVE_ALLOW_PICKLE=true only for artifacts you trust"
            )
        from specserve.serving.versions import load_pickle

        check_size(path, limits)
        return load_pickle(path)
    raise ModelRefused(f"unknown artifact format {fmt!r} (skops, onnx or joblib)")
