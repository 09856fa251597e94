# generated from openapi/openapi.yaml by `make generate` — do not edit
from typing import Literal

ModelMetadataRuntime = Literal["onnx", "sklearn"]

MODEL_METADATA_RUNTIME_VALUES: set[ModelMetadataRuntime] = {
    "onnx",
    "sklearn",
}


def check_model_metadata_runtime(value: str) -> ModelMetadataRuntime:
    if value in MODEL_METADATA_RUNTIME_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MODEL_METADATA_RUNTIME_VALUES!r}")
