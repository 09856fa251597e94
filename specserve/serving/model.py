"""One model version: its metadata, the runtime it serves with, and one scoring call.

`MODEL_DIR/<name>/<version>/` holds `metadata.json` and an artifact: `model.skops` (or
`model.joblib`, opt-in), optionally `model.onnx` with `parity.json` (written by
`specserve models add`), or only `model.onnx` (`"format": "onnx"`). `"runtime"` in the
metadata picks the runtime: `auto` (default: ONNX Runtime when a `model.onnx` passed the
parity gate, else scikit-learn), `onnx`, or `sklearn`. Workers only load; converting is done
once, by the CLI.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from specserve.errors import (
    FeaturesRefused,
    ModelFault,
    ModelResourceLimit,
    ModelTimeout,
    ModelUnavailable,
)
from specserve.serving.artifacts import TASKS, Limits, ModelRefused, artifact_path, load_estimator
from specserve.serving.outputs import BadOutput, Decoder, Scored
from specserve.serving.runtimes import (
    CallTerminated,
    MemoryLimit,
    OnnxRunner,
    SklearnRunner,
    graph_classes,
)
from specserve.serving.signature import Signature, SignatureInvalid

log = logging.getLogger("specserve.serving.model")

FLOAT32_MAX = float(np.finfo(np.float32).max)
RUNTIMES = ("auto", "onnx", "sklearn")
# An ONNX call this fast for a full micro-batch runs on the event loop; slower ones in threads.
# It must be this fast for rows of every magnitude a request may send (a graph may use a
# value as a shape or a loop count), not only for zeros: the call cannot be stopped there.
INLINE_PROBE_ROWS = 64
INLINE_MAX_SECONDS = 0.002
PROBE_MAGNITUDES = (0.0, 1.0, 1e3, 1e6, 1e9, 1e12, 1e18, 1e30, FLOAT32_MAX)
PROBE_SECONDS = 1.0  # the watchdog stops a probe call past this
PROBE_ROWS = 512  # at most this many of a signature's example rows are scored at load


@dataclass
class Model:
    name: str
    version: str
    versions: list[str]
    path: Path
    metadata: dict[str, Any] = field(default_factory=dict)
    runner: Any = None
    decoder: Decoder | None = None
    task: str = "classification"
    runtime: str = "sklearn"
    parity: dict[str, Any] | None = None
    inline: bool = False  # called on the event loop (fast ONNX) or in the model threads
    pinned: str | None = None
    error: str | None = None  # why it failed to load, in full (for models:read callers)
    error_class: str | None = None  # its short class (for /health)
    newer_error: str | None = None  # a newer (or pinned) version failed; this one serves
    newer_reason: str | None = None  # that failure's full reason (for models:read callers)
    stamp: int = 0  # metadata.json's mtime when loaded: an edited file reloads the model
    n_inputs: int = 0
    signature: Signature | None = None  # the named inputs it takes (signature.py)
    fallback: str | None = None  # why a converted graph does not serve (scikit-learn does)

    @property
    def ready(self) -> bool:
        return self.runner is not None

    @property
    def estimator(self) -> Any:
        """The scikit-learn estimator, when this version serves with scikit-learn."""
        return getattr(self.runner, "estimator", None)

    @property
    def classes(self) -> list[Any]:
        return self.decoder.classes if self.decoder else list(self.metadata.get("classes", []))

    @property
    def json_classes(self) -> list[Any]:
        """The classes as JSON has them: strings, or whole numbers as integers."""
        return [_json_class(c) for c in self.classes]

    @property
    def has_probabilities(self) -> bool:
        """Whether a call answers one probability per class."""
        return bool(getattr(self.runner, "has_proba", False))

    @property
    def has_scores(self) -> bool:
        """Whether a call answers an outlier detector's decision function."""
        return bool(getattr(self.runner, "has_scores", False))

    @property
    def n_features(self) -> int:
        if self.signature is not None:
            return len(self.signature)
        md = self.metadata
        return int(md.get("n_features", len(md.get("feature_names", []))) or self.n_inputs)

    def describe(self) -> dict[str, Any]:
        md = self.metadata
        signature = self.signature
        names = list(signature.names) if signature else md.get("feature_names", [])
        return {
            "name": self.name,
            "version": self.version,
            "status": "ready" if self.ready else "failed",
            "description": str(md.get("description", "")),
            "framework": str(md.get("framework") or _framework(md)),
            "feature_names": [str(f) for f in names],
            "n_features": self.n_features,
            "task": self.task,
            "classes": self.json_classes,
            "metrics": {k: float(v) for k, v in md.get("metrics", {}).items()},
            "runtime": self.runtime,
            "parity": _published(self.parity),
            "pinned": self.pinned,
            **(
                {"inputs": signature.to_json(), "input_schema": signature.json_schema()}
                if signature
                else {}
            ),
            **({"error": error} if (error := self.failure()) else {}),
        }

    def failure(self) -> str | None:
        """Why this version failed to load, or, while it serves, why a newer one did (or why
        its converted graph does not serve)."""
        return self.error or (self.newer_reason or self.fallback if self.ready else None)

    def score(self, x: np.ndarray) -> Scored:
        """One model call over validated rows; every failure becomes a typed error."""
        if self.runner is None or self.decoder is None:
            raise ModelUnavailable(f"Model '{self.name}' is not available.")
        try:
            raw = self.runner(x)
        except CallTerminated:
            raise ModelTimeout(
                f"Model '{self.name}' did not answer within the time allowed "
                "(SPECSERVE_PREDICT_TIMEOUT); its call was stopped."
            ) from None
        except MemoryLimit:
            log.error("model call over its memory limit", extra={"model": self.name})
            raise ModelResourceLimit(
                f"Model '{self.name}' version {self.version} needed more memory than this "
                "server allows a model call; quote the request id when reporting it."
            ) from None
        except ValueError as exc:  # the model refuses these values
            raise FeaturesRefused(
                f"Model '{self.name}' cannot score these features: {str(exc)[:200]}"
            ) from None
        except Exception as exc:
            log.error("model call failed", exc_info=exc, extra={"model": self.name})
            raise self.fault() from None
        try:
            return self.decoder(raw, len(x))
        except BadOutput as exc:
            log.error("model output refused", extra={"model": self.name, "reason": str(exc)})
            raise self.fault() from None

    def fault(self) -> ModelFault:
        return ModelFault(
            f"Model '{self.name}' version {self.version} failed to score the request; "
            "quote the request id when reporting it."
        )


# What `parity` publishes (the contract's `Parity`); parity.json may hold more for the
# runtime (`inputs`: the graph's input per named input).
PARITY_KEYS = (
    "passed",
    "probe_rows",
    "label_mismatches",
    "max_abs_diff",
    "strategy",
    "reason",
    "converter",
)


def _published(parity: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if parity is None else {k: parity.get(k) for k in PARITY_KEYS}


def _framework(md: dict[str, Any]) -> str:
    """What made the artifact, when metadata.json does not say: its format tells."""
    return "onnx" if md.get("format") == "onnx" else "scikit-learn"


def _json_class(c: Any) -> Any:
    if isinstance(c, str):
        return c
    return int(c) if float(c).is_integer() else float(c)


def stamp(version_dir: Path) -> int:
    try:
        return (version_dir / "metadata.json").stat().st_mtime_ns
    except OSError:
        return -1


def load_version(
    model_dir: Path,
    version: str,
    versions: list[str],
    allow_pickle: bool,
    limits: Limits | None = None,
) -> Model:
    """Load one version within `limits`; a failure is recorded on the model (never raised)."""
    version_dir = model_dir / version
    model = Model(name=model_dir.name, version=version, versions=versions, path=version_dir)
    started = time.perf_counter()
    try:
        model.stamp = stamp(version_dir)
        model.metadata = json.loads((version_dir / "metadata.json").read_text())
        _attach_runner(model, allow_pickle, limits or Limits())
        _probe(model)
        log.info(
            "model loaded",
            extra={
                "model": model.name,
                "version": version,
                "runtime": model.runtime,
                "seconds": round(time.perf_counter() - started, 3),
            },
        )
    except Exception as exc:  # a bad artifact must not stop the service
        model.runner = None
        model.error, model.error_class = describe_failure(exc)
        log.error(
            "model failed to load",
            extra={"model": model.name, "version": version, "reason": model.error},
        )
    return model


def describe_failure(exc: BaseException) -> tuple[str, str]:
    """(the full reason, its short class) of a load failure."""
    import zipfile

    if isinstance(exc, ModelRefused):
        return str(exc), exc.kind
    reason = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, OSError | EOFError | zipfile.BadZipFile | ValueError | KeyError):
        return reason, "artifact unreadable"
    if type(exc).__module__.startswith("onnxruntime"):
        return reason, "graph refused"
    return reason, "load failed"


def _read_parity(version_dir: Path) -> dict[str, Any] | None:
    path = version_dir / "parity.json"
    return json.loads(path.read_text()) if path.exists() else None


def _attach_runner(model: Model, allow_pickle: bool, limits: Limits) -> None:
    md, folder = model.metadata, model.path
    fmt = str(md.get("format", "skops"))
    wanted = str(md.get("runtime", "auto"))
    if wanted not in RUNTIMES:
        raise ModelRefused(f"runtime {wanted!r} (auto, onnx or sklearn)", kind="metadata invalid")
    model.parity = _read_parity(folder)
    onnx_path = artifact_path(folder, md, "onnx") if fmt == "onnx" else folder / "model.onnx"
    gated = bool(model.parity and model.parity.get("passed")) and onnx_path.exists()
    if fmt == "onnx":
        _attach_onnx(model, onnx_path, limits)
        return
    if wanted != "sklearn" and gated:
        try:
            _attach_onnx(model, onnx_path, limits)
            return
        except ModelRefused as exc:  # e.g. a text graph that needs a locale this host lacks
            if wanted == "onnx":
                raise
            model.fallback = f"model.onnx does not load here, scikit-learn serves: {exc}"
            log.warning(
                "converted graph does not load; scikit-learn serves",
                extra={"model": model.name, "version": model.version, "reason": str(exc)},
            )
    if wanted == "onnx":
        raise ModelRefused(
            "runtime 'onnx' asked, but no model.onnx passed the parity gate",
            kind="conversion refused",
        )
    estimator = load_estimator(artifact_path(folder, md, fmt), fmt, allow_pickle, limits)
    _attach_sklearn(model, estimator)


def _attach_sklearn(model: Model, estimator: Any) -> None:
    if not hasattr(estimator, "predict"):
        raise ModelRefused("the artifact has no predict method", kind="model refused")
    task = str(model.metadata.get("task") or infer_task(estimator))
    _check_task(task)
    classes: list[Any] = []
    has_proba = False
    if task == "classification":
        if not hasattr(estimator, "classes_"):
            raise ModelRefused("a classifier without classes_", kind="model refused")
        classes = np.asarray(estimator.classes_).tolist()
        has_proba = hasattr(estimator, "predict_proba")
    width = getattr(estimator, "n_features_in_", None)
    _check_width(model, width)
    scores = task == "outlier_detection" and hasattr(estimator, "decision_function")
    model.task, model.runtime = task, "sklearn"
    model.n_inputs = int(width or 0)
    model.signature = _signature(model)
    if model.signature.layout == "frame":
        _check_columns(model, estimator)
    model.runner = SklearnRunner(estimator, has_proba, scores, model.signature)
    model.decoder = Decoder(task, classes)


def _attach_onnx(model: Model, path: Path, limits: Limits | None = None) -> None:
    md = model.metadata
    task = str(md.get("task") or "")
    if not task:
        import onnx

        outputs = onnx.load(str(path), load_external_data=False).graph.output
        task = "classification" if len(outputs) > 1 else "regression"
    _check_task(task)
    has_proba = bool(md.get("probabilities", True)) and task == "classification"
    columns = (model.parity or {}).get("inputs") if md.get("format") != "onnx" else None
    runner = OnnxRunner(path, task, has_proba, limits, inputs=columns)
    classes: list[Any] = []
    if task == "classification":
        classes = list(md.get("classes") or graph_classes(path) or [])
        if not classes:
            raise ModelRefused(
                "ONNX classifier: no classes in metadata.json or the graph (add it with "
                "specserve models add --classes a,b,c)",
                kind="graph refused",
            )
    _check_width(model, runner.n_features)
    model.task, model.runtime = task, "onnx"
    model.n_inputs = int(runner.n_features or 0)
    model.signature = _signature(model)
    model.runner = runner
    model.decoder = Decoder(task, classes)


def infer_task(estimator: Any) -> str:
    """What the estimator is, from scikit-learn's own tags (a pipeline: its last step), then
    from its fitted attributes."""
    from sklearn.base import is_classifier, is_clusterer, is_outlier_detector, is_regressor

    if is_classifier(estimator):
        return "classification"
    if is_regressor(estimator):
        return "regression"
    if is_outlier_detector(estimator):
        return "outlier_detection"
    final = estimator.steps[-1][1] if hasattr(estimator, "steps") else estimator
    marks = ("cluster_centers_", "labels_", "means_")  # means_: a mixture's components
    if is_clusterer(estimator) or any(hasattr(final, a) for a in marks):
        return "clustering"
    return "classification" if hasattr(estimator, "classes_") else "regression"


def _check_task(task: str) -> None:
    if task not in TASKS:
        raise ModelRefused(f"task {task!r} ({', '.join(TASKS)})", kind="metadata invalid")


def _signature(model: Model) -> Signature:
    """The version's signature (metadata.json's `inputs`, else its numbers), checked against
    the width the runtime takes."""
    try:
        signature = Signature.from_metadata(model.metadata, model.n_inputs)
    except SignatureInvalid as exc:
        raise ModelRefused(f"inputs: {exc}", kind="metadata invalid") from None
    if model.n_inputs and signature.layout != "text" and len(signature) != model.n_inputs:
        raise ModelRefused(
            f"metadata names {len(signature)} inputs, the model takes {model.n_inputs}",
            kind="metadata invalid",
        )
    return signature


def _check_columns(model: Model, estimator: Any) -> None:
    """A model fitted on a DataFrame gets its columns in the order it was fitted with."""
    fitted = [str(c) for c in getattr(estimator, "feature_names_in_", [])]
    if fitted and fitted != list(model.signature.names if model.signature else []):
        raise ModelRefused(
            f"inputs {list(model.signature.names if model.signature else [])} are not the "
            f"columns the model was fitted on, in order: {fitted}",
            kind="metadata invalid",
        )


def _check_width(model: Model, width: int | None) -> None:
    md = model.metadata
    if md.get("inputs") is not None and md.get("layout") == "text":
        return  # one column of text: the model takes no fixed width
    declared = md.get("n_features", len(md.get("inputs") or md.get("feature_names", [])) or None)
    if width and declared and int(declared) != int(width):
        raise ModelRefused(
            f"metadata says {declared} features, the model takes {width}", kind="metadata invalid"
        )
    if not (width or declared):
        raise ModelRefused(
            "feature count unknown: set n_features in metadata.json", kind="metadata invalid"
        )


def _probe(model: Model) -> None:
    """Score probe rows once: a model that cannot score them does not serve. An ONNX graph
    runs on the event loop only if a full micro-batch of every magnitude, either sign,
    scores within `INLINE_MAX_SECONDS`; any failure or slower call puts it in the threads."""
    x = probe_matrix(model)
    try:
        raw = model.runner(x)
    except Exception as exc:
        rows = "rows of zeros" if x.dtype == np.float64 and not x.any() else "its probe rows"
        raise ModelRefused(
            f"cannot score {rows}: {type(exc).__name__}: {str(exc)[:300]}",
            kind="model refused",
        ) from None
    try:
        if model.decoder is not None:
            model.decoder(raw, len(x))
    except BadOutput as exc:
        raise ModelRefused(
            f"its answers are not predictions: {exc}", kind="model refused"
        ) from None
    plain = model.signature is None or model.signature.plain
    model.inline = (
        model.runtime == "onnx"
        and plain
        and all(_fast(model.runner, model.n_features, v) for m in PROBE_MAGNITUDES for v in {m, -m})
    )


def probe_matrix(model: Model) -> np.ndarray:
    """Rows every version must score at load: zeros for a model of plain numbers (as
    always), else the signature's example rows (every category, a missing value where one
    is allowed)."""
    signature = model.signature
    if signature is None or (signature.plain and not signature.constrained):
        return np.zeros((INLINE_PROBE_ROWS, model.n_features))
    return signature.matrix(signature.example_rows()[:PROBE_ROWS], "$.probe[{row}]")


def _fast(runner: Any, width: int, value: float) -> bool:
    """Whether a micro-batch of rows all `value` scores, the second time, within the
    inline budget (the first call allocates)."""
    x = np.full((INLINE_PROBE_ROWS, width), value)
    try:
        runner(x, PROBE_SECONDS)
        started = time.perf_counter()
        runner(x, PROBE_SECONDS)
    except Exception:  # a failure at load means: not on the event loop
        return False
    return time.perf_counter() - started <= INLINE_MAX_SECONDS
