# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.model_summary import ModelSummary


T = TypeVar("T", bound="ModelList")


@_attrs_define
class ModelList:
    """
    Attributes:
        default_model (None | str): The model behind `/predict` and `/batch_predict`; null for a credential limited to
            other models (it learns nothing about models beyond its list).
        models (list[ModelSummary]):
    """

    default_model: None | str
    models: list[ModelSummary]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    request_id: str | None = _attrs_field(init=False, default=None, eq=False)
    """The response's `X-Request-ID`, set by the client (None on a model built by hand)."""

    def to_dict(self) -> dict[str, Any]:
        default_model: None | str
        default_model = self.default_model

        models = []
        for models_item_data in self.models:
            models_item = models_item_data.to_dict()
            models.append(models_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "default_model": default_model,
                "models": models,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_summary import ModelSummary  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_default_model(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        default_model = _parse_default_model(d.pop("default_model"))

        models = []
        _models = d.pop("models")
        for models_item_data in _models:
            models_item = ModelSummary.from_dict(models_item_data)

            models.append(models_item)

        model_list = cls(
            default_model=default_model,
            models=models,
        )

        model_list.additional_properties = d
        return model_list

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
            ("default_model", self.default_model),
            ("models", self.models),
            ("request_id", self.request_id),
        ]
        parts = [f"{name}={value!r}" for name, value in shown if value is not None]
        parts += [f"{key}={value!r}" for key, value in self.additional_properties.items() if key.isidentifier()]
        return f"{type(self).__name__}({', '.join(parts)})"
