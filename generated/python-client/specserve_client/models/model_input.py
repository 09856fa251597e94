# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

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
        categories (list[bool | float | str] | Unset): The values the model knows. Enforced (`unknown_category`) unless
            `open` is true
            (the model accepts others too).
        open_ (bool | Unset): Whether values outside `categories` are accepted.
        minimum (float | Unset):
        maximum (float | Unset):
        max_length (int | Unset):
        description (str | Unset):
    """

    name: str
    type_: ModelInputType
    nullable: bool
    categories: list[bool | float | str] | Unset = UNSET
    open_: bool | Unset = UNSET
    minimum: float | Unset = UNSET
    maximum: float | Unset = UNSET
    max_length: int | Unset = UNSET
    description: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        type_: str = self.type_

        nullable = self.nullable

        categories: list[bool | float | str] | Unset = UNSET
        if not isinstance(self.categories, Unset):
            categories = []
            for categories_item_data in self.categories:
                categories_item: bool | float | str
                categories_item = categories_item_data
                categories.append(categories_item)

        open_ = self.open_

        minimum = self.minimum

        maximum = self.maximum

        max_length = self.max_length

        description = self.description

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
            categories=categories,
            open_=open_,
            minimum=minimum,
            maximum=maximum,
            max_length=max_length,
            description=description,
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
