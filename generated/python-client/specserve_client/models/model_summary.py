# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model_status import ModelStatus, check_model_status

T = TypeVar("T", bound="ModelSummary")


@_attrs_define
class ModelSummary:
    """
    Attributes:
        name (str):
        version (str): The version the unversioned routes serve (the pinned one, else the newest).
        versions (list[str]): Every version found on disk, oldest first.
        status (ModelStatus): `ready`: the model serves; `failed`: its artifact could not be loaded.
        default (bool): Whether `/predict` and `/batch_predict` use this model.
    """

    name: str
    version: str
    versions: list[str]
    status: ModelStatus
    default: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        version = self.version

        versions = self.versions

        status: str = self.status

        default = self.default

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "version": version,
                "versions": versions,
                "status": status,
                "default": default,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        version = d.pop("version")

        versions = cast(list[str], d.pop("versions"))

        status = check_model_status(d.pop("status"))

        default = d.pop("default")

        model_summary = cls(
            name=name,
            version=version,
            versions=versions,
            status=status,
            default=default,
        )

        model_summary.additional_properties = d
        return model_summary

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
            ("version", self.version),
            ("versions", self.versions),
            ("status", self.status),
            ("default", self.default),
        ]
        parts = [f"{name}={value!r}" for name, value in shown if value is not None]
        parts += [f"{key}={value!r}" for key, value in self.additional_properties.items() if key.isidentifier()]
        return f"{type(self).__name__}({', '.join(parts)})"
