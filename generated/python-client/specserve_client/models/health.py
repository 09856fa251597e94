# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.health_status import HealthStatus, check_health_status

if TYPE_CHECKING:
    from ..models.health_checks import HealthChecks


T = TypeVar("T", bound="Health")


@_attrs_define
class Health:
    """
    Attributes:
        status (HealthStatus):
        uptime_seconds (float):
        model_loaded (bool): Whether the default model is loaded.
        model_version (None | str): Version of the default model, null when it is not loaded.
        checks (HealthChecks): One entry per check (`model:<name>`, `threads`, ...).
    """

    status: HealthStatus
    uptime_seconds: float
    model_loaded: bool
    model_version: None | str
    checks: HealthChecks
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    request_id: str | None = _attrs_field(init=False, default=None, eq=False)
    """The response's `X-Request-ID`, set by the client (None on a model built by hand)."""

    def to_dict(self) -> dict[str, Any]:
        status: str = self.status

        uptime_seconds = self.uptime_seconds

        model_loaded = self.model_loaded

        model_version: None | str
        model_version = self.model_version

        checks = self.checks.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "uptime_seconds": uptime_seconds,
                "model_loaded": model_loaded,
                "model_version": model_version,
                "checks": checks,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.health_checks import HealthChecks  # noqa: PLC0415

        d = dict(src_dict)
        status = check_health_status(d.pop("status"))

        uptime_seconds = d.pop("uptime_seconds")

        model_loaded = d.pop("model_loaded")

        def _parse_model_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        model_version = _parse_model_version(d.pop("model_version"))

        checks = HealthChecks.from_dict(d.pop("checks"))

        health = cls(
            status=status,
            uptime_seconds=uptime_seconds,
            model_loaded=model_loaded,
            model_version=model_version,
            checks=checks,
        )

        health.additional_properties = d
        return health

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
            ("status", self.status),
            ("uptime_seconds", self.uptime_seconds),
            ("model_loaded", self.model_loaded),
            ("model_version", self.model_version),
            ("checks", self.checks),
            ("request_id", self.request_id),
        ]
        parts = [f"{name}={value!r}" for name, value in shown if value is not None]
        parts += [f"{key}={value!r}" for key, value in self.additional_properties.items() if key.isidentifier()]
        return f"{type(self).__name__}({', '.join(parts)})"
