# generated from openapi/openapi.yaml by `make generate` — do not edit
from typing import Literal, cast

TokenResponseTokenType = Literal["Bearer"]

TOKEN_RESPONSE_TOKEN_TYPE_VALUES: set[TokenResponseTokenType] = {
    "Bearer",
}


def check_token_response_token_type(value: str) -> TokenResponseTokenType:
    """`value` as a TokenResponseTokenType: one of `TOKEN_RESPONSE_TOKEN_TYPE_VALUES`, or a value
    added to the API after this SDK was generated, passed through unchanged."""
    if isinstance(value, str):
        return cast(TokenResponseTokenType, value)
    raise TypeError(f"Unexpected value {value!r}: expected a str such as one of {TOKEN_RESPONSE_TOKEN_TYPE_VALUES!r}")
