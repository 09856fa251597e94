# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.named_features import NamedFeatures
    from ..models.prediction_metadata import PredictionMetadata


T = TypeVar("T", bound="PredictionRequest")


@_attrs_define
class PredictionRequest:
    """One row of features to score.

    Attributes:
        features (list[float] | NamedFeatures): The row to score, in either form: a list of finite numbers in the
            model's input
            order (`[52000, 9000, 41]`), or an object keyed by input name
            (`{"income": 52000, "city": "lyon", "age": null}`), which a model with string
            inputs requires. `GET /models/{model_name}` lists a model's `inputs` (names,
            types, categories, which may be null) and their JSON Schema (`input_schema`).
        metadata (None | PredictionMetadata): Optional client metadata; `request_id` is echoed in the response.
    """

    features: list[float] | NamedFeatures
    metadata: None | PredictionMetadata = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The optional properties received as an explicit null (to_dict() sends them back as null).
    _nulls: frozenset[str] = _attrs_field(init=False, factory=frozenset, repr=False, eq=False)

    def to_dict(self) -> dict[str, Any]:
        from ..models.prediction_metadata import PredictionMetadata  # noqa: PLC0415

        features: dict[str, Any] | list[float]
        if isinstance(self.features, list):
            features = self.features

        else:
            features = self.features.to_dict()

        _metadata = UNSET if self.metadata is None and "metadata" not in self._nulls else self.metadata
        metadata: dict[str, Any] | None | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        elif isinstance(_metadata, PredictionMetadata):
            metadata = _metadata.to_dict()
        else:
            metadata = _metadata

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "features": features,
            }
        )
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.named_features import NamedFeatures  # noqa: PLC0415
        from ..models.prediction_metadata import PredictionMetadata  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_features(data: object) -> list[float] | NamedFeatures:
            try:
                if not isinstance(data, list):
                    raise TypeError()
                features_type_0 = cast(list[float], data)

                return features_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            features_type_1 = NamedFeatures.from_dict(data)

            return features_type_1

        features = _parse_features(d.pop("features"))

        def _parse_metadata(data: object) -> None | PredictionMetadata | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_prediction_metadata_type_0 = PredictionMetadata.from_dict(data)

                return componentsschemas_prediction_metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PredictionMetadata | Unset, data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))

        prediction_request = cls(
            features=features,
            metadata=None if isinstance(metadata, Unset) else metadata,
        )
        prediction_request._nulls = frozenset(k for k in ("metadata",) if k in src_dict and src_dict[k] is None)

        prediction_request.additional_properties = d
        return prediction_request

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
            ("features", self.features),
            ("metadata", self.metadata),
        ]
        parts = [f"{name}={value!r}" for name, value in shown if value is not None]
        parts += [f"{key}={value!r}" for key, value in self.additional_properties.items() if key.isidentifier()]
        return f"{type(self).__name__}({', '.join(parts)})"
