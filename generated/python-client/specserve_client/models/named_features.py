# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="NamedFeatures")


@_attrs_define
class NamedFeatures:
    """One value per input name. `null`, or leaving out an input the model marks
    `nullable`, is a missing value. Names the model does not take, a wrong type, a
    category outside the model's set or a value outside its range are refused with 422
    naming the input (`$.features.city`).

    """

    additional_properties: dict[str, bool | float | None | str] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            field_dict[prop_name] = prop

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        named_features = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():

            def _parse_additional_property(data: object) -> bool | float | None | str:
                if data is None:
                    return data
                return cast(bool | float | None | str, data)

            additional_property = _parse_additional_property(prop_dict)

            additional_properties[prop_name] = additional_property

        named_features.additional_properties = additional_properties
        return named_features

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> bool | float | None | str:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: bool | float | None | str) -> None:
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
        shown: list[tuple[str, object]] = []
        parts = [f"{name}={value!r}" for name, value in shown if value is not None]
        parts += [f"{key}={value!r}" for key, value in self.additional_properties.items() if key.isidentifier()]
        return f"{type(self).__name__}({', '.join(parts)})"
