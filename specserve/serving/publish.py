"""Adding a version to the model directory: check, convert, gate, write atomically.

Used by `specserve models add` and by `make model`. The version is written into a hidden
temporary folder beside its final place (`metadata.json` last) and renamed into place in one
step, so a running service never sees half a version; an existing version is never
overwritten.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from specserve.serving.artifacts import TRUSTED_TYPES, ModelRefused
from specserve.serving.outputs import PROBA_SLACK
from specserve.serving.registry import is_model_name, is_version
from specserve.serving.signature import Signature


def inspect(estimator: Any, signature: Signature) -> dict[str, Any]:
    """The facts a worker needs (task, classes, signature); refuses what cannot serve."""
    from specserve.serving.frames import to_model_input
    from specserve.serving.model import infer_task

    if not hasattr(estimator, "predict"):
        raise ModelRefused(_no_predict(estimator))
    names = list(signature.names)
    task = infer_task(estimator)
    try:
        rows = signature.example_rows()[:2]
        x = to_model_input(signature.matrix(rows + rows[:1], "$"), signature)
        out = np.asarray(estimator.predict(x))
    except Exception as exc:
        raise ModelRefused(
            f"the model cannot score rows of its inputs: {type(exc).__name__}: {exc}"
        ) from None
    if out.ndim != 1:
        raise ModelRefused(
            "multi-output models are not served (predict returns one column per output)"
        )
    if task in ("clustering", "outlier_detection") and out.dtype.kind not in "iu":
        raise ModelRefused(f"a {task} model whose predict gives {out.dtype} (integers expected)")
    facts: dict[str, Any] = {
        "task": task,
        "n_features": len(names),
        "feature_names": names,
        "inputs": signature.to_json(),
        "layout": signature.layout,
        **({"missing_string": "none"} if signature.missing_string == "none" else {}),
    }
    if task == "classification":
        classes = np.asarray(estimator.classes_)
        if classes.ndim != 1 or classes.dtype.kind not in "iufbUSO":
            raise ModelRefused("classes must be one list of numbers or strings")
        facts["classes"] = [c if isinstance(c, str) else _number(c) for c in classes.tolist()]
        facts["probabilities"] = hasattr(estimator, "predict_proba")
    return facts


def _no_predict(estimator: Any) -> str:
    kind = type(estimator).__name__
    if kind == "LocalOutlierFactor":
        return "LocalOutlierFactor cannot score new rows: refit it with novelty=True"
    if hasattr(estimator, "fit_predict"):
        return f"{kind} has no predict (only fit_predict): it cannot score new rows"
    return f"the artifact ({kind}) has no predict method: not an estimator"


def _number(value: Any) -> Any:
    if isinstance(value, bool | int):
        return int(value)
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    raise ModelRefused(f"class label {value!r} is neither a number nor a string")


def check_target(model_dir: Path, name: str, version: str) -> Path:
    if not is_model_name(name):
        raise ModelRefused(
            f"model name {name!r}: lowercase letters, digits, '.', '_', '-' (64 max)"
        )
    if not is_version(version):
        raise ModelRefused(f"version {version!r}: letters, digits, '.', '_', '+', '-' (64 max)")
    target = model_dir / name / version
    if target.exists():
        raise ModelRefused(f"{name} {version} exists already ({target}); versions are immutable")
    return target


def skops_bytes(estimator: Any) -> bytes | None:
    """The estimator as skops, if the service's safe loader would accept it."""
    import skops.io as sio

    try:
        data = sio.dumps(estimator)
    except Exception:  # a type skops cannot write: it stays a pickle
        return None
    untrusted = sio.get_untrusted_types(data=data)
    return data if all(t in TRUSTED_TYPES for t in untrusted) else None


def publish(
    model_dir: Path,
    name: str,
    version: str,
    estimator: Any,
    metadata: dict[str, Any],
    artifact: tuple[str, bytes],
    onnx: bytes | None,
    parity: dict[str, Any] | None,
    extra_files: list[Path] | None = None,
) -> Path:
    """Write `MODEL_DIR/name/version/` in one rename; returns its path."""
    target = check_target(model_dir, name, version)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{version}.", dir=target.parent))
    try:
        fmt, data = artifact
        (staging / f"model.{fmt}").write_bytes(data)
        if onnx is not None:
            (staging / "model.onnx").write_bytes(onnx)
        for file in extra_files or []:  # an ONNX graph's external data
            shutil.copyfile(file, staging / file.name)
        if parity is not None:
            (staging / "parity.json").write_text(json.dumps(parity, indent=2) + "\n")
        body = {"name": name, "version": version, "format": fmt, "artifact": f"model.{fmt}"}
        body.update(metadata)
        (staging / "metadata.json").write_text(json.dumps(body, indent=2, sort_keys=True) + "\n")
        os.chmod(staging, 0o755)
        os.rename(staging, target)  # fails if the version appeared meanwhile
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def add_estimator(
    model_dir: Path,
    name: str,
    version: str,
    estimator: Any,
    *,
    metadata: dict[str, Any] | None = None,
    feature_names: list[str] | None = None,
    artifact: tuple[str, bytes] | None = None,
    value_tolerance: float | None = None,
    example: list[dict[str, Any]] | None = None,
    inputs: list[dict[str, Any]] | None = None,
    allow_contract_change: bool = True,
) -> tuple[Path, dict[str, Any] | None]:
    """Check, convert and gate an estimator, then publish it. Returns (path, parity): parity
    is None for a task that is never converted (clustering, outlier detection). The
    signature comes from `infer.infer` (the example, the names, or `inputs` as given);
    unless `allow_contract_change`, a version whose contract differs from the serving one's
    in a way its clients would notice is refused (`contract.py`)."""
    from specserve.serving.convert import convert
    from specserve.serving.infer import infer

    check_target(model_dir, name, version)
    if not hasattr(estimator, "predict"):
        raise ModelRefused(_no_predict(estimator))
    signature = infer(estimator, example=example, feature_names=feature_names, inputs=inputs)
    facts = inspect(estimator, signature)
    if not allow_contract_change:
        from specserve.serving.changes import refuse_contract_change

        refuse_contract_change(model_dir / name, facts)
    if artifact is None:
        data = skops_bytes(estimator)
        if data is None:
            raise ModelRefused("the estimator holds types the service does not load from skops")
        artifact = ("skops", data)
    conversion = convert(
        estimator,
        facts["task"],
        bool(facts.get("probabilities")),
        facts["n_features"],
        value_tolerance,
        signature=signature,
    )
    from specserve.serving.versions import service_version

    body = {
        "framework": "scikit-learn",
        "runtime": "auto",
        "sklearn_version": service_version(),  # an artifact of another release is refused
        **facts,
        **(metadata or {}),
    }
    path = publish(
        model_dir, name, version, estimator, body, artifact, conversion.onnx, conversion.parity
    )
    return path, conversion.parity


def add_onnx(
    model_dir: Path,
    name: str,
    version: str,
    source: Path,
    metadata: dict[str, Any],
    feature_names: list[str] | None,
    allow_contract_change: bool = True,
) -> Path:
    """Publish an ONNX artifact from any exporter; refuses one workers could not serve.
    `metadata` may name the `task` and `classes` a graph does not carry (a hand-built one)."""
    from specserve.serving.model import Model, _attach_onnx, _probe

    check_target(model_dir, name, version)
    probe = Model(name=name, version=version, versions=[version], path=source.parent)
    probe.metadata = {"format": "onnx", "artifact": source.name}
    probe.metadata.update({k: metadata[k] for k in ("task", "classes") if k in metadata})
    if feature_names:
        probe.metadata["feature_names"] = feature_names
    try:
        from specserve.serving.runtimes import check_external_data

        extra = check_external_data(source)
        _attach_onnx(probe, source)
        if probe.runner.has_proba and not _sums_to_one(probe):  # scores, not probabilities
            probe.metadata["probabilities"] = False
            _attach_onnx(probe, source)
        _probe(probe)
    except ModelRefused as exc:
        raise ModelRefused(f"{source.name}: {exc}") from None
    except Exception as exc:
        raise ModelRefused(
            f"{source.name} does not serve ({type(exc).__name__}: {str(exc)[:200]}): a "
            "truncated or damaged file, or a graph ONNX Runtime cannot run; export it again"
        ) from None
    facts = {
        "framework": "onnx",
        "runtime": "onnx",
        "task": probe.task,
        "n_features": probe.n_features,
        "feature_names": feature_names or [],
        "classes": probe.classes,
        "probabilities": bool(probe.runner.has_proba),
    }
    if not allow_contract_change:
        from specserve.serving.changes import refuse_contract_change

        refuse_contract_change(model_dir / name, {**facts, **metadata})
    artifact = ("onnx", source.read_bytes())
    return publish(
        model_dir, name, version, None, {**facts, **metadata}, artifact, None, None, extra
    )


def _sums_to_one(model: Any) -> bool:
    """Whether a graph's second output looks like probabilities on random rows."""
    rows = np.random.default_rng(0).normal(scale=3.0, size=(256, model.n_features))
    _, proba = model.runner(rows)
    p = np.asarray(proba, np.float64)
    in_range = p.min() >= -PROBA_SLACK and p.max() <= 1 + PROBA_SLACK
    return bool(in_range and np.allclose(p.sum(axis=1), 1, atol=1e-3))
