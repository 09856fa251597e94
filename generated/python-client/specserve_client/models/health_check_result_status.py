# generated from openapi/openapi.yaml by `make generate` — do not edit
from typing import Literal

HealthCheckResultStatus = Literal["fail", "pass", "warn"]

HEALTH_CHECK_RESULT_STATUS_VALUES: set[HealthCheckResultStatus] = {
    "fail",
    "pass",
    "warn",
}


def check_health_check_result_status(value: str) -> HealthCheckResultStatus:
    if value in HEALTH_CHECK_RESULT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {HEALTH_CHECK_RESULT_STATUS_VALUES!r}")
