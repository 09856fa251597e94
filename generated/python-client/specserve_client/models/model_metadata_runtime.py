# generated from openapi/openapi.yaml by `make generate` — do not edit
from typing import Literal, cast

ModelMetadataRuntime = Literal["onnx", "sklearn"]

MODEL_METADATA_RUNTIME_VALUES: set[ModelMetadataRuntime] = {
    "onnx",
    "sklearn",
}


def check_model_metadata_runtime(value: str) -> ModelMetadataRuntime:
    """`value` as a ModelMetadataRuntime: one of `MODEL_METADATA_RUNTIME_VALUES`, or a value
    added to the API after this SDK was generated, passed through unchanged."""
    if isinstance(value, str):
        return cast(ModelMetadataRuntime, value)
    raise TypeError(f"Unexpected value {value!r}: expected a str such as one of {MODEL_METADATA_RUNTIME_VALUES!r}")
