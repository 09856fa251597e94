"""Model registry: `MODEL_DIR/<name>/<version>/` holds an artifact and its `metadata.json`.

The newest version of each model serves. Artifacts load safely: `skops` files with a type
allow-list (no arbitrary code runs); joblib/pickle files only when the operator opts in with
`SPECSERVE_ALLOW_PICKLE=true`, because unpickling runs code. A model that fails to load is
kept as `failed` and answers 503; it never stops the service from starting.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from specserve import spec
from specserve.errors import FeatureCountMismatch, ModelNotFound, ModelUnavailable

log = logging.getLogger("specserve.serving.registry")

NAME_RE = spec.load().model_name  # the contract's ModelName pattern
TRUSTED_MODULE_PREFIXES = ("sklearn.", "numpy.", "scipy.")


def version_key(version: str) -> tuple:
    parts = re.split(r"[.+-]", version)
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


@dataclass
class Model:
    name: str
    version: str
    versions: list[str]
    path: Path
    metadata: dict[str, Any] = field(default_factory=dict)
    estimator: Any = None
    error: str | None = None
    newer_error: str | None = None  # a newer version failed to load; this one still serves
    stamp: int = 0  # metadata.json's mtime when loaded: an edited file reloads the model

    @property
    def ready(self) -> bool:
        return self.estimator is not None

    @property
    def n_features(self) -> int:
        return int(self.metadata.get("n_features", len(self.metadata.get("feature_names", []))))

    def describe(self) -> dict[str, Any]:
        md = self.metadata
        return {
            "name": self.name,
            "version": self.version,
            "status": "ready" if self.ready else "failed",
            "description": str(md.get("description", "")),
            "framework": str(md.get("framework", "scikit-learn")),
            "feature_names": [str(f) for f in md.get("feature_names", [])],
            "n_features": self.n_features,
            "classes": [
                float(c) if not float(c).is_integer() else int(c) for c in md.get("classes", [])
            ],
            "metrics": {k: float(v) for k, v in md.get("metrics", {}).items()},
        }

    def check_features(self, rows: list[list[float]], batch: bool = False) -> None:
        """Refuse the first row whose length is not the model's; `batch`: rows of `requests`."""
        expected = self.n_features
        for i, row in enumerate(rows):
            if len(row) != expected:
                where = f"$.requests[{i}].features" if batch else "$.features"
                raise FeatureCountMismatch(
                    f"Model '{self.name}' expects {expected} features, got {len(row)}.",
                    errors=[
                        {"path": where, "message": f"expected {expected} features, got {len(row)}"}
                    ],
                )

    def predict(self, x: np.ndarray, predict_proba: Any = None) -> tuple[np.ndarray, np.ndarray]:
        """Labels and the probability of each label: one `predict_proba` pass.

        `predict_proba`, when given, stands in for the estimator's own (an equivalent
        compiled path, see `specserve.serving.predict.compiled_proba`).
        """
        if not self.ready:
            raise ModelUnavailable(f"Model '{self.name}' is not available.")
        proba = (predict_proba or self.estimator.predict_proba)(x)
        idx = proba.argmax(axis=1)
        return self.estimator.classes_[idx], proba[np.arange(len(idx)), idx]


def load_artifact(version_dir: Path, metadata: dict[str, Any], allow_pickle: bool) -> Any:
    fmt = metadata.get("format", "skops")
    artifact = version_dir / Path(str(metadata.get("artifact", f"model.{fmt}"))).name
    if fmt == "skops":
        import skops.io as sio

        untrusted = sio.get_untrusted_types(file=artifact)
        refused = [t for t in untrusted if not t.startswith(TRUSTED_MODULE_PREFIXES)]
        if refused:
            raise ValueError(f"artifact holds types outside the allow-list: {refused[:5]}")
        return sio.load(artifact, trusted=untrusted)
    if fmt == "joblib":
        if not allow_pickle:
            raise ValueError(
                "joblib/pickle artifact refused: unpickling runs code; set "
                "SPECSERVE_ALLOW_PICKLE=true only for artifacts you trust"
            )
        import joblib

        return joblib.load(artifact)
    raise ValueError(f"unknown artifact format {fmt!r}")


def load_model(model_dir: Path, allow_pickle: bool) -> Model | None:
    versions = sorted(
        (p.name for p in model_dir.iterdir() if p.is_dir() and (p / "metadata.json").exists()),
        key=version_key,
    )
    if not versions:
        return None
    newest = versions[-1]
    version_dir = model_dir / newest
    model = Model(name=model_dir.name, version=newest, versions=versions, path=version_dir)
    started = time.perf_counter()
    try:
        model.stamp = _stamp(version_dir)
        model.metadata = json.loads((version_dir / "metadata.json").read_text())
        estimator = load_artifact(version_dir, model.metadata, allow_pickle)
        if not hasattr(estimator, "predict_proba"):
            raise ValueError("estimator has no predict_proba")
        model.estimator = estimator
        log.info(
            "model loaded",
            extra={
                "model": model.name,
                "version": newest,
                "seconds": round(time.perf_counter() - started, 3),
            },
        )
    except Exception as exc:  # a bad artifact must not stop the service
        model.error = f"{type(exc).__name__}: {exc}"
        log.error(
            "model failed to load",
            extra={"model": model.name, "version": newest, "reason": model.error},
        )
    return model


def _stamp(version_dir: Path) -> int:
    try:
        return (version_dir / "metadata.json").stat().st_mtime_ns
    except OSError:
        return -1


class Registry:
    def __init__(self, root: Path, default_model: str, allow_pickle: bool = False) -> None:
        self.root = Path(root)
        self.default_model = default_model
        self.allow_pickle = allow_pickle
        self._models: dict[str, Model] = {}
        self._lock = threading.Lock()
        self.loaded_fingerprint: tuple = ()

    def fingerprint(self) -> tuple:
        """What is on disk: every version's metadata.json (the last file a deploy writes)."""
        if not self.root.is_dir():
            return ()
        found = []
        for model_dir in sorted(self.root.iterdir()):
            if not (model_dir.is_dir() and NAME_RE.match(model_dir.name)):
                continue
            for version_dir in sorted(model_dir.iterdir()):
                meta = version_dir / "metadata.json"
                try:
                    found.append((model_dir.name, version_dir.name, meta.stat().st_mtime_ns))
                except OSError:
                    continue
        return tuple(found)

    def load(self) -> dict[str, Model]:
        """Scan the model directory and swap in the result atomically.

        A model whose newest version is already loaded is kept as is. If a newer version
        fails to load while an older one serves, the older one keeps serving (and health
        reports the failure): a bad deploy never takes a model down.
        """
        fingerprint = self.fingerprint()
        models: dict[str, Model] = {}
        if self.root.is_dir():
            for model_dir in sorted(self.root.iterdir()):
                if model_dir.is_dir() and NAME_RE.match(model_dir.name):
                    model = self._load_one(model_dir)
                    if model is not None:
                        models[model.name] = model
        else:
            log.error("model directory missing", extra={"path": str(self.root)})
        with self._lock:
            self._models = models
            self.loaded_fingerprint = fingerprint
        return models

    def _load_one(self, model_dir: Path) -> Model | None:
        current = self._models.get(model_dir.name)
        versions = sorted(
            (p.name for p in model_dir.iterdir() if (p / "metadata.json").exists()),
            key=version_key,
        )
        if (
            current is not None
            and current.ready
            and versions
            and versions[-1] == current.version
            and _stamp(model_dir / current.version) == current.stamp
        ):
            current.versions, current.newer_error = versions, None
            return current
        model = load_model(model_dir, self.allow_pickle)
        if model is not None and not model.ready and current is not None and current.ready:
            current.newer_error = f"version {model.version} failed to load"
            current.versions = model.versions
            log.error(
                "new model version refused; the previous one keeps serving",
                extra={"model": current.name, "serving": current.version, "refused": model.version},
            )
            return current
        return model

    def models(self) -> list[Model]:
        return list(self._models.values())

    def get(self, name: str | None = None) -> Model:
        name = name or self.default_model
        model = self._models.get(name)
        if model is None:
            if name == self.default_model:
                raise ModelUnavailable(f"Model '{name}' is not available.")
            raise ModelNotFound(f"Model '{name[:64]}' does not exist.")
        return model

    def ready_model(self, name: str | None = None) -> Model:
        model = self.get(name)
        if not model.ready:
            raise ModelUnavailable(f"Model '{model.name}' is not available.")
        return model
