# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

import datetime
import json as _json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.usage_counts import UsageCounts
    from ..models.usage_day import UsageDay
    from ..models.usage_quota_type_0 import UsageQuotaType0


T = TypeVar("T", bound="Usage")


@_attrs_define
class Usage:
    """The caller's usage and quota.

    Attributes:
        identity (str): `key:<key id>` or `sub:<token subject>`: whose usage this is.
        from_ (datetime.date):
        to (datetime.date):
        quota (None | UsageQuotaType0): The caller's quota in the current period, in units (rows); null when it has
            none.
        totals (UsageCounts): What was charged and how it ended. `requests`: requests admitted; `units`: what they
            cost (rows); `ok`, `client_error`, `server_error`: their answers by class (2xx-3xx,
            4xx, 5xx).
        days (list[UsageDay]): One entry per UTC day and model used, oldest first.
    """

    identity: str
    from_: datetime.date
    to: datetime.date
    quota: None | UsageQuotaType0
    totals: UsageCounts
    days: list[UsageDay]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    request_id: str | None = _attrs_field(init=False, default=None, eq=False)
    """The response's `X-Request-ID`, set by the client (None on a model built by hand)."""

    def to_dict(self) -> dict[str, Any]:
        from ..models.usage_quota_type_0 import UsageQuotaType0  # noqa: PLC0415

        identity = self.identity

        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        quota: dict[str, Any] | None
        if isinstance(self.quota, UsageQuotaType0):
            quota = self.quota.to_dict()
        else:
            quota = self.quota

        totals = self.totals.to_dict()

        days = []
        for days_item_data in self.days:
            days_item = days_item_data.to_dict()
            days.append(days_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "identity": identity,
                "from": from_,
                "to": to,
                "quota": quota,
                "totals": totals,
                "days": days,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.usage_counts import UsageCounts  # noqa: PLC0415
        from ..models.usage_day import UsageDay  # noqa: PLC0415
        from ..models.usage_quota_type_0 import UsageQuotaType0  # noqa: PLC0415

        d = dict(src_dict)
        identity = d.pop("identity")

        from_ = datetime.date.fromisoformat(d.pop("from"))

        to = datetime.date.fromisoformat(d.pop("to"))

        def _parse_quota(data: object) -> None | UsageQuotaType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_usage_quota_type_0 = UsageQuotaType0.from_dict(data)

                return componentsschemas_usage_quota_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UsageQuotaType0, data)

        quota = _parse_quota(d.pop("quota"))

        totals = UsageCounts.from_dict(d.pop("totals"))

        days = []
        _days = d.pop("days")
        for days_item_data in _days:
            days_item = UsageDay.from_dict(days_item_data)

            days.append(days_item)

        usage = cls(
            identity=identity,
            from_=from_,
            to=to,
            quota=quota,
            totals=totals,
            days=days,
        )

        usage.additional_properties = d
        return usage

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
            ("identity", self.identity),
            ("from_", self.from_),
            ("to", self.to),
            ("quota", self.quota),
            ("totals", self.totals),
            ("days", self.days),
            ("request_id", self.request_id),
        ]
        parts = [f"{name}={value!r}" for name, value in shown if value is not None]
        parts += [f"{key}={value!r}" for key, value in self.additional_properties.items() if key.isidentifier()]
        return f"{type(self).__name__}({', '.join(parts)})"
