# generated from openapi/openapi.yaml by `make generate` — do not edit
from typing import Literal, cast

HealthStatus = Literal["degraded", "healthy", "unhealthy"]

HEALTH_STATUS_VALUES: set[HealthStatus] = {
    "degraded",
    "healthy",
    "unhealthy",
}


def check_health_status(value: str) -> HealthStatus:
    """`value` as a HealthStatus: one of `HEALTH_STATUS_VALUES`, or a value
    added to the API after this SDK was generated, passed through unchanged."""
    if isinstance(value, str):
        return cast(HealthStatus, value)
    raise TypeError(f"Unexpected value {value!r}: expected a str such as one of {HEALTH_STATUS_VALUES!r}")
