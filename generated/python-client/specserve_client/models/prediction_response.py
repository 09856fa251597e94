# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PredictionResponse")


@_attrs_define
class PredictionResponse:
    """
    Attributes:
        prediction (float): Classifiers with numeric labels: the predicted label. Classifiers with string
            labels: the predicted class's index in the model's `classes` (its name is in
            `label`). Regressors: the predicted value. Clusterers: the cluster id, an
            integer. Outlier detectors: 1 (inlier) or -1 (outlier), the model's own `predict`.
        probability (float | None): Probability of the predicted class; null when the model gives none (regressors,
            clusterers, outlier detectors, classifiers without `predict_proba`: a decision
            score is never a probability).
        model_version (str): Version of the model used.
        request_id (str): `metadata.request_id` if given, else the request's `X-Request-ID`.
        processing_time_ms (float): Time spent scoring, in milliseconds.
        label (str | None): Only for classifiers with string labels, the predicted class's name.
        probabilities (list[float] | None): Only with `?probabilities=true`: the probability of each class, in `classes`
            order; null when the model gives none.
        score (float | None): Only with `?scores=true`: an outlier detector's `decision_function` for this row
            (negative for outliers); null for other models.
    """

    prediction: float
    probability: float | None
    model_version: str
    request_id: str
    processing_time_ms: float
    label: str | None = None
    probabilities: list[float] | None = None
    score: float | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The optional properties received as an explicit null (to_dict() sends them back as null).
    _nulls: frozenset[str] = _attrs_field(init=False, factory=frozenset, repr=False, eq=False)

    def to_dict(self) -> dict[str, Any]:
        prediction = self.prediction

        probability: float | None
        probability = self.probability

        model_version = self.model_version

        request_id = self.request_id

        processing_time_ms = self.processing_time_ms

        _label = UNSET if self.label is None else self.label
        label = _label

        _probabilities = (
            UNSET if self.probabilities is None and "probabilities" not in self._nulls else self.probabilities
        )
        probabilities: list[float] | None | Unset
        if isinstance(_probabilities, Unset):
            probabilities = UNSET
        elif isinstance(_probabilities, list):
            probabilities = _probabilities

        else:
            probabilities = _probabilities

        _score = UNSET if self.score is None and "score" not in self._nulls else self.score
        score: float | None | Unset
        if isinstance(_score, Unset):
            score = UNSET
        else:
            score = _score

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "prediction": prediction,
                "probability": probability,
                "model_version": model_version,
                "request_id": request_id,
                "processing_time_ms": processing_time_ms,
            }
        )
        if label is not UNSET:
            field_dict["label"] = label
        if probabilities is not UNSET:
            field_dict["probabilities"] = probabilities
        if score is not UNSET:
            field_dict["score"] = score

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prediction = d.pop("prediction")

        def _parse_probability(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        probability = _parse_probability(d.pop("probability"))

        model_version = d.pop("model_version")

        request_id = d.pop("request_id")

        processing_time_ms = d.pop("processing_time_ms")

        label = d.pop("label", UNSET)

        def _parse_probabilities(data: object) -> list[float] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                probabilities_type_0 = cast(list[float], data)

                return probabilities_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[float] | None | Unset, data)

        probabilities = _parse_probabilities(d.pop("probabilities", UNSET))

        def _parse_score(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        score = _parse_score(d.pop("score", UNSET))

        prediction_response = cls(
            prediction=prediction,
            probability=probability,
            model_version=model_version,
            request_id=request_id,
            processing_time_ms=processing_time_ms,
            label=None if isinstance(label, Unset) else label,
            probabilities=None if isinstance(probabilities, Unset) else probabilities,
            score=None if isinstance(score, Unset) else score,
        )
        prediction_response._nulls = frozenset(
            k
            for k in (
                "probabilities",
                "score",
            )
            if k in src_dict and src_dict[k] is None
        )

        prediction_response.additional_properties = d
        return prediction_response

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
            ("prediction", self.prediction),
            ("probability", self.probability),
            ("model_version", self.model_version),
            ("request_id", self.request_id),
            ("processing_time_ms", self.processing_time_ms),
            ("label", self.label),
            ("probabilities", self.probabilities),
            ("score", self.score),
        ]
        parts = [f"{name}={value!r}" for name, value in shown if value is not None]
        parts += [f"{key}={value!r}" for key, value in self.additional_properties.items() if key.isidentifier()]
        return f"{type(self).__name__}({', '.join(parts)})"
