# generated from openapi/openapi.yaml by `make generate` — do not edit
from typing import Literal, cast

ModelInputType = Literal["boolean", "integer", "number", "string"]

MODEL_INPUT_TYPE_VALUES: set[ModelInputType] = {
    "boolean",
    "integer",
    "number",
    "string",
}


def check_model_input_type(value: str) -> ModelInputType:
    """`value` as a ModelInputType: one of `MODEL_INPUT_TYPE_VALUES`, or a value
    added to the API after this SDK was generated, passed through unchanged."""
    if isinstance(value, str):
        return cast(ModelInputType, value)
    raise TypeError(f"Unexpected value {value!r}: expected a str such as one of {MODEL_INPUT_TYPE_VALUES!r}")
