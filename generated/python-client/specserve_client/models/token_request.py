# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TokenRequest")


@_attrs_define
class TokenRequest:
    """Parameters the grant does not use are ignored (RFC 6749 section 3.2).

    Attributes:
        grant_type (str): Must be `client_credentials`. Default: 'client_credentials'. Example: client_credentials.
        scope (str | None): Space-separated scopes, a subset of the key's; default all of them. Example: predict
            models:read.
    """

    grant_type: str = "client_credentials"
    scope: str | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        grant_type = self.grant_type

        _scope = UNSET if self.scope is None else self.scope
        scope = _scope

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "grant_type": grant_type,
            }
        )
        if scope is not UNSET:
            field_dict["scope"] = scope

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        grant_type = d.pop("grant_type")

        scope = d.pop("scope", UNSET)

        token_request = cls(
            grant_type=grant_type,
            scope=None if isinstance(scope, Unset) else scope,
        )

        token_request.additional_properties = d
        return token_request

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
            ("grant_type", self.grant_type),
            ("scope", self.scope),
        ]
        parts = [f"{name}={value!r}" for name, value in shown if value is not None]
        parts += [f"{key}={value!r}" for key, value in self.additional_properties.items() if key.isidentifier()]
        return f"{type(self).__name__}({', '.join(parts)})"
