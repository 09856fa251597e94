# generated from openapi/openapi.yaml by `make generate` — do not edit
from typing import Literal, cast

ModelStatus = Literal["failed", "ready"]

MODEL_STATUS_VALUES: set[ModelStatus] = {
    "failed",
    "ready",
}


def check_model_status(value: str) -> ModelStatus:
    """`value` as a ModelStatus: one of `MODEL_STATUS_VALUES`, or a value
    added to the API after this SDK was generated, passed through unchanged."""
    if isinstance(value, str):
        return cast(ModelStatus, value)
    raise TypeError(f"Unexpected value {value!r}: expected a str such as one of {MODEL_STATUS_VALUES!r}")
