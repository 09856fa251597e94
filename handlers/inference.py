"""Tag `Inference`: the Open Inference Protocol (`/v2`, openapi/inference-v2.yaml), as
`tritonclient`, the KServe SDK and MLServer's clients speak it.

Each handler is one call of the data plane; the path names the model (and the version).
`binary_data` is what follows the JSON header of a binary-tensor request (None for plain
JSON), split off by the HTTP layer. An infer whose outputs are all JSON answers
`application/json`; one with binary outputs answers the JSON then the binary tail, its
JSON's length in `Inference-Header-Content-Length`.
"""

from importlib.metadata import version as package_version
from typing import Any

import orjson
from connexion.lifecycle import ConnexionResponse

from specserve import spec
from specserve.http.responses import json_response
from specserve.serving.caller import Caller
from specserve.serving.dataplane import DataPlane

Payload = dict[str, Any]
MAX_ROWS = spec.load(spec.INFERENCE_SPEC_PATH).by_id("modelInfer").max_items  # its cost's maximum


async def server_live(request_id: str) -> ConnexionResponse:
    return json_response({"live": True}, request_id)


async def server_ready(data_plane: DataPlane, request_id: str) -> ConnexionResponse:
    """Ready when the default model serves (as `/v1/health` reports it)."""
    _, default = data_plane.model_checks()
    ready = default is not None and default.ready
    return json_response({"ready": ready}, request_id, 200 if ready else 503)


async def server_metadata(request_id: str) -> ConnexionResponse:
    body = {
        "name": "specserve",
        "version": package_version("specserve"),
        "extensions": ["binary_tensor_data"],
    }
    return json_response(body, request_id)


async def model_metadata(
    data_plane: DataPlane, model_name: str, request_id: str
) -> ConnexionResponse:
    return json_response(await data_plane.tensor_metadata(model_name), request_id)


async def model_version_metadata(
    data_plane: DataPlane, model_name: str, version: str, request_id: str
) -> ConnexionResponse:
    return json_response(await data_plane.tensor_metadata(model_name, version), request_id)


async def model_ready(data_plane: DataPlane, model_name: str, request_id: str) -> ConnexionResponse:
    return json_response(await data_plane.model_ready(model_name), request_id)


async def model_version_ready(
    data_plane: DataPlane, model_name: str, version: str, request_id: str
) -> ConnexionResponse:
    return json_response(await data_plane.model_ready(model_name, version), request_id)


async def model_infer(
    data_plane: DataPlane,
    payload: Payload,
    request_id: str,
    model_name: str,
    binary_data: bytes | None = None,
    caller: Caller | None = None,
) -> ConnexionResponse:
    body, tail = await data_plane.infer(
        payload, request_id, binary_data, caller, name=model_name, max_rows=MAX_ROWS
    )
    return infer_response(body, tail, request_id)


async def model_version_infer(
    data_plane: DataPlane,
    payload: Payload,
    request_id: str,
    model_name: str,
    version: str,
    binary_data: bytes | None = None,
    caller: Caller | None = None,
) -> ConnexionResponse:
    body, tail = await data_plane.infer(
        payload,
        request_id,
        binary_data,
        caller,
        name=model_name,
        version=version,
        max_rows=MAX_ROWS,
    )
    return infer_response(body, tail, request_id)


def infer_response(body: Payload, tail: bytes, request_id: str) -> ConnexionResponse:
    """JSON alone, or JSON then the binary outputs (any output binary: a tail, maybe empty)."""
    if not any("binary_data_size" in o.get("parameters", {}) for o in body["outputs"]):
        return json_response(body, request_id)
    header = orjson.dumps(body)
    return ConnexionResponse(
        status_code=200,
        body=header + tail,
        content_type="application/octet-stream",
        headers={"X-Request-ID": request_id, "Inference-Header-Content-Length": str(len(header))},
    )
