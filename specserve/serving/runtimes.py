"""The two runtimes a model version can serve with: scikit-learn, or ONNX Runtime.

Each is a small class whose instances are called with a float64 matrix of validated rows and
return `(values, probabilities)`: the model's labels (classifiers) or values (regressors),
and the per-class probabilities in `classes` order, or None when the model gives none. What
those outputs mean for a response is `specserve.serving.outputs`' business; the request path
never branches on the framework.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from specserve.serving.artifacts import ModelRefused

Raw = tuple[Any, Any]


class SklearnRunner:
    """`predict` for the labels or values (what the model itself answers), `predict_proba`
    for the probabilities when the estimator has it. A decision-function score is never
    presented as a probability."""

    name = "sklearn"

    def __init__(self, estimator: Any, has_proba: bool) -> None:
        self.estimator = estimator
        self.has_proba = has_proba

    def __call__(self, x: np.ndarray) -> Raw:
        values = self.estimator.predict(x)
        proba = self.estimator.predict_proba(x) if self.has_proba else None
        return values, proba


def session_options() -> Any:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1  # one worker per core: never oversubscribe
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.log_severity_level = 3
    return opts


_ELEMENT_TYPES = {"tensor(float)": np.float32, "tensor(double)": np.float64}


class OnnxRunner:
    """An ONNX graph through ONNX Runtime (CPU, one thread, standard operators only: loading
    a graph runs no code of its own). One 2-D float or double input; outputs found by name
    (`label`/`probabilities` as skl2onnx and onnxmltools write them, `variable` for
    regressors) or by type."""

    name = "onnx"

    def __init__(self, path: Path, task: str, has_proba: bool) -> None:
        import onnxruntime as ort

        check_external_data(path)
        self.session = ort.InferenceSession(
            str(path), session_options(), providers=["CPUExecutionProvider"]
        )
        inputs = self.session.get_inputs()
        if len(inputs) != 1 or len(inputs[0].shape) != 2:
            raise ModelRefused("ONNX graph must take one 2-D input (rows x features)")
        if inputs[0].type not in _ELEMENT_TYPES:
            raise ModelRefused(f"ONNX input type {inputs[0].type} (float or double expected)")
        self.input_name = inputs[0].name
        self.dtype = _ELEMENT_TYPES[inputs[0].type]
        width = inputs[0].shape[1]
        self.n_features = width if isinstance(width, int) else None
        self.outputs = _pick_outputs(self.session.get_outputs(), task, has_proba)
        self.has_proba = len(self.outputs) == 2

    def __call__(self, x: np.ndarray) -> Raw:
        feed = x if x.dtype == self.dtype else x.astype(self.dtype)
        found = self.session.run(self.outputs, {self.input_name: feed})
        return found[0], (found[1] if self.has_proba else None)


def _pick_outputs(outputs: list[Any], task: str, has_proba: bool) -> list[str]:
    by_name = {o.name: o for o in outputs}
    if task == "regression":
        floats = [o.name for o in outputs if o.type in _ELEMENT_TYPES]
        chosen = "variable" if "variable" in by_name else (floats[0] if len(floats) == 1 else None)
        if chosen is None:
            raise ModelRefused("ONNX regressor must have one float output")
        return [chosen]
    label = "label" if "label" in by_name else None
    if label is None:
        labels = [o.name for o in outputs if len(o.shape) == 1]
        label = labels[0] if len(labels) == 1 else None
    if label is None:
        raise ModelRefused("ONNX classifier has no label output")
    if not has_proba:
        return [label]
    probs = [o.name for o in outputs if o.type in _ELEMENT_TYPES and len(o.shape) == 2]
    proba = "probabilities" if "probabilities" in by_name else (probs[0] if probs else None)
    return [label] if proba is None else [label, proba]


def check_external_data(path: Path) -> list[Path]:
    """The external-data files of a graph; refuses one that points outside its own folder."""
    import onnx
    from onnx.external_data_helper import uses_external_data

    folder = path.parent.resolve()
    graph = onnx.load(str(path), load_external_data=False).graph
    found = []
    for tensor in _tensors(graph):
        if not uses_external_data(tensor):
            continue
        location = next((e.value for e in tensor.external_data if e.key == "location"), "")
        target = (folder / location).resolve()
        if Path(location).is_absolute() or target.parent != folder:
            raise ModelRefused(
                f"ONNX tensor {tensor.name!r} points outside the version folder: {location!r}"
            )
        found.append(target)
    return sorted(set(found))


def _tensors(graph: Any) -> Any:
    yield from graph.initializer
    for node in graph.node:
        for attr in node.attribute:
            if attr.HasField("t"):
                yield attr.t
            yield from attr.tensors
            if attr.HasField("g"):
                yield from _tensors(attr.g)
            for sub in attr.graphs:
                yield from _tensors(sub)


def graph_classes(path: Path) -> list[Any] | None:
    """Class labels an ONNX classifier names in its graph (skl2onnx, onnxmltools)."""
    import onnx

    graph = onnx.load(str(path), load_external_data=False).graph
    for node in graph.node:
        for attr in node.attribute:
            if attr.name in ("classlabels_strings", "classlabels_int64s", "classlabels_ints"):
                values = list(attr.strings) or list(attr.ints)
                return [v.decode() if isinstance(v, bytes) else int(v) for v in values]
    return None
