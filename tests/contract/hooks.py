"""Our own schemathesis checks: promises of the spec that its schemas cannot express.

Loaded by schemathesis (`hooks` in schemathesis.toml), in the schemathesis process; the
runner passes the service's URL and API key in the environment.
"""

from __future__ import annotations

import ast
import os
import re
from functools import cache

import httpx
import schemathesis

PREDICTION_PATHS = {
    "/predict": False,
    "/batch_predict": True,
    "/models/{model_name}/predict": False,
    "/models/{model_name}/batch_predict": True,
    "/models/{model_name}/versions/{version}/predict": False,
    "/models/{model_name}/versions/{version}/batch_predict": True,
}
COUNT_RE = re.compile(r"expects (\d+) features, got (\d+)\.")


def _get(path: str) -> dict:
    response = httpx.get(
        os.environ["CONTRACT_BASE_URL"] + path,
        headers={"X-API-Key": os.environ["CONTRACT_API_KEY"]},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()


@cache
def model_n_features(name: str | None) -> int:
    """The live model's feature count (the default model when `name` is None)."""
    name = name or _get("/models")["default_model"]
    return _get(f"/models/{name}")["n_features"]


def _json(response) -> object:
    try:
        return response.json()
    except ValueError:
        return None


@schemathesis.check
def problem_details_match_response(ctx, response, case):
    """An error body names the response's own status and request id (the spec's promise)."""
    if response.status_code < 400:
        return None
    body = _json(response)
    if not isinstance(body, dict):
        raise AssertionError(f"{response.status_code} without a problem+json object body")
    if body.get("status") != response.status_code:
        raise AssertionError(f"body status {body.get('status')} on a {response.status_code}")
    ids = response.headers.get("x-request-id") or []  # lower-case names, lists of values
    if ids != [body.get("request_id")]:
        raise AssertionError(f"body request_id is not the one X-Request-ID header ({len(ids)})")
    if body.get("message") != body.get("detail"):
        raise AssertionError("`message` differs from `detail`")
    return None


def _rows(case) -> list | None:
    body = case.body
    batch = PREDICTION_PATHS[case.operation.path]
    if not isinstance(body, dict):
        return None
    if batch:
        requests = body.get("requests")
        return [r.get("features") for r in requests] if isinstance(requests, list) else None
    return [body.get("features")]


FLOAT32_MAX = 3.4028234663852886e38


@schemathesis.check
def feature_count_refusal_is_true(ctx, response, case):
    """A 422 from a prediction is `feature_count_mismatch` or `feature_out_of_range`, and
    true for what was sent.

    The model's count comes from the live service; the refusal must name it and the count of
    the first row that differs, and point at that row by JSON path.
    """
    if response.status_code != 422 or case.operation.path not in PREDICTION_PATHS:
        return None
    body = _json(response) or {}
    if body.get("error") == "feature_out_of_range":
        values = [v for r in _rows(case) or [] if isinstance(r, list) for v in r]
        if not any(isinstance(v, int | float) and abs(v) > FLOAT32_MAX for v in values):
            raise AssertionError("422 feature_out_of_range although every value fits float32")
        return None
    if body.get("error") in NAMED_CODES:
        return _named_refusal_is_true(case, body)
    if body.get("error") != "feature_count_mismatch":
        raise AssertionError(f"422 with error {body.get('error')!r}, not feature_count_mismatch")
    rows = _rows(case)
    if not rows or not any(isinstance(r, list) for r in rows):
        raise AssertionError("422 feature_count_mismatch for a body without positional rows")
    expected = model_n_features(
        case.path_parameters.get("model_name") if case.path_parameters else None
    )
    bad = next((i for i, r in enumerate(rows) if isinstance(r, list) and len(r) != expected), None)
    if bad is None:
        raise AssertionError(f"422 although every row has the model's {expected} features")
    claim = COUNT_RE.search(str(body.get("detail", "")))
    if claim is None or (int(claim[1]), int(claim[2])) != (expected, len(rows[bad])):
        raise AssertionError(
            f"detail {body.get('detail')!r} does not say: expects {expected}, got {len(rows[bad])}"
        )
    batch = PREDICTION_PATHS[case.operation.path]
    path = f"$.requests[{bad}].features" if batch else "$.features"
    paths = [e.get("path") for e in body.get("errors") or []]
    if paths != [path]:
        raise AssertionError(f"errors name {paths}, expected [{path!r}]")
    return None


NAMED_CODES = {"unknown_input", "missing_input", "invalid_input_type", "input_not_nullable"}
NAMED_PATH = re.compile(r"^\$(?:\.requests\[(\d+)\])?\.features(?:\.(\w+)|\[(.+)\])$")


def _model_inputs(name: str | None) -> dict[str, dict]:
    name = name or _get("/models")["default_model"]
    return {i["name"]: i for i in _get(f"/models/{name}")["inputs"]}


def _named_refusal_is_true(case, body: dict) -> None:
    """A refused named input is named by its path, and the refusal is true of what was sent:
    an unknown name is not the model's, a missing one is absent, a null one is not nullable,
    a mistyped one is not of the input's type."""
    errors = body.get("errors") or []
    found = NAMED_PATH.match(str(errors[0].get("path"))) if errors else None
    if found is None:
        raise AssertionError(f"{body['error']} without a `$.features.<name>` path: {errors}")
    rows = _rows(case) or []
    row = rows[int(found[1] or 0)] if len(rows) > int(found[1] or 0) else None
    name, code = found[2] or ast.literal_eval(found[3]), body["error"]
    inputs = _model_inputs(case.path_parameters.get("model_name") if case.path_parameters else None)
    if not isinstance(row, dict):
        raise AssertionError(f"{code} for a row that is not named features: {row!r}")
    spec = inputs.get(name)
    if code == "unknown_input" and (spec is not None or name not in row):
        raise AssertionError(f"unknown_input for {name!r}, an input the model takes or not sent")
    if code == "missing_input" and (spec is None or name in row):
        raise AssertionError(f"missing_input for {name!r}, which was sent or is not an input")
    if code == "input_not_nullable" and (spec is None or row.get(name, 0) is not None):
        raise AssertionError(f"input_not_nullable for {name!r}, which was not null")
    if code == "invalid_input_type":
        value = row.get(name)
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if spec is None or (spec["type"] == "number" and numeric):
            raise AssertionError(f"invalid_input_type for {name!r} = {value!r}")


@schemathesis.check
class every_operation_succeeds:  # noqa: N801  (the check's name in reports)
    """Every operation answered 2xx at least once: the credentials and the valid data work."""

    def __init__(self) -> None:
        self.tested: set[str] = set()
        self.succeeded: set[str] = set()

    def after_response(self, ctx, response, case) -> None:
        self.tested.add(case.operation.label)
        if 200 <= response.status_code < 300:
            self.succeeded.add(case.operation.label)

    def after_run(self, ctx) -> None:
        never = sorted(self.tested - self.succeeded)
        if never:
            raise AssertionError(f"never answered 2xx: {', '.join(never)}")
