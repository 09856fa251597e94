# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.open_api_document_info import OpenApiDocumentInfo
    from ..models.open_api_document_paths import OpenApiDocumentPaths


T = TypeVar("T", bound="OpenApiDocument")


@_attrs_define
class OpenApiDocument:
    """An OpenAPI 3.0 document (`openapi`, `info`, `paths`, `components`).

    Example:
        {'openapi': '3.0.3', 'info': {'title': 'fraud-detector 1.0.0', 'version': '1.2.0'}, 'paths': {'/models/fraud-
            detector/predict': {}}}

    Attributes:
        openapi (str):
        info (OpenApiDocumentInfo):
        paths (OpenApiDocumentPaths):
    """

    openapi: str
    info: OpenApiDocumentInfo
    paths: OpenApiDocumentPaths
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    request_id: str | None = _attrs_field(init=False, default=None, eq=False)
    """The response's `X-Request-ID`, set by the client (None on a model built by hand)."""

    def to_dict(self) -> dict[str, Any]:
        openapi = self.openapi

        info = self.info.to_dict()

        paths = self.paths.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "openapi": openapi,
                "info": info,
                "paths": paths,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.open_api_document_info import OpenApiDocumentInfo  # noqa: PLC0415
        from ..models.open_api_document_paths import OpenApiDocumentPaths  # noqa: PLC0415

        d = dict(src_dict)
        openapi = d.pop("openapi")

        info = OpenApiDocumentInfo.from_dict(d.pop("info"))

        paths = OpenApiDocumentPaths.from_dict(d.pop("paths"))

        open_api_document = cls(
            openapi=openapi,
            info=info,
            paths=paths,
        )

        open_api_document.additional_properties = d
        return open_api_document

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
            ("openapi", self.openapi),
            ("info", self.info),
            ("paths", self.paths),
            ("request_id", self.request_id),
        ]
        parts = [f"{name}={value!r}" for name, value in shown if value is not None]
        parts += [f"{key}={value!r}" for key, value in self.additional_properties.items() if key.isidentifier()]
        return f"{type(self).__name__}({', '.join(parts)})"
