"""The two runtimes a model version can serve with: scikit-learn, or ONNX Runtime.

Each is a small class whose instances are called with the matrix of validated rows
(`signature.py`: float64 when every input is numeric, else an object array in signature
order; scikit-learn gets it as it was fitted, `frames.py`) and return
`(values, probabilities)`: the model's labels (classifiers) or values (regressors),
and the per-class probabilities in `classes` order, or None when the model gives none. What
those outputs mean for a response is `specserve.serving.outputs`' business; the request path
never branches on the framework.

An ONNX graph of standard operators can still ask for any amount of memory or time from a
row's values (a feature used as a shape). ONNX Runtime has no per-session cap, but it has a
per-process one: every session allocates from one shared arena of at most
`SPECSERVE_ONNX_MAX_MEMORY_BYTES` (`OrtArenaCfg` + `session.use_env_allocators`), so such a
call fails cleanly (`MemoryLimit`) instead of growing the worker. And a `Watchdog` thread
sets `RunOptions.terminate` on every call still running past `SPECSERVE_PREDICT_TIMEOUT`
(ONNX Runtime checks it between nodes, so one huge node still runs to its end; the memory
cap bounds that node).
"""

from __future__ import annotations

import itertools
import math
import os
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from specserve.serving.artifacts import Limits, ModelRefused, check_size

Raw = tuple[Any, Any]


class SklearnRunner:
    """`predict` for the labels or values (what the model itself answers), `predict_proba`
    for the probabilities when the estimator has it. A decision-function score is never
    presented as a probability: an outlier detector's (`has_scores`) comes as the second
    output, which the decoder reads as scores.

    A pipeline asked for two outputs transforms the rows once: its steps but the last
    (`pipeline[:-1].transform`, what `Pipeline.predict` itself runs), then the last step's
    two calls, so a ColumnTransformer in front is not paid twice."""

    name = "sklearn"

    def __init__(
        self, estimator: Any, has_proba: bool, has_scores: bool = False, signature: Any = None
    ) -> None:
        self.estimator = estimator
        self.has_proba = has_proba
        self.has_scores = has_scores
        # None: called with the matrix as it is
        self.signature = None if signature is None or signature.plain else signature
        split = _split(estimator) if has_proba or has_scores else (None, None)
        self.head: Any = split[0]
        self.final: Any = split[1]

    def __call__(self, x: np.ndarray) -> Raw:
        if self.signature is not None:
            from specserve.serving.frames import to_model_input

            x = to_model_input(x, self.signature)
        model = self.estimator
        if self.head is not None:
            x, model = self.head.transform(x), self.final
        values = model.predict(x)
        if self.has_scores:
            return values, model.decision_function(x)
        proba = model.predict_proba(x) if self.has_proba else None
        return values, proba


def _split(estimator: Any) -> tuple[Any, Any]:
    """(the steps before the last, the last) of a plain scikit-learn Pipeline, else Nones."""
    from sklearn.pipeline import Pipeline

    if type(estimator) is not Pipeline or len(estimator.steps) < 2:
        return None, None
    final = estimator.steps[-1][1]
    if final is None or final == "passthrough":
        return None, None
    return estimator[:-1], final


class MemoryLimit(RuntimeError):
    """An ONNX call needed more than the worker's ONNX Runtime arena may hold."""


class CallTerminated(RuntimeError):
    """An ONNX call ran past its deadline and the watchdog stopped it."""


_arena_lock = threading.Lock()
_arena_bytes: int | None = None


def shared_arena(max_bytes: int) -> None:
    """Register, once per process, the CPU arena every session allocates from, capped at
    `max_bytes` and grown by what is asked (never by powers of two past the cap). The
    first registration's cap holds for the process's life."""
    global _arena_bytes
    with _arena_lock:
        if _arena_bytes is not None:
            return
        import onnxruntime as ort

        cpu = ort.OrtMemoryInfo(
            "Cpu", ort.OrtAllocatorType.ORT_ARENA_ALLOCATOR, 0, ort.OrtMemType.DEFAULT
        )
        same_as_requested = 1  # arena_extend_strategy kSameAsRequested
        ort.create_and_register_allocator(
            cpu, ort.OrtArenaCfg(max_bytes, same_as_requested, -1, -1)
        )
        _arena_bytes = max_bytes


class Watchdog:
    """One thread per process that sets `terminate` on run options past their deadline.

    A call registers its options and removes them when done. The thread sleeps until the
    oldest live call's deadline, or `IDLE` seconds when none runs: calls share one timeout,
    so registration order is deadline order and a new call never needs to wake the thread
    (waking it per call, or per expired entry, costs the event loop the GIL thousands of
    times a second)."""

    IDLE = 1.0

    def __init__(self) -> None:
        self._reset()
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._cond = threading.Condition()
        self._live: dict[int, tuple[float, Any]] = {}  # in registration order
        self._ids = itertools.count()
        self._wake_at = math.inf
        self._thread: threading.Thread | None = None

    def watch(self, options: Any, seconds: float) -> int:
        deadline = time.monotonic() + seconds
        key = next(self._ids)
        with self._cond:
            self._live[key] = (deadline, options)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="specserve-onnx-watchdog", daemon=True
                )
                self._thread.start()
            elif deadline < self._wake_at:  # a shorter timeout than the calls before it
                self._cond.notify()
        return key

    def done(self, key: int) -> None:
        with self._cond:
            self._live.pop(key, None)

    def _run(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                for key, (deadline, options) in list(self._live.items()):
                    if deadline <= now:
                        options.terminate = True
                        del self._live[key]
                upcoming = [deadline for deadline, _ in self._live.values()]
                self._wake_at = min(upcoming, default=now + self.IDLE)
                self._cond.wait(max(self._wake_at - now, 0.001))


WATCHDOG = Watchdog()


def session_options() -> Any:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.add_session_config_entry("session.use_env_allocators", "1")  # the shared arena
    opts.intra_op_num_threads = 1  # one worker per core: never oversubscribe
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.log_severity_level = 3
    return opts


_ELEMENT_TYPES = {"tensor(float)": np.float32, "tensor(double)": np.float64}


class OnnxRunner:
    """An ONNX graph through ONNX Runtime (CPU, one thread, standard operators only: loading
    a graph runs no code of its own). Outputs found by name (`label`/`probabilities` as
    skl2onnx and onnxmltools write them, `variable` for regressors) or by type; a ZipMap
    output (a sequence of maps) is read as probabilities.

    Inputs: one 2-D float or double input fed the whole matrix, or (`inputs`: the graph's
    input names in signature order) one input per column, each fed its column as an
    (n, 1) array of the input's type: float, double or int64 for numbers, str for strings
    (a text graph's 1-D string input is fed the column as (n,))."""

    name = "onnx"

    def __init__(
        self,
        path: Path,
        task: str,
        has_proba: bool,
        limits: Limits | None = None,
        inputs: list[str] | None = None,
    ) -> None:
        import onnxruntime as ort

        self.limits = limits or Limits()
        extra = check_external_data(path)
        check_size(path, self.limits, sum(p.stat().st_size for p in extra if p.exists()))
        shared_arena(self.limits.onnx_max_memory_bytes)
        self.session = _session(path)
        self.columns: list[tuple[str, int, Any, bool]] | None = None
        self.n_features: int | None = None
        if inputs is None:
            self._single_input(self.session.get_inputs())
        else:
            self.columns = _column_inputs(self.session.get_inputs(), inputs)
            self.n_features = len(inputs)
        self.outputs = _pick_outputs(self.session.get_outputs(), task, has_proba)
        self.has_proba = len(self.outputs) == 2
        types = {o.name: o.type for o in self.session.get_outputs()}
        self.zipmap = self.has_proba and types[self.outputs[1]].startswith("seq(map(")
        self.run_options = ort.RunOptions  # one per call: the watchdog may terminate it

    def _single_input(self, inputs: list[Any]) -> None:
        if len(inputs) != 1 or len(inputs[0].shape) != 2:
            raise ModelRefused(
                "ONNX graph must take one 2-D input (rows x features)", kind="graph refused"
            )
        if inputs[0].type not in _ELEMENT_TYPES:
            raise ModelRefused(
                f"ONNX input type {inputs[0].type} (float or double expected)", kind="graph refused"
            )
        self.input_name = inputs[0].name
        self.dtype = _ELEMENT_TYPES[inputs[0].type]
        width = inputs[0].shape[1]
        self.n_features = width if isinstance(width, int) else None

    def __call__(self, x: np.ndarray, seconds: float | None = None) -> Raw:
        """One call, stopped after `seconds` (default: `SPECSERVE_PREDICT_TIMEOUT`)."""
        if self.columns is None:
            feed = {self.input_name: x if x.dtype == self.dtype else x.astype(self.dtype)}
        else:
            feed = column_feed(x, self.columns)
        options = self.run_options()
        entry = WATCHDOG.watch(options, seconds or self.limits.call_seconds)
        try:
            found = self.session.run(self.outputs, feed, options)
        except Exception as exc:
            raise _guarded(exc, options) from None
        finally:
            WATCHDOG.done(entry)
        if self.zipmap:
            return found[0], unzip(found[1])
        return found[0], (found[1] if self.has_proba else None)


# ONNX Runtime's refusal of a StringNormalizer locale the machine lacks (string_normalizer.cc).
LOCALE_REFUSAL = "Failed to construct locale with name:"


def _session(path: Path) -> Any:
    import onnxruntime as ort

    try:
        return ort.InferenceSession(
            str(path), session_options(), providers=["CPUExecutionProvider"]
        )
    except Exception as exc:
        text = str(exc)
        if LOCALE_REFUSAL not in text:
            raise
        name = text.split(LOCALE_REFUSAL, 1)[1].split(":", 1)[0].strip()
        raise ModelRefused(
            f"ONNX Runtime cannot build the graph's text normalizer: locale {name!r} is not "
            "installed here (convert with locale C.UTF-8)",
            kind="graph refused",
        ) from None


_COLUMN_TYPES = {**_ELEMENT_TYPES, "tensor(int64)": np.int64, "tensor(string)": object}


def _column_inputs(found: list[Any], names: list[str]) -> list[tuple[str, int, Any, bool]]:
    """(name, column, dtype, 2-D) per graph input, in signature order; refuses a graph whose
    inputs are not exactly `names`, each one column of a type a column can be fed as."""
    by_name = {i.name: i for i in found}
    if sorted(by_name) != sorted(names) or len(names) != len(set(names)):
        raise ModelRefused(
            f"ONNX graph inputs {sorted(by_name)} are not the signature's {names}",
            kind="graph refused",
        )
    columns = []
    for k, name in enumerate(names):
        spec = by_name[name]
        rank = len(spec.shape)
        width = spec.shape[1] if rank == 2 else 1
        one = rank in (1, 2) and (width in (1, None) or isinstance(width, str))
        if spec.type not in _COLUMN_TYPES or not one:
            raise ModelRefused(
                f"ONNX input {name!r}: {spec.type} {spec.shape} is not one column",
                kind="graph refused",
            )
        columns.append((name, k, _COLUMN_TYPES[spec.type], rank == 2))
    return columns


# A string tensor holds no missing value: a missing string is fed as this one, which no
# category holds, so an encoder that ignores unknown values sees what scikit-learn sees (the
# parity gate probes missing strings: a graph that treats it otherwise is refused).
MISSING_STRING = "\x00missing"


def column_feed(x: np.ndarray, columns: list[tuple[str, int, Any, bool]]) -> dict[str, Any]:
    """Each graph input's column of the matrix, as its type and rank."""
    feed = {}
    for name, k, dtype, two_d in columns:
        column = x[:, k : k + 1] if two_d else x[:, k]
        if dtype is object:
            column = np.array(
                [MISSING_STRING if v is None else v for v in column.ravel()], dtype=object
            ).reshape(column.shape)
        feed[name] = np.ascontiguousarray(column, dtype=dtype)
    return feed


def unzip(maps: list[dict[Any, float]]) -> np.ndarray:
    """ZipMap's output (one `{class: probability}` map per row, the classes in the graph's
    order, as LightGBM's and skl2onnx's default exports write it) as a rows x classes
    matrix in that order."""
    if not maps:
        return np.empty((0, 0))
    keys = list(maps[0])
    return np.array([[row[k] for k in keys] for row in maps], dtype=np.float64)


# What ONNX Runtime's arena says when the cap (or the system) refuses memory: bfc_arena.cc.
ARENA_REFUSALS = ("smaller than requested bytes", "Failed to allocate memory")


def _guarded(exc: Exception, options: Any) -> Exception:
    """The typed failure of a guarded call, or the original error."""
    if options.terminate:
        return CallTerminated("stopped past its deadline")
    if any(m in str(exc) for m in ARENA_REFUSALS):
        return MemoryLimit("above SPECSERVE_ONNX_MAX_MEMORY_BYTES")
    return exc


def _pick_outputs(outputs: list[Any], task: str, has_proba: bool) -> list[str]:
    by_name = {o.name: o for o in outputs}
    if task == "regression":
        floats = [o.name for o in outputs if o.type in _ELEMENT_TYPES]
        chosen = "variable" if "variable" in by_name else (floats[0] if len(floats) == 1 else None)
        if chosen is None:
            raise ModelRefused("ONNX regressor must have one float output", kind="graph refused")
        return [chosen]
    label = "label" if "label" in by_name else None
    if label is None:
        labels = [o.name for o in outputs if len(o.shape) == 1]
        label = labels[0] if len(labels) == 1 else None
    if label is None:
        raise ModelRefused("ONNX classifier has no label output", kind="graph refused")
    if not has_proba:
        return [label]
    probs = [o.name for o in outputs if o.type in _ELEMENT_TYPES and len(o.shape) == 2]
    probs = probs or [o.name for o in outputs if o.type.startswith("seq(map(")]  # ZipMap
    proba = "probabilities" if "probabilities" in by_name else (probs[0] if probs else None)
    return [label] if proba is None else [label, proba]


def check_external_data(path: Path) -> list[Path]:
    """The external-data files of a graph; refuses one that points outside its own folder."""
    import onnx
    from onnx.external_data_helper import uses_external_data

    folder = path.parent.resolve()
    model = onnx.load(str(path), load_external_data=False)
    found = []
    for tensor in _model_tensors(model):
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


def _model_tensors(model: Any) -> Any:
    """Every tensor a model holds: its graph's and its local functions' (`model.functions`)."""
    yield from _tensors(model.graph)
    for function in model.functions:
        yield from _node_tensors(function.node)


def _tensors(graph: Any) -> Any:
    """A graph's tensors: dense and sparse initializers, and those of its nodes (subgraphs
    included)."""
    yield from graph.initializer
    for sparse in graph.sparse_initializer:
        yield from (sparse.values, sparse.indices)
    yield from _node_tensors(graph.node)


def _node_tensors(nodes: Any) -> Any:
    for node in nodes:
        for attr in node.attribute:
            if attr.HasField("t"):
                yield attr.t
            yield from attr.tensors
            if attr.HasField("sparse_tensor"):
                yield from (attr.sparse_tensor.values, attr.sparse_tensor.indices)
            for sparse in attr.sparse_tensors:
                yield from (sparse.values, sparse.indices)
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
