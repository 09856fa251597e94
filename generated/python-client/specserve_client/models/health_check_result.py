# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.health_check_result_status import HealthCheckResultStatus, check_health_check_result_status
from ..types import UNSET, Unset

T = TypeVar("T", bound="HealthCheckResult")


@_attrs_define
class HealthCheckResult:
    """
    Attributes:
        status (HealthCheckResultStatus):
        detail (str | Unset): Only for callers with `metrics:read`.
    """

    status: HealthCheckResultStatus
    detail: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status: str = self.status

        detail = self.detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
            }
        )
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = check_health_check_result_status(d.pop("status"))

        detail = d.pop("detail", UNSET)

        health_check_result = cls(
            status=status,
            detail=detail,
        )

        health_check_result.additional_properties = d
        return health_check_result

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
