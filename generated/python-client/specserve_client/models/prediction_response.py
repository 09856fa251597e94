# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="PredictionResponse")


@_attrs_define
class PredictionResponse:
    """
    Attributes:
        prediction (float): The predicted class label.
        probability (float): Probability of the predicted class.
        model_version (str): Version of the model used.
        request_id (str): `metadata.request_id` if given, else the request's `X-Request-ID`.
        processing_time_ms (float): Time spent scoring, in milliseconds.
    """

    prediction: float
    probability: float
    model_version: str
    request_id: str
    processing_time_ms: float

    def to_dict(self) -> dict[str, Any]:
        prediction = self.prediction

        probability = self.probability

        model_version = self.model_version

        request_id = self.request_id

        processing_time_ms = self.processing_time_ms

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "prediction": prediction,
                "probability": probability,
                "model_version": model_version,
                "request_id": request_id,
                "processing_time_ms": processing_time_ms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prediction = d.pop("prediction")

        probability = d.pop("probability")

        model_version = d.pop("model_version")

        request_id = d.pop("request_id")

        processing_time_ms = d.pop("processing_time_ms")

        prediction_response = cls(
            prediction=prediction,
            probability=probability,
            model_version=model_version,
            request_id=request_id,
            processing_time_ms=processing_time_ms,
        )

        return prediction_response
