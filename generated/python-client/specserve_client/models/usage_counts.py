# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UsageCounts")


@_attrs_define
class UsageCounts:
    """What was charged and how it ended. `requests`: requests admitted; `units`: what they
    cost (rows); `ok`, `client_error`, `server_error`: their answers by class (2xx-3xx,
    4xx, 5xx).

        Attributes:
            requests (int):
            units (int):
            ok (int):
            client_error (int):
            server_error (int):
    """

    requests: int
    units: int
    ok: int
    client_error: int
    server_error: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        requests = self.requests

        units = self.units

        ok = self.ok

        client_error = self.client_error

        server_error = self.server_error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "requests": requests,
                "units": units,
                "ok": ok,
                "client_error": client_error,
                "server_error": server_error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        requests = d.pop("requests")

        units = d.pop("units")

        ok = d.pop("ok")

        client_error = d.pop("client_error")

        server_error = d.pop("server_error")

        usage_counts = cls(
            requests=requests,
            units=units,
            ok=ok,
            client_error=client_error,
            server_error=server_error,
        )

        usage_counts.additional_properties = d
        return usage_counts

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
            ("requests", self.requests),
            ("units", self.units),
            ("ok", self.ok),
            ("client_error", self.client_error),
            ("server_error", self.server_error),
        ]
        parts = [f"{name}={value!r}" for name, value in shown if value is not None]
        parts += [f"{key}={value!r}" for key, value in self.additional_properties.items() if key.isidentifier()]
        return f"{type(self).__name__}({', '.join(parts)})"
