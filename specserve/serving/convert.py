"""Convert a scikit-learn estimator to ONNX once, and keep it only if it passes the gate.

Run by `specserve models add` and `make model`, never by a worker. Conversions tried, in
order, until one passes:

- `float32`: skl2onnx on the whole estimator, float32 input (`zipmap=False`);
- `float64-scaler`: for a pipeline that starts with `StandardScaler`s, the scaling in a
  double-typed subgraph and a cast to float32 where scikit-learn's trees cast (scikit-learn
  scales in float64; a float32 graph scales in float32, which flips tree splits near their
  thresholds: seen for StandardScaler + RandomForest);
- `double`: skl2onnx with double input (linear models).

The gate, on probe rows spanning the training range and beyond (and rows on every tree
threshold): labels identical to `predict` on every row; probabilities within 1e-4 absolute;
regression values within `rtol * |value| + tolerance`, where the tolerance is 1e-5 of the
spread (max - min) of the model's own predictions on the probe rows (float32 rounding of a
value near zero is judged against the size of the model's answers, not against zero;
`specserve models add --value-tolerance` sets it as an absolute number). The gate runs the
graph through `OnnxRunner`, the class the workers serve it with. Any failure (a conversion
that raises, a graph ONNX Runtime cannot load, a gate that fails) moves on to the next
conversion, and when none passes the version serves with scikit-learn, the reasons in
`parity.reason`.

A model with a signature other than numbers in an array (string inputs, a DataFrame, a
text column) is converted with one graph input per column, gated on rows built from the
signature against the estimator called as it is served (`frames.to_model_input`), and
refused up front where no graph can match: `specserve.serving.convert_typed`. Its parity
names the graph inputs in signature order (`inputs`), which `OnnxRunner` is fed.

Clusterers and outlier detectors are not converted: they serve with scikit-learn.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from specserve.serving.convert_typed import (
    PER_COLUMN,
    graph_inputs,
    suspects,
    typed_probe,
    typed_refusal,
    typed_strategies,
)
from specserve.serving.frames import to_model_input
from specserve.serving.signature import Signature

PROBA_ATOL = 1e-4
VALUE_RTOL = 1e-5
SPREAD_FRACTION = 1e-5  # the absolute tolerance of a value, as a fraction of the spread
MIN_ATOL = 1e-8
CONVERTED_TASKS = ("classification", "regression")
RANDOM_ROWS = 4096


@dataclass
class Conversion:
    onnx: bytes | None
    parity: dict[str, Any] | None


def converter_versions() -> str:
    import onnxruntime
    import skl2onnx

    return f"skl2onnx {skl2onnx.__version__}, onnxruntime {onnxruntime.__version__}"


def convert(
    estimator: Any,
    task: str,
    has_proba: bool,
    n_features: int,
    value_tolerance: float | None = None,
    signature: Signature | None = None,
) -> Conversion:
    """The first conversion that passes the gate, or none (the reasons in the parity).
    A `signature` other than numbers in an array is converted one input per column
    (`specserve.serving.convert_typed`)."""
    if task not in CONVERTED_TASKS:
        return Conversion(None, None)
    typed = signature if signature is not None and not _plain(signature) else None
    try:
        probe = (
            probe_rows(estimator, n_features) if typed is None else _typed_probe(estimator, typed)
        )
    except Exception as exc:
        return Conversion(None, _failed(0, f"no probe rows ({type(exc).__name__}: {exc})"))
    refusal = None if typed is None else typed_refusal(estimator, typed)
    if refusal is not None:
        return Conversion(None, _failed(len(probe), refusal))
    strategies = _strategies(estimator)
    if typed is not None:  # numbers in a frame try the whole-matrix strategies first
        strategies = (strategies if typed.numeric else []) + typed_strategies(estimator, typed)
    reference = typed
    reasons = []
    for strategy, build in strategies:
        try:
            graph = build(estimator, probe)
        except Exception as exc:
            reasons.append(f"{strategy}: conversion failed ({_short(exc)})")
            continue
        inputs = graph_inputs(graph) if strategy in PER_COLUMN else None
        try:
            parity = gate(
                graph, estimator, task, has_proba, probe, value_tolerance, reference, inputs
            )
        except Exception as exc:  # e.g. a graph ONNX Runtime refuses to load
            reasons.append(f"{strategy}: does not run in ONNX Runtime ({_short(exc)})")
            continue
        parity["strategy"] = strategy
        data = parity.pop("data")
        if parity["passed"]:
            if inputs is not None:
                parity["inputs"] = inputs
            return Conversion(data, parity)
        if reference is not None:
            parity["reason"] = _named_reason(
                parity, (graph, estimator, task, has_proba), probe, reference, inputs
            )
        reasons.append(f"{strategy}: {parity['reason']}")
    return Conversion(None, _failed(len(probe), "; ".join(reasons) or "no conversion applies"))


def _typed_probe(estimator: Any, signature: Signature) -> np.ndarray:
    """The signature's probe rows; numbers in a frame also get the numeric probe (the
    training range and far beyond, tree thresholds)."""
    probe = typed_probe(estimator, signature)
    if signature.numeric:
        probe = np.vstack([probe, probe_rows(estimator, len(signature))])
    return probe


def _plain(signature: Signature) -> bool:
    """Numbers in an array: the model takes the matrix as it is."""
    return signature.numeric and signature.layout == "array"


def _named_reason(
    parity: dict[str, Any],
    model: tuple[Any, Any, str, bool],
    probe: np.ndarray,
    signature: Signature,
    inputs: list[str] | None,
) -> str:
    """A typed graph's gate failure, with its cause when the graph is exact without it."""
    for rows, why in suspects(probe, signature):
        if gate(*model, rows, None, signature, inputs)["passed"]:
            return f"{why} ({parity['reason']})"
    return str(parity["reason"])


def _short(exc: Exception) -> str:
    """An exception in one line, without ONNX Runtime's temporary paths."""
    text = " ".join(str(exc).split())
    text = re.sub(r"(/[^\s:]+)+", "<file>", text)
    return f"{type(exc).__name__}: {text}"[:300]


def _failed(rows: int, reason: str) -> dict[str, Any]:
    return {
        "passed": False,
        "probe_rows": rows,
        "label_mismatches": 0,
        "max_abs_diff": None,
        "strategy": None,
        "reason": reason[:1000],
        "converter": converter_versions(),
    }


def _strategies(estimator: Any) -> list[tuple[str, Any]]:
    found = [("float32", _float32)]
    if _leading_scalers(estimator)[0]:
        found.append(("float64-scaler", _float64_scaler))
    found.append(("double", _double))
    return found


def _options(estimator: Any) -> dict[str, Any] | None:
    return {"zipmap": False} if hasattr(estimator, "classes_") else None


def _float32(estimator: Any, probe: np.ndarray) -> Any:
    from skl2onnx import to_onnx

    return to_onnx(estimator, probe[:1].astype(np.float32), options=_options(estimator))


def _double(estimator: Any, probe: np.ndarray) -> Any:
    from skl2onnx import to_onnx

    return to_onnx(estimator, probe[:1].astype(np.float64), options=_options(estimator))


def _leading_scalers(estimator: Any) -> tuple[list[Any], Any]:
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    if type(estimator) is not Pipeline:
        return [], estimator
    steps = [step for _, step in estimator.steps]
    scalers = []
    while len(steps) > 1 and type(steps[0]) is StandardScaler:
        scalers.append(steps.pop(0))
    rest = steps[0] if len(steps) == 1 else Pipeline([(f"s{i}", s) for i, s in enumerate(steps)])
    return scalers, rest


def _float64_scaler(estimator: Any, probe: np.ndarray) -> Any:
    from onnx import TensorProto, helper, numpy_helper
    from skl2onnx import to_onnx

    scalers, rest = _leading_scalers(estimator)
    model = to_onnx(rest, probe[:1].astype(np.float32), options=_options(rest))
    graph = model.graph
    inner = graph.input[0].name
    current, nodes = "X64", []
    for i, scaler in enumerate(scalers):
        for op, values, use in (
            ("Sub", scaler.mean_, scaler.with_mean),
            ("Div", scaler.scale_, scaler.with_std),
        ):
            if not use or values is None:
                continue
            const = f"scaler{i}_{op.lower()}"
            graph.initializer.append(numpy_helper.from_array(np.asarray(values, np.float64), const))
            nodes.append(helper.make_node(op, [current, const], [f"{const}_out"]))
            current = f"{const}_out"
    nodes.append(helper.make_node("Cast", [current], [inner], to=TensorProto.FLOAT))
    for node in reversed(nodes):
        graph.node.insert(0, node)
    width = probe.shape[1]
    del graph.input[:]
    graph.input.append(helper.make_tensor_value_info("X64", TensorProto.DOUBLE, [None, width]))
    return model


def gate(
    graph: Any,
    estimator: Any,
    task: str,
    has_proba: bool,
    probe: np.ndarray,
    value_tolerance: float | None = None,
    signature: Signature | None = None,
    inputs: list[str] | None = None,
) -> dict[str, Any]:
    """Compare the graph, served as workers serve it, with the estimator on the probe rows
    (called as it is served: `to_model_input` of the rows when a `signature` is given; a
    graph of one input per column is fed the graph `inputs` in signature order)."""
    from specserve.serving.outputs import Decoder
    from specserve.serving.runtimes import OnnxRunner

    data = graph if isinstance(graph, bytes) else graph.SerializeToString()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.onnx"
        path.write_bytes(data)
        runner = OnnxRunner(path, task, has_proba, inputs=inputs)
        values, proba = runner(probe)
    served = probe if signature is None else to_model_input(probe, signature)
    classes = np.asarray(getattr(estimator, "classes_", [])).tolist()
    Decoder(task, classes)((values, proba), len(probe))  # BadOutput: not what workers serve
    expected = estimator.predict(served)
    report = _failed(len(probe), "")
    report["reason"] = None
    if task == "regression":
        report.update(_values_gate(values, expected, value_tolerance))
    else:
        got_labels = np.asarray(values).reshape(-1).tolist()
        mismatches = sum(
            a != b for a, b in zip(got_labels, np.asarray(expected).tolist(), strict=False)
        )
        report["label_mismatches"] = int(mismatches)
        if has_proba:
            want_p = estimator.predict_proba(served)
            diff = float(np.max(np.abs(np.asarray(proba, np.float64) - want_p)))
            report["max_abs_diff"] = diff
            if diff > PROBA_ATOL:
                report["reason"] = f"probabilities differ by up to {diff:.3g} (> {PROBA_ATOL})"
        if mismatches:
            report["reason"] = f"{mismatches} labels differ from predict"
    report["passed"] = report["reason"] is None
    report["data"] = data
    return report


def value_atol(want: np.ndarray, value_tolerance: float | None) -> float:
    """The absolute tolerance of a regression value: `value_tolerance` if given, else
    `SPREAD_FRACTION` of the spread of the model's own predictions (at least `MIN_ATOL`)."""
    if value_tolerance is not None:
        return float(value_tolerance)
    finite = want[np.isfinite(want)]
    spread = float(np.ptp(finite)) if finite.size else 0.0
    return max(MIN_ATOL, SPREAD_FRACTION * spread)


def _values_gate(values: Any, expected: Any, value_tolerance: float | None) -> dict[str, Any]:
    got = np.asarray(values, np.float64).reshape(-1)
    want = np.asarray(expected, np.float64).reshape(-1)
    if got.shape != want.shape:
        return {"reason": f"{got.shape[0]} values for {want.shape[0]} rows"}
    atol = value_atol(want, value_tolerance)
    close = np.isclose(got, want, rtol=VALUE_RTOL, atol=atol)
    found: dict[str, Any] = {"max_abs_diff": float(np.max(np.abs(got - want)))}
    if not close.all():
        found["reason"] = f"{int(np.sum(~close))} values outside rtol={VALUE_RTOL}, atol={atol:.3g}"
    return found


def probe_rows(estimator: Any, n_features: int) -> np.ndarray:
    """Rows spread over (and far beyond) the training range, plus rows on tree thresholds."""
    scalers, rest = _leading_scalers(estimator)
    center = np.zeros(n_features)
    spread = np.ones(n_features)
    if scalers:
        center = np.asarray(scalers[0].mean_ if scalers[0].with_mean else center, np.float64)
        spread = np.asarray(scalers[0].scale_ if scalers[0].with_std else spread, np.float64)
    rng = np.random.default_rng(0)
    parts = [
        center + spread * rng.normal(scale=2.0, size=(RANDOM_ROWS, n_features)),
        center + spread * rng.normal(scale=50.0, size=(RANDOM_ROWS // 4, n_features)),
        np.zeros((1, n_features)),
        center + 1e6 * spread * np.ones((1, n_features)),
        center - 1e6 * spread * np.ones((1, n_features)),
    ]
    parts.append(_threshold_rows(rest, scalers, center, spread, rng, n_features))
    rows = np.vstack([p for p in parts if len(p)])
    limit = float(np.finfo(np.float32).max) / 10
    return np.clip(rows, -limit, limit)


def _threshold_rows(
    rest: Any, scalers: list[Any], center: Any, spread: Any, rng: Any, n: int
) -> np.ndarray:
    """Rows whose features sit exactly on tree split thresholds, where float32 flips show."""
    final = rest.steps[-1][1] if hasattr(rest, "steps") else rest
    members = getattr(final, "estimators_", None)
    trees = list(np.ravel(np.asarray(members, dtype=object))) if members is not None else [final]
    pairs: list[Any] = []
    for tree in trees:
        inner = getattr(tree, "tree_", None)
        if inner is None:
            continue
        split = inner.feature >= 0
        pairs.extend(
            zip(inner.feature[split].tolist(), inner.threshold[split].tolist(), strict=False)
        )
    if not pairs:
        return np.empty((0, n))
    picks = rng.choice(len(pairs), size=min(len(pairs), RANDOM_ROWS), replace=False)
    rows = center + spread * rng.normal(size=(len(picks), n))
    for row, k in zip(rows, picks, strict=False):
        feature, threshold = pairs[k]
        raw = threshold
        for scaler in reversed(scalers):  # back to the input space
            scale = scaler.scale_[feature] if scaler.with_std else 1.0
            mean = scaler.mean_[feature] if scaler.with_mean else 0.0
            raw = raw * scale + mean
        row[feature] = raw
    return rows
