# generated from openapi/openapi.yaml by `make generate` — do not edit
from typing import Literal

ModelStatus = Literal["failed", "ready"]

MODEL_STATUS_VALUES: set[ModelStatus] = {
    "failed",
    "ready",
}


def check_model_status(value: str) -> ModelStatus:
    if value in MODEL_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MODEL_STATUS_VALUES!r}")
