# generated from openapi/openapi.yaml by `make generate` — do not edit
from typing import Literal

ModelMetadataTask = Literal["classification", "regression"]

MODEL_METADATA_TASK_VALUES: set[ModelMetadataTask] = {
    "classification",
    "regression",
}


def check_model_metadata_task(value: str) -> ModelMetadataTask:
    if value in MODEL_METADATA_TASK_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MODEL_METADATA_TASK_VALUES!r}")
