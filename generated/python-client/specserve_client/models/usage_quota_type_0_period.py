# generated from openapi/openapi.yaml by `make generate` — do not edit
from typing import Literal, cast

UsageQuotaType0Period = Literal["day", "month"]

USAGE_QUOTA_TYPE_0_PERIOD_VALUES: set[UsageQuotaType0Period] = {
    "day",
    "month",
}


def check_usage_quota_type_0_period(value: str) -> UsageQuotaType0Period:
    """`value` as a UsageQuotaType0Period: one of `USAGE_QUOTA_TYPE_0_PERIOD_VALUES`, or a value
    added to the API after this SDK was generated, passed through unchanged."""
    if isinstance(value, str):
        return cast(UsageQuotaType0Period, value)
    raise TypeError(f"Unexpected value {value!r}: expected a str such as one of {USAGE_QUOTA_TYPE_0_PERIOD_VALUES!r}")
