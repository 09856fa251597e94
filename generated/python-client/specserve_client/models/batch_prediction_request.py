# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.prediction_request import PredictionRequest


T = TypeVar("T", bound="BatchPredictionRequest")


@_attrs_define
class BatchPredictionRequest:
    """
    Attributes:
        requests (list[PredictionRequest]):
    """

    requests: list[PredictionRequest]

    def to_dict(self) -> dict[str, Any]:
        requests = []
        for requests_item_data in self.requests:
            requests_item = requests_item_data.to_dict()
            requests.append(requests_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "requests": requests,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.prediction_request import PredictionRequest  # noqa: PLC0415

        d = dict(src_dict)
        requests = []
        _requests = d.pop("requests")
        for requests_item_data in _requests:
            requests_item = PredictionRequest.from_dict(requests_item_data)

            requests.append(requests_item)

        batch_prediction_request = cls(
            requests=requests,
        )

        return batch_prediction_request
