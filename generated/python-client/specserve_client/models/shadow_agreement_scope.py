# generated from openapi/openapi.yaml by `make generate` — do not edit
from typing import Literal, cast

ShadowAgreementScope = Literal["instance", "service"]

SHADOW_AGREEMENT_SCOPE_VALUES: set[ShadowAgreementScope] = {
    "instance",
    "service",
}


def check_shadow_agreement_scope(value: str) -> ShadowAgreementScope:
    """`value` as a ShadowAgreementScope: one of `SHADOW_AGREEMENT_SCOPE_VALUES`, or a value
    added to the API after this SDK was generated, passed through unchanged."""
    if isinstance(value, str):
        return cast(ShadowAgreementScope, value)
    raise TypeError(f"Unexpected value {value!r}: expected a str such as one of {SHADOW_AGREEMENT_SCOPE_VALUES!r}")
