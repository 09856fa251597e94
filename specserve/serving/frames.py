"""The validated matrix of a request, as the scikit-learn model was fitted to take it.

`Signature.matrix` gives one matrix per call (float64 when every input is numeric, else an
object array in signature order). The layout says what the estimator takes:

- `array`: the matrix itself (a 2-D array in signature order);
- `frame`: a pandas DataFrame with the signature's column names and one explicit dtype per
  column: object for strings (a missing one is None), float64 for numbers (NaN when
  missing), bool for booleans (object when one is missing);
- `text`: the one string column as a 1-D array of str.
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
    import pandas as pd  # type: ignore[import-untyped]

    columns = {}
    for k, spec in enumerate(signature.inputs):
        values = x[:, k]
        if spec.type == "string":
            columns[spec.name] = pd.Series(values, dtype=object)
        elif spec.type == "boolean" and x.dtype == object and _all_bool(values):
            columns[spec.name] = pd.Series(values, dtype=bool)
        elif spec.type == "boolean" and x.dtype == object:
            columns[spec.name] = pd.Series(values, dtype=object)
        else:
            columns[spec.name] = pd.Series(values, dtype=np.float64)
    return pd.DataFrame(columns, columns=list(signature.names))


def _all_bool(values: np.ndarray) -> bool:
    return all(isinstance(v, bool | np.bool_) for v in values)
