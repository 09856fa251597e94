# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.prediction_response import PredictionResponse


T = TypeVar("T", bound="BatchPredictionResponse")


@_attrs_define
class BatchPredictionResponse:
    """
    Attributes:
        predictions (list[PredictionResponse]):
        total_processing_time_ms (float): Time spent scoring the whole batch, in milliseconds.
    """

    predictions: list[PredictionResponse]
    total_processing_time_ms: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    request_id: str | None = _attrs_field(init=False, default=None, eq=False)
    """The response's `X-Request-ID`, set by the client (None on a model built by hand)."""

    def to_dict(self) -> dict[str, Any]:
        predictions = []
        for predictions_item_data in self.predictions:
            predictions_item = predictions_item_data.to_dict()
            predictions.append(predictions_item)

        total_processing_time_ms = self.total_processing_time_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "predictions": predictions,
                "total_processing_time_ms": total_processing_time_ms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.prediction_response import PredictionResponse  # noqa: PLC0415

        d = dict(src_dict)
        predictions = []
        _predictions = d.pop("predictions")
        for predictions_item_data in _predictions:
            predictions_item = PredictionResponse.from_dict(predictions_item_data)

            predictions.append(predictions_item)

        total_processing_time_ms = d.pop("total_processing_time_ms")

        batch_prediction_response = cls(
            predictions=predictions,
            total_processing_time_ms=total_processing_time_ms,
        )

        batch_prediction_response.additional_properties = d
        return batch_prediction_response

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
            ("predictions", self.predictions),
            ("total_processing_time_ms", self.total_processing_time_ms),
            ("request_id", self.request_id),
        ]
        parts = [f"{name}={value!r}" for name, value in shown if value is not None]
        parts += [f"{key}={value!r}" for key, value in self.additional_properties.items() if key.isidentifier()]
        return f"{type(self).__name__}({', '.join(parts)})"
