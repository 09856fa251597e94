# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.canary_split_type_0 import CanarySplitType0
    from ..models.shadow_version_type_0 import ShadowVersionType0


T = TypeVar("T", bound="ModelRollout")


@_attrs_define
class ModelRollout:
    """Only on the unversioned `GET /models/{model_name}`: the model's shadow and canary
    versions as every worker reads them from the model store (`specserve models shadow`,
    `specserve models canary`), within `SPECSERVE_MODEL_POLL_SECONDS` of a change.

        Attributes:
            shadow (None | ShadowVersionType0): A version that also scores a sampled share of the unversioned routes'
                requests, after
                the serving version has answered; clients only ever see the serving version's answer.
            canary (CanarySplitType0 | None): A version that serves `weight` % of the callers of the unversioned routes, the
                same
                callers while the split stands (chosen by API key id or token subject; a request
                without either is served by the serving version). `model_version` in each answer
                says which version answered.
            problems (list[str]): Why a `shadow` or `canary` file is ignored (not JSON, an unknown version, the
                serving version itself) or its version not used (it failed to load).
    """

    shadow: None | ShadowVersionType0
    canary: CanarySplitType0 | None
    problems: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.canary_split_type_0 import CanarySplitType0  # noqa: PLC0415
        from ..models.shadow_version_type_0 import ShadowVersionType0  # noqa: PLC0415

        shadow: dict[str, Any] | None
        if isinstance(self.shadow, ShadowVersionType0):
            shadow = self.shadow.to_dict()
        else:
            shadow = self.shadow

        canary: dict[str, Any] | None
        if isinstance(self.canary, CanarySplitType0):
            canary = self.canary.to_dict()
        else:
            canary = self.canary

        problems = self.problems

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "shadow": shadow,
                "canary": canary,
                "problems": problems,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.canary_split_type_0 import CanarySplitType0  # noqa: PLC0415
        from ..models.shadow_version_type_0 import ShadowVersionType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_shadow(data: object) -> None | ShadowVersionType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_shadow_version_type_0 = ShadowVersionType0.from_dict(data)

                return componentsschemas_shadow_version_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ShadowVersionType0, data)

        shadow = _parse_shadow(d.pop("shadow"))

        def _parse_canary(data: object) -> CanarySplitType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_canary_split_type_0 = CanarySplitType0.from_dict(data)

                return componentsschemas_canary_split_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CanarySplitType0 | None, data)

        canary = _parse_canary(d.pop("canary"))

        problems = cast(list[str], d.pop("problems"))

        model_rollout = cls(
            shadow=shadow,
            canary=canary,
            problems=problems,
        )

        model_rollout.additional_properties = d
        return model_rollout

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
            ("shadow", self.shadow),
            ("canary", self.canary),
            ("problems", self.problems),
        ]
        parts = [f"{name}={value!r}" for name, value in shown if value is not None]
        parts += [f"{key}={value!r}" for key, value in self.additional_properties.items() if key.isidentifier()]
        return f"{type(self).__name__}({', '.join(parts)})"
