# generated from openapi/openapi.yaml by `make generate` — do not edit
from typing import Literal

HealthStatus = Literal["degraded", "healthy", "unhealthy"]

HEALTH_STATUS_VALUES: set[HealthStatus] = {
    "degraded",
    "healthy",
    "unhealthy",
}


def check_health_status(value: str) -> HealthStatus:
    if value in HEALTH_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {HEALTH_STATUS_VALUES!r}")
