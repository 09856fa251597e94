"""Finding a new version's signature at `specserve models add` (never in a worker).

In order, each step refining the last:
1. the columns: `feature_names_in_` (a model fitted on a DataFrame: `layout: frame`), else
   the input example's columns, else `--feature-names`, else `f0..fN-1`; a pipeline that
   starts with a text vectorizer takes one string column (`layout: text`);
2. the types: the example's column dtypes (numbers, integers, booleans, strings), else what
   the pipeline's encoders were fitted on (an `OneHotEncoder`/`OrdinalEncoder` of strings
   makes its columns strings, a text vectorizer inside a `ColumnTransformer` too);
3. the categories: every encoder's `categories_` for its columns, enforced when it refuses
   unknown values (`handle_unknown="error"`), published but open otherwise;
4. nullability, by trying: a probe row with that one value missing is scored; a model that
   raises, or answers a non-finite value, does not take a missing value there
   (scikit-learn's `input_tags.allow_nan` says False for every Pipeline and
   ColumnTransformer, even an imputer in front of a model, so it cannot decide);
5. `--inputs FILE.json` replaces all of it (its signature is still checked by scoring).
The example's numeric ranges are recorded in each input's description, never enforced: a
value outside what the model was trained on is still a value a client may send.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from specserve.serving.artifacts import ModelRefused
from specserve.serving.signature import (
    NAME,
    Input,
    Signature,
    SignatureInvalid,
    parse_inputs,
)

TEXT_VECTORIZERS = ("CountVectorizer", "TfidfVectorizer", "HashingVectorizer")
ENCODERS = ("OneHotEncoder", "OrdinalEncoder")
MAX_EXAMPLE_BYTES = 64 * 1024**2
MAX_EXAMPLE_ROWS = 100_000


def read_example(path: Path) -> list[dict[str, Any]]:
    """Rows of a CSV (a header line, then values; empty cells are missing) or JSON file (a
    list of objects), as dicts of Python values."""
    if path.stat().st_size > MAX_EXAMPLE_BYTES:
        raise ModelRefused(f"{path.name}: an input example over {MAX_EXAMPLE_BYTES} bytes")
    text = path.read_text(encoding="utf-8-sig")  # a spreadsheet's CSV starts with a BOM
    if path.suffix.lower() == ".json":
        rows = json.loads(text)
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows) or not rows:
            raise ModelRefused(f"{path.name}: a JSON input example is a list of objects")
        return rows[:MAX_EXAMPLE_ROWS]
    reader = csv.DictReader(io.StringIO(text))
    rows = [dict(r) for _, r in zip(range(MAX_EXAMPLE_ROWS), reader, strict=False)]
    if not rows or not reader.fieldnames:
        raise ModelRefused(f"{path.name}: a CSV input example needs a header line and rows")
    return [{k: _cell(v) for k, v in row.items() if k is not None} for row in rows]


def _cell(text: str | None) -> Any:
    """A CSV cell as the value it reads as: empty is missing, then int, float, bool, text."""
    if text is None or text.strip() == "":
        return None
    for kind in (int, float):
        try:
            value = kind(text)
        except ValueError:
            continue
        return None if isinstance(value, float) and math.isnan(value) else value
    if text.strip().lower() in ("true", "false"):
        return text.strip().lower() == "true"
    return text


def infer(
    estimator: Any,
    *,
    example: list[dict[str, Any]] | None = None,
    feature_names: list[str] | None = None,
    inputs: list[dict[str, Any]] | None = None,
) -> Signature:
    """The signature a new version publishes (see the module's docstring)."""
    layout = _layout(estimator)
    if inputs is not None:
        try:
            signature = Signature(parse_inputs(inputs), layout)
        except SignatureInvalid as exc:
            raise ModelRefused(f"--inputs: {exc}") from None
        _check_names(estimator, signature)
        return signature
    names = _names(estimator, layout, example, feature_names)
    types = _example_types(example, names) if example else {}
    encoded = _encoded_columns(estimator, names)
    specs = []
    for name in names:
        fitted = encoded.get(name, {}).get("type")
        kind = (
            # an encoder fitted on strings holds strings, whatever a CSV's "01234" reads as
            ("string" if fitted == "string" else None)
            or types.get(name)
            or fitted
            or ("string" if layout == "text" else "number")
        )
        found = encoded.get(name, {})
        categories = found.get("categories")
        specs.append(
            Input(
                name=name,
                type=kind,
                categories=tuple(categories) if categories else None,
                open=bool(categories) and not found.get("closed", False),
                description=_observed(example, name, kind),
            )
        )
    signature = _readable(Signature(tuple(specs), layout))
    return _with_nullability(estimator, signature, example)


def _readable(signature: Signature) -> Signature:
    """The signature, if a worker can read it back from metadata.json (names it allows,
    categories of their input's type); else the refusal a worker would give, now."""
    bad = [n for n in signature.names if not NAME.fullmatch(n)]
    if bad:
        raise ModelRefused(
            f"input name {bad[0]!r}: a letter or '_' first, then letters, digits, '_', '.', "
            "'-' or spaces (128 at most); rename the columns"
        )
    try:
        parse_inputs(signature.to_json())
    except SignatureInvalid as exc:
        raise ModelRefused(f"inputs: {exc}") from None
    return signature


def _layout(estimator: Any) -> str:
    if hasattr(estimator, "feature_names_in_"):
        return "frame"
    first = estimator.steps[0][1] if hasattr(estimator, "steps") else estimator
    return "text" if type(first).__name__ in TEXT_VECTORIZERS else "array"


def _names(
    estimator: Any,
    layout: str,
    example: list[dict[str, Any]] | None,
    feature_names: list[str] | None,
) -> list[str]:
    fitted = [str(c) for c in getattr(estimator, "feature_names_in_", [])]
    if fitted:
        if example and not set(fitted) <= set(example[0]):
            missing = sorted(set(fitted) - set(example[0]))
            raise ModelRefused(f"--input-example lacks the model's columns {missing[:10]}")
        return fitted
    if layout == "text":
        if example:
            columns = list(example[0])
            if len(columns) != 1:
                raise ModelRefused(
                    f"a text model takes one column; --input-example has {len(columns)}"
                )
            return columns
        return list(feature_names or ["text"])[:1]
    width = getattr(estimator, "n_features_in_", None)
    if width is None:
        raise ModelRefused(
            "the estimator does not say how many inputs it takes (no n_features_in_): not "
            "fitted, or a first step that takes no table; pass --inputs FILE.json"
        )
    names = feature_names or (list(example[0]) if example else None)
    if names is not None and len(names) != width:
        source = "--feature-names" if feature_names else "--input-example"
        raise ModelRefused(f"{source} has {len(names)} columns, the model takes {width}")
    return [str(n) for n in names] if names else [f"f{i}" for i in range(width)]


def _check_names(estimator: Any, signature: Signature) -> None:
    fitted = [str(c) for c in getattr(estimator, "feature_names_in_", [])]
    if fitted and fitted != list(signature.names):
        raise ModelRefused(
            f"--inputs names {list(signature.names)}; the model was fitted on {fitted}, in order"
        )
    width = getattr(estimator, "n_features_in_", None)
    if width is not None and signature.layout != "text" and width != len(signature):
        raise ModelRefused(f"--inputs has {len(signature)} inputs, the model takes {width}")


def _example_types(example: list[dict[str, Any]], names: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in names:
        values = [row.get(name) for row in example if row.get(name) is not None]
        if not values:
            continue
        if all(isinstance(v, bool) for v in values):
            found[name] = "boolean"
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            found[name] = "integer"
        elif all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            found[name] = "number"
        else:
            found[name] = "string"
    return found


def _observed(example: list[dict[str, Any]] | None, name: str, kind: str) -> str | None:
    if not example or kind not in ("number", "integer"):
        return None
    values = [row.get(name) for row in example]
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if not numbers:
        return None
    return f"Seen in training from {min(numbers):g} to {max(numbers):g}."


def _encoded_columns(estimator: Any, names: list[str]) -> dict[str, dict[str, Any]]:
    """Per column an encoder of the pipeline consumes directly: its type and categories."""
    found: dict[str, dict[str, Any]] = {}
    for transformer, columns in _column_transformers(estimator, names):
        inner = _first_step(transformer)
        inner_kind = type(inner).__name__
        if inner_kind in TEXT_VECTORIZERS:
            for column in columns:
                found[column] = {"type": "string"}
            continue
        if inner_kind not in ENCODERS or not hasattr(inner, "categories_"):
            continue
        closed = getattr(inner, "handle_unknown", "error") == "error"
        for column, categories in zip(columns, inner.categories_, strict=False):
            values = [v for v in np.asarray(categories, dtype=object).tolist() if not _missing(v)]
            strings = any(isinstance(v, str) for v in values)
            if strings:
                kind_of = "string"
                values = [str(v) for v in values]
            elif all(float(v).is_integer() for v in values):
                kind_of = "integer"
                values = [int(v) for v in values]
            else:
                kind_of = "number"
                values = [float(v) for v in values]
            found[column] = {"type": kind_of, "categories": values, "closed": closed}
    return found


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _first_step(transformer: Any) -> Any:
    """The step that reads a column's values: the first one after any imputers (which
    keep the column's values and type)."""
    steps = [s for _, s in transformer.steps] if hasattr(transformer, "steps") else [transformer]
    for step in steps:
        if type(step).__name__ not in ("SimpleImputer", "MissingIndicator"):
            return step
    return steps[-1]


def _column_transformers(estimator: Any, names: list[str]) -> list[tuple[Any, list[str]]]:
    """(transformer, the input columns it takes) for the ColumnTransformers of a pipeline,
    and for an encoder applied to the whole input."""
    from sklearn.compose import ColumnTransformer

    steps = [s for _, s in estimator.steps] if hasattr(estimator, "steps") else [estimator]
    first = steps[0]
    found: list[tuple[Any, list[str]]] = []
    if isinstance(first, ColumnTransformer):
        for _, transformer, columns in first.transformers_:
            if transformer in ("drop", "passthrough"):
                continue
            found.append((transformer, _column_names(columns, names)))
    elif type(first).__name__ in ENCODERS:
        found.append((first, list(names)))
    elif hasattr(first, "steps"):  # a nested pipeline first
        found.extend(_column_transformers(first, names))
    return found


def _column_names(columns: Any, names: list[str]) -> list[str]:
    if isinstance(columns, str | int):
        columns = [columns]
    out = []
    for c in np.asarray(columns, dtype=object).tolist():
        if isinstance(c, bool):
            continue
        out.append(names[c] if isinstance(c, int) else str(c))
    if np.asarray(columns).dtype == bool:
        out = [n for n, keep in zip(names, np.asarray(columns).tolist(), strict=False) if keep]
    return out


def _with_nullability(
    estimator: Any, signature: Signature, example: list[dict[str, Any]] | None
) -> Signature:
    """Each input nullable exactly when a row missing only that value scores."""
    from specserve.serving.frames import to_model_input

    base = _base_row(signature, example)
    try:
        _score(estimator, signature, [base], to_model_input)
    except Exception as exc:
        raise ModelRefused(
            f"the model cannot score a row of its own inputs ({type(exc).__name__}: "
            f"{str(exc)[:200]}); check the input example, or pass --inputs"
        ) from None
    strings = [k for k, spec in enumerate(signature.inputs) if spec.type == "string"]
    found = {
        marker: _missing_one_at_a_time(estimator, signature, base, marker)
        for marker in (("nan", "none") if strings else ("nan",))
    }
    # a missing string is NaN to most models; None to one fitted with missing_values=None
    wins = strings and sum(found["none"][k] for k in strings) > sum(
        found["nan"][k] for k in strings
    )
    marker = "none" if wins else "nan"
    return Signature(
        tuple(
            Input(**{**s.__dict__, "nullable": ok})
            for s, ok in zip(signature.inputs, found[marker], strict=True)
        ),
        signature.layout,
        marker,
    )


def _missing_one_at_a_time(
    estimator: Any, signature: Signature, base: dict[str, Any], marker: str
) -> list[bool]:
    """Per input, whether a row missing only it scores. The rows are built once and scored
    together; only when that call raises is each row scored alone (a slice of the same
    input: a wide model's frame is not rebuilt per input)."""
    from specserve.serving.frames import to_model_input

    everything = Signature(
        tuple(Input(**{**s.__dict__, "nullable": True}) for s in signature.inputs),
        signature.layout,
        marker,
    )
    rows = [{**base, spec.name: None} for spec in signature.inputs]
    x = to_model_input(everything.matrix(rows, "$"), everything)
    try:
        return _finite_rows(estimator, x, len(rows))
    except Exception:
        pass
    found = []
    for i in range(len(rows)):
        part = x.iloc[i : i + 1] if hasattr(x, "iloc") else x[i : i + 1]
        try:
            found.extend(_finite_rows(estimator, part, 1))
        except Exception:
            found.append(False)
    return found


def _finite_rows(estimator: Any, x: Any, n: int) -> list[bool]:
    """Per row, whether the model's answers for it are finite (raises when the call does)."""
    ok = np.ones(n, dtype=bool)
    out = np.asarray(estimator.predict(x))
    if out.dtype.kind in "fc":
        ok &= np.isfinite(out.reshape(n, -1)).all(axis=1)
    if hasattr(estimator, "predict_proba"):
        p = np.asarray(estimator.predict_proba(x), dtype=np.float64)
        ok &= np.isfinite(p.reshape(n, -1)).all(axis=1)
    return [bool(v) for v in ok]


def _base_row(signature: Signature, example: list[dict[str, Any]] | None) -> dict[str, Any]:
    """A complete row: the example's first row with every value present, else defaults."""
    row = {s.name: signature.example_rows()[0][s.name] for s in signature.inputs}
    for candidate in example or []:
        if all(candidate.get(s.name) is not None for s in signature.inputs):
            try:
                signature.matrix([{s.name: candidate[s.name] for s in signature.inputs}], "$")
            except Exception:
                continue
            return {s.name: candidate[s.name] for s in signature.inputs}
    return row


def _score(estimator: Any, signature: Signature, rows: list[dict[str, Any]], prepare: Any) -> bool:
    """Whether the model scores `rows` to finite answers."""
    x = signature.matrix(rows, "$")
    out = np.asarray(estimator.predict(prepare(x, signature)))
    if out.dtype.kind in "fc" and not np.isfinite(out).all():
        return False
    if hasattr(estimator, "predict_proba"):
        p = np.asarray(estimator.predict_proba(prepare(x, signature)), dtype=np.float64)
        if not np.isfinite(p).all():
            return False
    return True
