# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ParityType0")


@_attrs_define
class ParityType0:
    """The parity gate of the ONNX conversion (`specserve models add`): on probe rows
    spanning the training range and beyond, labels identical to scikit-learn's `predict`;
    probabilities within 1e-4; regression values within `1e-5 × |value| + atol`, where
    `atol` is 1e-5 of the spread (largest minus smallest) of the model's own predictions
    on the probe rows (at least 1e-8), so float32 rounding of values near zero is judged
    against the size of the model's answers; `specserve models add --value-tolerance X`
    sets `atol` instead. A conversion that fails, does not load in ONNX Runtime or fails
    the gate leaves the version on scikit-learn, the reason in `reason`. Null when the
    version was never converted (clusterers and outlier detectors are not).

        Attributes:
            passed (bool):
            probe_rows (int):
            label_mismatches (int):
            max_abs_diff (float | None): Largest absolute difference of a probability (or value) from scikit-learn's.
            strategy (None | str): The conversion that passed: `float32`, `double`, or `float64-scaler` (preprocessing
                kept in float64) for a model of numbers; `columns` (one graph input per named
                input), `text-unicode` or `text` for a model with string inputs.
            reason (None | str): Why no conversion passed (the model then serves with scikit-learn).
            converter (str): Converter and runtime versions, e.g. `skl2onnx 1.20.0, onnxruntime 1.31.1`.
    """

    passed: bool
    probe_rows: int
    label_mismatches: int
    max_abs_diff: float | None
    strategy: None | str
    reason: None | str
    converter: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        passed = self.passed

        probe_rows = self.probe_rows

        label_mismatches = self.label_mismatches

        max_abs_diff: float | None
        max_abs_diff = self.max_abs_diff

        strategy: None | str
        strategy = self.strategy

        reason: None | str
        reason = self.reason

        converter = self.converter

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "passed": passed,
                "probe_rows": probe_rows,
                "label_mismatches": label_mismatches,
                "max_abs_diff": max_abs_diff,
                "strategy": strategy,
                "reason": reason,
                "converter": converter,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        passed = d.pop("passed")

        probe_rows = d.pop("probe_rows")

        label_mismatches = d.pop("label_mismatches")

        def _parse_max_abs_diff(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        max_abs_diff = _parse_max_abs_diff(d.pop("max_abs_diff"))

        def _parse_strategy(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        strategy = _parse_strategy(d.pop("strategy"))

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        converter = d.pop("converter")

        parity_type_0 = cls(
            passed=passed,
            probe_rows=probe_rows,
            label_mismatches=label_mismatches,
            max_abs_diff=max_abs_diff,
            strategy=strategy,
            reason=reason,
            converter=converter,
        )

        parity_type_0.additional_properties = d
        return parity_type_0

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
            ("passed", self.passed),
            ("probe_rows", self.probe_rows),
            ("label_mismatches", self.label_mismatches),
            ("max_abs_diff", self.max_abs_diff),
            ("strategy", self.strategy),
            ("reason", self.reason),
            ("converter", self.converter),
        ]
        parts = [f"{name}={value!r}" for name, value in shown if value is not None]
        parts += [f"{key}={value!r}" for key, value in self.additional_properties.items() if key.isidentifier()]
        return f"{type(self).__name__}({', '.join(parts)})"
