"""Tag `Inference`: temporary stubs for the plumbing."""

from typing import Any

from connexion.lifecycle import ConnexionResponse

from specserve.http.responses import json_response


async def server_live(request_id: str) -> ConnexionResponse:
    return json_response({"live": True}, request_id)


async def server_ready(request_id: str) -> ConnexionResponse:
    return json_response({"ready": True}, request_id)


async def server_metadata(request_id: str) -> ConnexionResponse:
    return json_response({"name": "specserve", "version": "x", "extensions": []}, request_id)


async def model_metadata(model_name: str, request_id: str) -> ConnexionResponse:
    return json_response({"name": model_name, "platform": "x", "inputs": [], "outputs": []}, request_id)


async def model_version_metadata(model_name: str, version: str, request_id: str) -> ConnexionResponse:
    return json_response({"name": model_name, "platform": "x", "inputs": [], "outputs": []}, request_id)


async def model_ready(model_name: str, request_id: str) -> ConnexionResponse:
    return json_response({"name": model_name, "ready": True}, request_id)


async def model_version_ready(model_name: str, version: str, request_id: str) -> ConnexionResponse:
    return json_response({"name": model_name, "ready": True}, request_id)


async def model_infer(payload: Any, request_id: str, model_name: str, binary_data: Any = None) -> ConnexionResponse:
    out = {"model_name": model_name, "outputs": [], "id": str(len(bytes(binary_data)) if binary_data is not None else -1)}
    return json_response(out, request_id)


async def model_version_infer(payload: Any, request_id: str, model_name: str, version: str, binary_data: Any = None) -> ConnexionResponse:
    return json_response({"model_name": model_name, "outputs": []}, request_id)
