# generated from openapi/openapi.yaml by `make generate` — do not edit
from typing import Literal, cast

ModelMetadataTask = Literal["classification", "clustering", "outlier_detection", "regression"]

MODEL_METADATA_TASK_VALUES: set[ModelMetadataTask] = {
    "classification",
    "clustering",
    "outlier_detection",
    "regression",
}


def check_model_metadata_task(value: str) -> ModelMetadataTask:
    """`value` as a ModelMetadataTask: one of `MODEL_METADATA_TASK_VALUES`, or a value
    added to the API after this SDK was generated, passed through unchanged."""
    if isinstance(value, str):
        return cast(ModelMetadataTask, value)
    raise TypeError(f"Unexpected value {value!r}: expected a str such as one of {MODEL_METADATA_TASK_VALUES!r}")
