"""Code samples for every operation (curl, the Python SDK, the TypeScript SDK), derived from
the spec's examples and the SDKs' naming rules (Python: the operationId in snake case, the
body's fields as arguments, nested objects as their model classes; TypeScript: the
operationId, path parameters then the body object; labelled JavaScript, which it also is,
as the page offers no TypeScript tab). The prediction operations show both SDKs' one
high-level call instead (`predict(features, model=..., version=...)`, `batch_predict(rows,
...)`; TypeScript `predict(features, { model, version })`, `batchPredict(rows, {...})`), the
example's features as plain rows. `make generate-docs` renders the HTML
reference from a copy of the spec with these as `x-codeSamples`; the spec itself stays as
written. tests/integration/test_snippets.py runs every sample against a service (the
admin operations' with a key of the admin scope, which their samples say they need).

    python scripts/code_samples.py --spec SPEC --out SPEC_WITH_SAMPLES
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
from pathlib import Path
from typing import Any

import yaml

try:  # run as a script (make generate) or imported as scripts.code_samples (tests)
    from spec_operations import METHODS, resolve
except ImportError:
    from scripts.spec_operations import METHODS, resolve

ENV = "# SPECSERVE_BASE_URL and SPECSERVE_API_KEY come from the environment."
ADMIN_SCOPE = "admin"
ADMIN_ENV = (
    "# Needs a key with the admin scope, in SPECSERVE_ADMIN_KEY (specserve keys create --name ops\n"
    "# --scopes admin --quiet); SPECSERVE_BASE_URL comes from the environment."
)


def needs_admin(spec: dict[str, Any], op: dict[str, Any]) -> bool:
    """Only a key with the admin scope may call the operation (its OAuth2 requirement)."""
    return any(
        ADMIN_SCOPE in requirement.get("OAuth2", [])
        for requirement in op.get("security", spec.get("security", []))
    )


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _example_body(spec: dict[str, Any], op: dict[str, Any]) -> tuple[str, Any, dict] | None:
    if "requestBody" not in op:
        return None
    body = resolve(spec, op["requestBody"])
    content_type, media = next(iter(body["content"].items()))
    examples = media.get("examples")
    value = next(iter(examples.values()))["value"] if examples else media.get("example", {})
    return content_type, value, media["schema"]


def _path_params(spec: dict[str, Any], item: dict[str, Any], op: dict[str, Any]) -> dict:
    params = [resolve(spec, p) for p in item.get("parameters", []) + op.get("parameters", [])]
    return {p["name"]: p.get("example") for p in params if p["in"] == "path"}


# The request bodies of the prediction operations -> the high-level call (Python, TypeScript).
PREDICTION_BODIES = {
    "PredictionRequest": ("predict", "predict"),
    "BatchPredictionRequest": ("batch_predict", "batchPredict"),
}


def prediction_call(
    spec: dict[str, Any], item: dict, op: dict
) -> tuple[str, str, Any, dict[str, Any]] | None:
    """For a prediction operation: (Python method, TypeScript method, the features or plain
    rows of its example, the options `model`/`version` its path names); else None."""
    ref = op.get("requestBody", {}).get("$ref", "")
    methods = PREDICTION_BODIES.get(ref.rsplit("/", 1)[-1])
    example = _example_body(spec, op)
    if methods is None or example is None:
        return None
    value = example[1]
    features = (
        [r["features"] for r in value["requests"]] if "requests" in value else value["features"]
    )
    params = _path_params(spec, item, op)
    options = {
        option: params[name]
        for option, name in (("model", "model_name"), ("version", "version"))
        if name in params
    }
    return methods[0], methods[1], features, options


def _py_value(spec: dict[str, Any], schema: dict[str, Any], value: Any, used: set[str]) -> str:
    name = schema["$ref"].rsplit("/", 1)[1] if "$ref" in schema else None
    schema = resolve(spec, schema)
    if isinstance(value, dict) and name:
        used.add(name)
        args = ", ".join(
            f"{k}={_py_value(spec, schema['properties'][k], v, used)}" for k, v in value.items()
        )
        return f"{name}({args})"
    if isinstance(value, list) and "items" in schema:
        return "[" + ", ".join(_py_value(spec, schema["items"], v, used) for v in value) + "]"
    return repr(value)


def python(spec: dict[str, Any], item: dict, op: dict) -> str:
    used: set[str] = set()
    args = [f"{k}={v!r}" for k, v in _path_params(spec, item, op).items()]
    example = _example_body(spec, op)
    method = snake(op["operationId"])
    if prediction := prediction_call(spec, item, op):
        method, _, features, options = prediction
        args = [json.dumps(features), *(f"{k}={json.dumps(v)}" for k, v in options.items())]
    elif example:
        _, value, schema = example
        props = resolve(spec, schema)["properties"]
        args += [f"{k}={_py_value(spec, props[k], v, used)}" for k, v in value.items()]
    imports = ", ".join(sorted(used | {"SpecserveClient"}))
    admin = needs_admin(spec, op)
    return "\n".join(
        [
            *(["import os", ""] if admin else []),
            f"from specserve_client import {imports}",
            "",
            ADMIN_ENV if admin else ENV,
            'with SpecserveClient(api_key=os.environ["SPECSERVE_ADMIN_KEY"]) as api:'
            if admin
            else "with SpecserveClient() as api:",
            f"    result = api.{method}({', '.join(args)})",
            "    print(result)",
        ]
    )


def typescript(spec: dict[str, Any], item: dict, op: dict) -> str:
    args = [json.dumps(v).replace('"', "'") for v in _path_params(spec, item, op).values()]
    example = _example_body(spec, op)
    method = op["operationId"]
    if prediction := prediction_call(spec, item, op):
        _, method, features, options = prediction
        args = [json.dumps(features)]
        if options:
            pairs = ", ".join(f"{k}: '{v}'" for k, v in options.items())
            args.append(f"{{ {pairs} }}")
    elif example:
        args.append(json.dumps(example[1]))
    admin = needs_admin(spec, op)
    return "\n".join(
        [
            "import { SpecserveClient } from 'specserve-client';",
            "",
            (ADMIN_ENV if admin else ENV).replace("#", "//"),
            "const api = new SpecserveClient({ apiKey: process.env.SPECSERVE_ADMIN_KEY });"
            if admin
            else "const api = new SpecserveClient();",
            f"console.log(await api.{method}({', '.join(args)}));",
        ]
    )


def curl(
    spec: dict[str, Any],
    path: str,
    method: str,
    item: dict,
    op: dict,
    base: str = "SPECSERVE_BASE_URL",  # the variable holding the contract's base URL
) -> str:
    for name, value in _path_params(spec, item, op).items():
        path = path.replace(f"{{{name}}}", str(value))
    # --fail-with-body: an error shows its problem document and fails the command
    lines = [f'curl -sS --fail-with-body -X {method.upper()} "${base}{path}"']
    if op.get("security", spec.get("security")) != []:
        key = "SPECSERVE_ADMIN_KEY" if needs_admin(spec, op) else "SPECSERVE_API_KEY"
        lines.append(f'-H "X-API-Key: ${key}"')
    example = _example_body(spec, op)
    if example and example[0] == "application/json":
        data = shlex.quote(json.dumps(example[1]))
        lines += ["-H 'Content-Type: application/json'", f"-d {data}"]
    elif example:
        lines += [f"-d {shlex.quote(f'{k}={v}')}" for k, v in example[1].items()]
    shell = " \\\n  ".join(lines)
    return f"{ADMIN_ENV}\n{shell}" if needs_admin(spec, op) else shell


def sample(lang: str, label: str, source: str) -> dict[str, str]:
    return {"lang": lang, "label": label, "source": source}


def with_samples(spec: dict[str, Any]) -> dict[str, Any]:
    for path, item in spec["paths"].items():
        for method in METHODS:
            if (op := item.get(method)) is not None:
                op["x-codeSamples"] = [
                    sample("curl", "curl", curl(spec, path, method, item, op)),
                    sample("Python", "Python", python(spec, item, op)),
                    sample("JavaScript", "JavaScript", typescript(spec, item, op)),
                ]
    return spec


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    spec = with_samples(yaml.safe_load(args.spec.read_text(encoding="utf-8")))
    args.out.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")


if __name__ == "__main__":
    main()
