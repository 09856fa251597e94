# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.shadow_agreement import ShadowAgreement


T = TypeVar("T", bound="ShadowVersionType0")


@_attrs_define
class ShadowVersionType0:
    """A version that also scores a sampled share of the unversioned routes' requests, after
    the serving version has answered; clients only ever see the serving version's answer.

        Attributes:
            version (str):
            sample (float): The share of requests it scores too.
            agreement (ShadowAgreement): How the shadow version's answers compare with those the clients got. With
                `SPECSERVE_REDIS_URL` set, added up over every worker of every instance for the shadow
                as set (setting it again counts afresh; `scope: service`): each worker writes its
                counts there once a second, so they lag by up to a second (the worker answering
                includes all of its own), and a worker that crashes loses at most its last second of
                them. Without Redis, or while it does not answer, over the workers of this instance
                since each started, for every setting of that version: the counts of the
                `specserve_shadow_*` metrics (`scope: instance`). A classifier's (clusterer's,
                outlier detector's) row agrees when the labels are equal; a regressor's when
                |answered - shadow| is at most 1e-6, the default `--tolerance` of `specserve
                predictions replay`.
    """

    version: str
    sample: float
    agreement: ShadowAgreement
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        sample = self.sample

        agreement = self.agreement.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "version": version,
                "sample": sample,
                "agreement": agreement,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.shadow_agreement import ShadowAgreement  # noqa: PLC0415

        d = dict(src_dict)
        version = d.pop("version")

        sample = d.pop("sample")

        agreement = ShadowAgreement.from_dict(d.pop("agreement"))

        shadow_version_type_0 = cls(
            version=version,
            sample=sample,
            agreement=agreement,
        )

        shadow_version_type_0.additional_properties = d
        return shadow_version_type_0

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
            ("version", self.version),
            ("sample", self.sample),
            ("agreement", self.agreement),
        ]
        parts = [f"{name}={value!r}" for name, value in shown if value is not None]
        parts += [f"{key}={value!r}" for key, value in self.additional_properties.items() if key.isidentifier()]
        return f"{type(self).__name__}({', '.join(parts)})"
