# generated from openapi/openapi.yaml by `make generate` — do not edit
from typing import Literal, cast

HealthCheckResultStatus = Literal["fail", "pass", "warn"]

HEALTH_CHECK_RESULT_STATUS_VALUES: set[HealthCheckResultStatus] = {
    "fail",
    "pass",
    "warn",
}


def check_health_check_result_status(value: str) -> HealthCheckResultStatus:
    """`value` as a HealthCheckResultStatus: one of `HEALTH_CHECK_RESULT_STATUS_VALUES`, or a value
    added to the API after this SDK was generated, passed through unchanged."""
    if isinstance(value, str):
        return cast(HealthCheckResultStatus, value)
    raise TypeError(f"Unexpected value {value!r}: expected a str such as one of {HEALTH_CHECK_RESULT_STATUS_VALUES!r}")
