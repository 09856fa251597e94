# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model_input_type import ModelInputType, check_model_input_type
from ..types import UNSET, Unset

T = TypeVar("T", bound="ModelInput")


@_attrs_define
class ModelInput:
    """
    Attributes:
        name (str):
        type_ (ModelInputType):
        nullable (bool): Whether null (a missing value) is accepted.
        categories (list[bool | float | str] | None): The values the model knows. Enforced (`unknown_category`) unless
            `open` is true
            (the model accepts others too).
        open_ (bool | None): Whether values outside `categories` are accepted.
        minimum (float | None):
        maximum (float | None):
        max_length (int | None):
        description (str | None):
    """

    name: str
    type_: ModelInputType
    nullable: bool
    categories: list[bool | float | str] | None = None
    open_: bool | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    description: str | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        type_: str = self.type_

        nullable = self.nullable

        _categories = UNSET if self.categories is None else self.categories
        categories: list[bool | float | str] | Unset = UNSET
        if not isinstance(_categories, Unset):
            categories = []
            for categories_item_data in _categories:
                categories_item: bool | float | str
                categories_item = categories_item_data
                categories.append(categories_item)

        _open_ = UNSET if self.open_ is None else self.open_
        open_ = _open_

        _minimum = UNSET if self.minimum is None else self.minimum
        minimum = _minimum

        _maximum = UNSET if self.maximum is None else self.maximum
        maximum = _maximum

        _max_length = UNSET if self.max_length is None else self.max_length
        max_length = _max_length

        _description = UNSET if self.description is None else self.description
        description = _description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "type": type_,
                "nullable": nullable,
            }
        )
        if categories is not UNSET:
            field_dict["categories"] = categories
        if open_ is not UNSET:
            field_dict["open"] = open_
        if minimum is not UNSET:
            field_dict["minimum"] = minimum
        if maximum is not UNSET:
            field_dict["maximum"] = maximum
        if max_length is not UNSET:
            field_dict["max_length"] = max_length
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        type_ = check_model_input_type(d.pop("type"))

        nullable = d.pop("nullable")

        _categories = d.pop("categories", UNSET)
        categories: list[bool | float | str] | Unset = UNSET
        if _categories is not UNSET:
            categories = []
            for categories_item_data in _categories:

                def _parse_categories_item(data: object) -> bool | float | str:
                    return cast(bool | float | str, data)

                categories_item = _parse_categories_item(categories_item_data)

                categories.append(categories_item)

        open_ = d.pop("open", UNSET)

        minimum = d.pop("minimum", UNSET)

        maximum = d.pop("maximum", UNSET)

        max_length = d.pop("max_length", UNSET)

        description = d.pop("description", UNSET)

        model_input = cls(
            name=name,
            type_=type_,
            nullable=nullable,
            categories=None if isinstance(categories, Unset) else categories,
            open_=None if isinstance(open_, Unset) else open_,
            minimum=None if isinstance(minimum, Unset) else minimum,
            maximum=None if isinstance(maximum, Unset) else maximum,
            max_length=None if isinstance(max_length, Unset) else max_length,
            description=None if isinstance(description, Unset) else description,
        )

        model_input.additional_properties = d
        return model_input

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
            ("name", self.name),
            ("type_", self.type_),
            ("nullable", self.nullable),
            ("categories", self.categories),
            ("open_", self.open_),
            ("minimum", self.minimum),
            ("maximum", self.maximum),
            ("max_length", self.max_length),
            ("description", self.description),
        ]
        parts = [f"{name}={value!r}" for name, value in shown if value is not None]
        parts += [f"{key}={value!r}" for key, value in self.additional_properties.items() if key.isidentifier()]
        return f"{type(self).__name__}({', '.join(parts)})"
