"""The scikit-learn release an artifact was saved with, read before anything is built.

scikit-learn does not promise that an estimator saved by one release loads, or predicts the
same, in another: a mismatch shows up as an odd refusal (a private type outside the skops
allow-list) or odd answers. So it is named first:

- skops: `schema.json` inside the zip keeps `_sklearn_version` for every estimator object;
  it is read (as JSON, within the zip's checked sizes) before skops constructs anything;
- joblib/pickle (opt-in): unpickling an estimator compares the versions itself and warns
  (`InconsistentVersionWarning`, with the saved version); that warning becomes the refusal.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from specserve.serving.artifacts import ModelRefused

OTHER_LIBRARIES = {"xgboost": "XGBoost", "lightgbm": "LightGBM", "catboost": "CatBoost"}


class VersionMismatch(ModelRefused):
    """The artifact was saved by another scikit-learn release than the one serving."""

    kind = "version mismatch"


def service_version() -> str:
    import sklearn

    return str(sklearn.__version__)


def mismatch(saved: str) -> VersionMismatch:
    running = service_version()
    return VersionMismatch(
        f"saved with scikit-learn {saved}, this service runs {running}: re-save it with "
        f"{running}, or export it to ONNX"
    )


def skops_versions(path: Path) -> set[str]:
    """Every `_sklearn_version` the skops schema records (empty when it records none)."""
    try:
        with zipfile.ZipFile(path) as zf:
            schema = json.loads(zf.read("schema.json"))
    except (KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
        raise ModelRefused(
            f"not a skops artifact (no readable schema.json: {type(exc).__name__}); save the "
            "model again with skops.io.dump",
            kind="artifact unreadable",
        ) from None
    found: set[str] = set()
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            version = node.get("_sklearn_version")
            if isinstance(version, dict) and isinstance(version.get("content"), str):
                found.add(_decoded(version["content"]))
            stack.extend(v for k, v in node.items() if k != "_sklearn_version")
    return found


def _decoded(content: str) -> str:
    try:
        value = json.loads(content)
    except ValueError:
        return content
    return value if isinstance(value, str) else content


def check_skops(path: Path) -> str:
    """The release a skops artifact was saved with; `VersionMismatch` if not the service's."""
    running = service_version()
    others = sorted(v for v in skops_versions(path) if v != running)
    if others:
        raise mismatch(others[0])
    return running


def other_library(names: list[str]) -> str | None:
    """The gradient-boosting library a type name belongs to (XGBoost, ...), if any."""
    for name in names:
        root = name.split(".")[0].lower()
        if root in OTHER_LIBRARIES:
            return root
    return None


def export_advice(library: str) -> str:
    name = OTHER_LIBRARIES[library]
    return (
        f"a model of {name}, which this service does not load: export it to ONNX "
        "(onnxmltools, see the README's Models section) and add the .onnx file"
    )


def load_pickle(path: Path) -> Any:
    """`joblib.load`, with a saved-by-another-release warning turned into the refusal."""
    import warnings

    import joblib
    from sklearn.exceptions import InconsistentVersionWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InconsistentVersionWarning)
        try:
            estimator = joblib.load(path)
        except ModuleNotFoundError as exc:
            library = other_library([str(exc.name or "")])
            if library:
                raise ModelRefused(export_advice(library)) from None
            raise
    for warning in caught:
        if isinstance(warning.message, InconsistentVersionWarning):
            raise mismatch(str(warning.message.original_sklearn_version))
    return estimator
