# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

import datetime
import json as _json
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.usage_quota_type_0_period import UsageQuotaType0Period, check_usage_quota_type_0_period

T = TypeVar("T", bound="UsageQuotaType0")


@_attrs_define
class UsageQuotaType0:
    """The caller's quota in the current period, in units (rows); null when it has none.

    Attributes:
        limit (int):
        period (UsageQuotaType0Period):
        used (int):
        remaining (int):
        resets_at (datetime.datetime): When the period ends (midnight UTC).
    """

    limit: int
    period: UsageQuotaType0Period
    used: int
    remaining: int
    resets_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        limit = self.limit

        period: str = self.period

        used = self.used

        remaining = self.remaining

        resets_at = self.resets_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "limit": limit,
                "period": period,
                "used": used,
                "remaining": remaining,
                "resets_at": resets_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        limit = d.pop("limit")

        period = check_usage_quota_type_0_period(d.pop("period"))

        used = d.pop("used")

        remaining = d.pop("remaining")

        resets_at = datetime.datetime.fromisoformat(d.pop("resets_at"))

        usage_quota_type_0 = cls(
            limit=limit,
            period=period,
            used=used,
            remaining=remaining,
            resets_at=resets_at,
        )

        usage_quota_type_0.additional_properties = d
        return usage_quota_type_0

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

    def to_json(self, *, indent: int | None = 2) -> str:
        """`to_dict()` as JSON text."""
        return _json.dumps(self.to_dict(), indent=indent, default=str)

    def __repr__(self) -> str:
        """The fields that hold a value (absent ones, None, left out), then any unknown ones."""
        shown: list[tuple[str, object]] = [
            ("limit", self.limit),
            ("period", self.period),
            ("used", self.used),
            ("remaining", self.remaining),
            ("resets_at", self.resets_at),
        ]
        parts = [f"{name}={value!r}" for name, value in shown if value is not None]
        parts += [f"{key}={value!r}" for key, value in self.additional_properties.items() if key.isidentifier()]
        return f"{type(self).__name__}({', '.join(parts)})"
