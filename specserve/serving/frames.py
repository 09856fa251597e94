"""The validated matrix of a request, as the scikit-learn model was fitted to take it.

`Signature.matrix` gives one matrix per call (float64 when every input is numeric, else an
object array in signature order). The layout says what the estimator takes:

- `array`: the matrix itself (a 2-D array in signature order);
- `frame`: a pandas DataFrame with the signature's column names and one explicit dtype per
  column (pandas 3 would otherwise give strings its `str` dtype): float64 for numbers, object
  for strings, bool for booleans (float64 or object when one is missing: a bool column would
  make it True); a missing value is NaN, as pandas reads it from a CSV and as
  scikit-learn's imputers and encoders see it (a None string is not missing to
  `SimpleImputer`), except a string for a model that found only None missing at `add`
  (`missing_string: none`);
- `text`: the one string column as a 1-D array of str.

pandas is imported only when a frame is built.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from specserve.serving.signature import Signature


def to_model_input(x: np.ndarray, signature: Signature) -> Any:
    """What the estimator is called with for the rows `x` of this signature."""
    if signature.layout == "text":
        return np.asarray(x[:, 0], dtype=object)
    if signature.layout == "frame":
        return _frame(x, signature)
    return x


def _frame(x: np.ndarray, signature: Signature) -> Any:
    import pandas as pd

    columns = {}
    for k, spec in enumerate(signature.inputs):
        values = x[:, k]
        if spec.type in ("number", "integer"):
            columns[spec.name] = pd.Series(values, dtype=np.float64, copy=False)
        elif spec.type == "boolean" and x.dtype != object:
            # a missing value stays NaN: a bool Series would make it True
            missing = bool(np.isnan(values).any())
            columns[spec.name] = pd.Series(values, dtype=np.float64 if missing else bool)
        elif spec.type == "boolean" and _all_bool(values):
            columns[spec.name] = pd.Series(values, dtype=bool)
        else:
            if signature.missing_string == "nan":
                values = _nan_for_none(values)
            columns[spec.name] = pd.Series(values, dtype=object, copy=False)
    return pd.DataFrame(columns, columns=list(signature.names), copy=False)


def _all_bool(values: np.ndarray) -> bool:
    return all(isinstance(v, bool | np.bool_) for v in values)


def _nan_for_none(values: np.ndarray) -> np.ndarray:
    missing = np.fromiter((v is None for v in values), dtype=bool, count=len(values))
    if not missing.any():
        return values
    values = values.copy()
    values[missing] = np.nan
    return values
