"""Code samples for the Open Inference Protocol's operations (openapi/inference-v2.yaml):
curl, and Python with `tritonclient.http`, the protocol's own client (the SDKs do not wrap
`/v2`). The path parameters and the infer body come from the spec's examples; tritonclient's
method for each operation is named here, as its names follow the client, not the spec.
`make generate-docs` renders docs/inference-v2.html (/v2/docs) from a copy of the spec with
these as `x-codeSamples`, as scripts/code_samples.py does for the service's own API.

    python scripts/inference_samples.py --spec SPEC --out SPEC_WITH_SAMPLES
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import yaml

try:  # run as a script (make generate) or imported as scripts.inference_samples (tests)
    from code_samples import _example_body, _path_params, curl
    from spec_operations import METHODS
except ImportError:
    from scripts.code_samples import _example_body, _path_params, curl
    from scripts.spec_operations import METHODS

BASE_URL = "SPECSERVE_V2_URL"  # the protocol's base URL, as SPECSERVE_BASE_URL is /v1's
ENV = f"# {BASE_URL} (http://127.0.0.1:8000/v2) and SPECSERVE_API_KEY come from the environment."
# tritonclient's call for each operation: the method, then its arguments (path parameters)
CALLS = {
    "serverLive": ("is_server_live", ()),
    "serverReady": ("is_server_ready", ()),
    "serverMetadata": ("get_server_metadata", ()),
    "modelMetadata": ("get_model_metadata", ("model_name",)),
    "modelVersionMetadata": ("get_model_metadata", ("model_name", "version")),
    "modelReady": ("is_model_ready", ("model_name",)),
    "modelVersionReady": ("is_model_ready", ("model_name", "version")),
    "modelInfer": ("infer", ("model_name",)),
    "modelVersionInfer": ("infer", ("model_name", "version")),
}
NUMPY = {
    "BOOL": "bool_",
    "UINT8": "uint8",
    "UINT16": "uint16",
    "UINT32": "uint32",
    "UINT64": "uint64",
    "INT8": "int8",
    "INT16": "int16",
    "INT32": "int32",
    "INT64": "int64",
    "FP16": "float16",
    "FP32": "float32",
    "FP64": "float64",
    "BYTES": "object_",
}
HOST = "127.0.0.1:8000"  # `make serve`'s address; tritonclient adds /v2 itself


def _opening(infer: bool) -> list[str]:
    imports = "InferenceServerClient, InferInput" if infer else "InferenceServerClient"
    return [
        "import os",
        "",
        *(["import numpy as np"] if infer else []),
        f"from tritonclient.http import {imports}",
        "",
        f"client = InferenceServerClient({json.dumps(HOST)})",
        'headers = {"X-API-Key": os.environ["SPECSERVE_API_KEY"]}',
    ]


def _tensor(name: str, tensor: dict[str, Any]) -> list[str]:
    shape = ", ".join(map(str, tensor["shape"]))
    dtype = NUMPY[tensor["datatype"]]
    return [
        f"{name} = InferInput({json.dumps(tensor['name'])}, [{shape}], "
        f"{json.dumps(tensor['datatype'])})",
        f"{name}.set_data_from_numpy(np.array({json.dumps(tensor['data'])}, "
        f"dtype=np.{dtype}).reshape({shape}))",
    ]


def python(op: dict[str, Any], params: dict[str, Any], body: dict[str, Any] | None) -> str:
    """tritonclient's call for the operation, the key in `headers`; infer: the example body's
    inputs as numpy arrays, and the `predict` output printed."""
    method, names = CALLS[op["operationId"]]
    args = [json.dumps(params[names[0]])] if names else []
    version = [f"model_version={json.dumps(params[names[1]])}"] if len(names) > 1 else []
    if method != "infer":
        call = ", ".join([*args, *version, "headers=headers"])
        return "\n".join([*_opening(False), f"print(client.{method}({call}))"])
    assert body is not None, f"{op['operationId']}: an infer without an example body"
    inputs = body["inputs"]
    names_ = ["x"] if len(inputs) == 1 else [f"x{i}" for i in range(len(inputs))]
    lines = [line for name, t in zip(names_, inputs, strict=True) for line in _tensor(name, t)]
    call = ", ".join([*args, f"[{', '.join(names_)}]", *version, "headers=headers"])
    return "\n".join(
        [
            *_opening(True),
            *lines,
            f"result = client.infer({call})",
            'print(result.as_numpy("predict"))',
        ]
    )


def with_samples(spec: dict[str, Any]) -> dict[str, Any]:
    for path, item in spec["paths"].items():
        for method in METHODS:
            if (op := item.get(method)) is None:
                continue
            example = _example_body(spec, op)
            params = _path_params(spec, item, op)
            shell = curl(spec, path, method, item, op, base=BASE_URL)
            op["x-codeSamples"] = [
                {"lang": "curl", "label": "curl", "source": f"{ENV}\n{shell}"},
                {  # the page shows no sample under a label it does not know as a language
                    "lang": "Python",
                    "label": "Python",
                    "source": python(op, params, example[1] if example else None),
                },
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
