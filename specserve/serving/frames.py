"""What scikit-learn is called with: the validated matrix as the model was fitted on it.

The data plane hands every runtime one matrix in signature order (`signature.py`): float64
when every input is numeric, else an object array. A model fitted on a pandas DataFrame
(`layout: frame`) gets a DataFrame with the signature's columns and an explicit dtype per
column (float64 for numbers, object for strings and booleans: pandas 3 would otherwise give
strings its `str` dtype), a missing value as NaN, as pandas reads a CSV and as scikit-learn's
imputers and encoders see a missing value; a text pipeline
(`layout: text`) gets its one column as a 1-D array of strings; anything else the matrix.
pandas is imported only when a frame is built.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def to_model_input(x: np.ndarray, signature: Any) -> Any:
    layout = signature.layout
    if layout == "text":
        return x[:, 0]
    if layout != "frame":
        return x if x.dtype != object else x.astype(np.float64)
    import pandas as pd

    columns: dict[str, Any] = {}
    for k, spec in enumerate(signature.inputs):
        column = x[:, k]
        if spec.type in ("number", "integer"):
            columns[spec.name] = np.asarray(column, dtype=np.float64)
        else:
            missing = np.array([v is None for v in column], dtype=bool)
            if missing.any():  # pandas' and scikit-learn's missing value (SimpleImputer's)
                column = column.copy()
                column[missing] = np.nan
            columns[spec.name] = pd.Series(column, dtype=object, copy=False)
    return pd.DataFrame(columns, copy=False)
