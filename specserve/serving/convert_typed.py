"""Converting a model with typed inputs (strings, categories, a text column) to ONNX.

Used by `convert.convert` for any signature other than numbers in an array:

- `columns`: skl2onnx with one graph input per signature column, `[None, 1]` each: string
  for a string input, float for the others (never double: skl2onnx's double graph of such a
  pipeline does not load in ONNX Runtime);
- `text-unicode`, then `text`: a text pipeline (one string input) with its vectorizers'
  `StringNormalizer` in the `C.UTF-8` locale (skl2onnx leaves it to ONNX Runtime's
  default, `en_US.UTF-8`, which a machine without that locale refuses to load), the first
  with a Unicode word pattern for scikit-learn's default `(?u)\\b\\w\\w+\\b`, the second with
  skl2onnx's ASCII one.

Graph input names are skl2onnx's (a name that is not an identifier has its other
characters replaced), recorded in signature order as `parity["inputs"]`.

Probe rows come from the signature, not random floats: every category (and, for an open
set, unseen values, and for a `number` category a value between categories: ONNX casts it
to an integer category where scikit-learn sees an unknown value), missing values where an
input is nullable, numbers over the training scale (a `StandardScaler`'s mean and scale)
and far beyond it, and for text: the vocabulary in mixed case, punctuation, accented and
non-Latin words, the empty string. Refused before converting: a string input that may be
missing (ONNX Runtime takes no null string), and text settings with no ONNX equivalent.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import numpy as np

from specserve.serving.signature import FLOAT32_MAX, Input, Signature

PER_COLUMN = ("columns", "text-unicode", "text")
TEXT_LOCALE = "C.UTF-8"
DEFAULT_WORD_PATTERN = r"(?u)\b\w\w+\b"
UNICODE_WORD = r"[\p{L}\p{N}_][\p{L}\p{N}_]+"
MIXED_ROWS = 1024
TEXT_ROWS = 512
VOCABULARY_SHOWN = 300
UNSEEN_STRINGS = ("unseen", "", "Unseen É")
TRICKY_TEXT = (
    "",
    " ",
    "\t\n",
    "Café",
    "ÉCOLE",
    "naïve",
    "Straße",
    "İstanbul",
    "日本語",
    "ça va?",
    "e\u0301te\u0301",
    "don't",
    "a-b_c",
    "UPPER lower",
    "Hello, world!",
    "123 456",
    "x",
)
SEPARATORS = (" ", "  ", ", ", ". ", "! ", "?", "-", "'", "_", "é", " ß ", " café ", "\n")


def typed_strategies(estimator: Any, signature: Signature) -> list[tuple[str, Any]]:
    if signature.layout != "text":
        return [("columns", partial(_columns, signature=signature))]
    found = []
    if all(
        v.analyzer == "word" and v.token_pattern == DEFAULT_WORD_PATTERN
        for v in vectorizers(estimator)
    ):
        found.append(("text-unicode", partial(_text, signature=signature, words=UNICODE_WORD)))
    found.append(("text", partial(_text, signature=signature, words=None)))
    return found


def typed_refusal(estimator: Any, signature: Signature) -> str | None:
    """Why no graph can match, known before converting; None when the gate decides."""
    for vec in vectorizers(estimator):
        if vec.analyzer == "char_wb":
            return "a char_wb text analyzer has no ONNX equivalent"
        if callable(vec.analyzer) or vec.preprocessor is not None or vec.tokenizer is not None:
            return "a custom text analyzer, preprocessor or tokenizer has no ONNX equivalent"
        if vec.strip_accents is not None:
            return "strip_accents has no ONNX equivalent"
    return None


def graph_inputs(graph: Any) -> list[str]:
    """The graph's input names, in the order they were declared (signature order)."""
    return [i.name for i in graph.graph.input]


def _classifier_options(estimator: Any) -> dict[int, dict[str, Any]]:
    return {id(estimator): {"zipmap": False}} if hasattr(estimator, "classes_") else {}


def _columns(estimator: Any, probe: np.ndarray, signature: Signature) -> Any:
    from skl2onnx import to_onnx
    from skl2onnx.common.data_types import FloatTensorType, StringTensorType

    types = [
        (i.name, StringTensorType([None, 1]) if i.type == "string" else FloatTensorType([None, 1]))
        for i in signature.inputs
    ]
    options = _classifier_options(estimator) or None
    return _one_input_per_column(to_onnx(estimator, initial_types=types, options=options), types)


def _text(estimator: Any, probe: np.ndarray, signature: Signature, words: str | None) -> Any:
    from skl2onnx import to_onnx
    from skl2onnx.common.data_types import StringTensorType

    options = _classifier_options(estimator)
    for vec in vectorizers(estimator):
        options[id(vec)] = {"locale": TEXT_LOCALE, **({"tokenexp": words} if words else {})}
    types = [(signature.names[0], StringTensorType([None, 1]))]
    return _one_input_per_column(to_onnx(estimator, initial_types=types, options=options), types)


def _one_input_per_column(graph: Any, types: list[Any]) -> Any:
    """The graph, if it kept one input per signature column (in their order)."""
    if len(graph.graph.input) != len(types):
        found = len(graph.graph.input)
        raise ValueError(f"the graph has {found} inputs for {len(types)} columns")
    return graph


# -- the estimator's parts --------------------------------------------------------------------


def parts(estimator: Any) -> list[Any]:
    """The estimator and every estimator inside it (pipelines, column transformers, unions)."""
    found = [estimator]
    inner: list[Any] = []
    if hasattr(estimator, "steps"):
        inner = [step for _, step in estimator.steps]
    elif hasattr(estimator, "transformers_"):
        inner = [t for _, t, _ in estimator.transformers_]
    elif hasattr(estimator, "transformer_list"):
        inner = [t for _, t in estimator.transformer_list]
    for part in inner:
        if not isinstance(part, str) and part is not None:
            found.extend(parts(part))
    return found


def vectorizers(estimator: Any) -> list[Any]:
    from sklearn.feature_extraction.text import CountVectorizer

    return [p for p in parts(estimator) if isinstance(p, CountVectorizer)]


def _scales(estimator: Any) -> dict[str, tuple[float, float]]:
    """An input's training mean and scale, from a StandardScaler fitted on named columns."""
    from sklearn.preprocessing import StandardScaler

    found = {}
    for part in parts(estimator):
        names = getattr(part, "feature_names_in_", None)
        if not isinstance(part, StandardScaler) or names is None:
            continue
        for k, name in enumerate(names):
            mean = float(part.mean_[k]) if part.with_mean else 0.0
            scale = float(part.scale_[k]) if part.with_std else 1.0
            found[str(name)] = (mean, scale)
    return found


# -- probe rows -------------------------------------------------------------------------------


def typed_probe(estimator: Any, signature: Signature) -> np.ndarray:
    """Rows of the matrix a request of this signature builds: random combinations of each
    input's probe values, then every value of every input once."""
    rng = np.random.default_rng(0)
    if signature.layout == "text":
        return np.array(_texts(estimator, rng), dtype=object).reshape(-1, 1)
    scales = _scales(estimator)
    pools = [_pool(spec, scales.get(spec.name), rng) for spec in signature.inputs]
    dtype = np.float64 if signature.numeric else object
    x = np.empty((MIXED_ROWS + sum(map(len, pools)), len(pools)), dtype=dtype)
    for k, pool in enumerate(pools):
        picks = rng.integers(len(pool), size=MIXED_ROWS)
        x[:MIXED_ROWS, k] = [pool[i] for i in picks]
    row = MIXED_ROWS
    base = [pool[0] for pool in pools]
    for k, pool in enumerate(pools):
        for value in pool:
            x[row] = base
            x[row, k] = value
            row += 1
    return x


def _pool(spec: Input, scale: tuple[float, float] | None, rng: Any) -> list[Any]:
    values: list[Any]
    if spec.type == "string":
        values = list(spec.categories or TRICKY_TEXT)
        if spec.categories is None or spec.open:
            values += [s for s in UNSEEN_STRINGS if s not in values]
        return values + ([None] if spec.nullable else [])
    if spec.type == "boolean":
        values = [False, True]
    elif spec.categories:
        values = [float(c) for c in spec.categories]
        if spec.open:
            values += [max(values) + 1, min(values) - 1]
            if spec.type == "number":  # between categories: scikit-learn sees it as unknown
                values += [v + 0.7 for v in values[:20]]
    else:
        values = _numbers(spec, scale, rng)
    return values + ([math.nan] if spec.nullable else [])


def _numbers(spec: Input, scale: tuple[float, float] | None, rng: Any) -> list[float]:
    mean, sd = scale or (0.0, 1.0)
    found = mean + sd * np.concatenate(
        [rng.normal(scale=2.0, size=64), [0.0, 1.0, -1.0, 50.0, -50.0, 1e3, -1e3]]
    )
    if scale is None:
        found = np.concatenate([found, [1e6, -1e6]])
    low = -FLOAT32_MAX / 10 if spec.minimum is None else spec.minimum
    high = FLOAT32_MAX / 10 if spec.maximum is None else spec.maximum
    found = np.clip(np.concatenate([found, [low, high]]), low, high)
    if spec.type == "integer":
        found = np.clip(np.round(found), math.ceil(low), math.floor(high))
    return [float(v) for v in found]


def _texts(estimator: Any, rng: Any) -> list[str]:
    """Texts from the vocabulary in every case, with punctuation and accented joins (a word
    glued to the next by an accented letter is one token to scikit-learn, two to an ASCII
    tokenizer)."""
    words = sorted({w for v in vectorizers(estimator) for g in v.vocabulary_ for w in g.split()})
    if len(words) > VOCABULARY_SHOWN:
        words = [words[i] for i in rng.choice(len(words), VOCABULARY_SHOWN, replace=False)]
    texts = list(TRICKY_TEXT)
    cases = (str.lower, str.upper, str.title, str)
    for _ in range(TEXT_ROWS if words else 0):
        picks = rng.choice(len(words), size=int(rng.integers(1, 9)))
        text = ""
        for i in picks:
            case = cases[int(rng.integers(len(cases)))]
            text += case(words[i]) + SEPARATORS[int(rng.integers(len(SEPARATORS)))]
        texts.append(text)
    texts.extend(w.upper() for w in words)
    return texts


def suspects(probe: np.ndarray, signature: Signature) -> list[tuple[np.ndarray, str]]:
    """Probe rows without one known cause of difference, and that cause: when the graph is
    exact on those rows, the cause is the reason it is refused."""
    found = []
    if signature.layout == "text":
        keep = [all(not isinstance(v, str) or v.isascii() for v in row) for row in probe]
        found.append((keep, "accented (non-ASCII) text tokenized unlike scikit-learn"))
    for k, spec in enumerate(signature.inputs):
        if spec.type == "string" and spec.nullable:
            keep = [v is not None for v in probe[:, k]]
            why = (
                f"a missing {spec.name!r} scores unlike scikit-learn (ONNX Runtime has no "
                "missing string: it is fed as an unknown value)"
            )
            found.append((keep, why))
        if spec.type == "number" and spec.categories and spec.open:
            column = probe[:, k].astype(np.float64)
            keep = list(np.isnan(column) | (column == np.round(column)))
            found.append(
                (keep, f"a number between the categories of {spec.name!r} becomes one in ONNX")
            )
    return [
        (probe[np.asarray(keep, dtype=bool)], why)
        for keep, why in found
        if 0 < sum(keep) < len(probe)
    ]
