# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

import datetime
import json as _json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field_error import FieldError


T = TypeVar("T", bound="Error")


@_attrs_define
class Error:
    """The one error shape (RFC 9457 problem details plus stable fields).

    Attributes:
        type_ (str): A URI reference identifying the problem type.
        title (str): Short summary of the status.
        status (int):
        detail (str): Explanation specific to this occurrence.
        error (str): Stable machine-readable error code. Example: validation_error.
        message (str): Human-readable message (same as `detail`).
        request_id (str):
        timestamp (datetime.datetime):
        error_description (str | None): For OAuth2 token errors (RFC 6749 section 5.2), same as `detail`.
        retry_after (int | None): For 429, seconds to wait before retrying (as `Retry-After`).
        errors (list[FieldError] | None): For validation failures, one entry per offending field.
    """

    type_: str
    title: str
    status: int
    detail: str
    error: str
    message: str
    request_id: str
    timestamp: datetime.datetime
    error_description: str | None = None
    retry_after: int | None = None
    errors: list[FieldError] | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        title = self.title

        status = self.status

        detail = self.detail

        error = self.error

        message = self.message

        request_id = self.request_id

        timestamp = self.timestamp.isoformat()

        _error_description = UNSET if self.error_description is None else self.error_description
        error_description = _error_description

        _retry_after = UNSET if self.retry_after is None else self.retry_after
        retry_after = _retry_after

        _errors = UNSET if self.errors is None else self.errors
        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(_errors, Unset):
            errors = []
            for errors_item_data in _errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "title": title,
                "status": status,
                "detail": detail,
                "error": error,
                "message": message,
                "request_id": request_id,
                "timestamp": timestamp,
            }
        )
        if error_description is not UNSET:
            field_dict["error_description"] = error_description
        if retry_after is not UNSET:
            field_dict["retry_after"] = retry_after
        if errors is not UNSET:
            field_dict["errors"] = errors

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.field_error import FieldError  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("type")

        title = d.pop("title")

        status = d.pop("status")

        detail = d.pop("detail")

        error = d.pop("error")

        message = d.pop("message")

        request_id = d.pop("request_id")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        error_description = d.pop("error_description", UNSET)

        retry_after = d.pop("retry_after", UNSET)

        _errors = d.pop("errors", UNSET)
        errors: list[FieldError] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = FieldError.from_dict(errors_item_data)

                errors.append(errors_item)

        error = cls(
            type_=type_,
            title=title,
            status=status,
            detail=detail,
            error=error,
            message=message,
            request_id=request_id,
            timestamp=timestamp,
            error_description=None if isinstance(error_description, Unset) else error_description,
            retry_after=None if isinstance(retry_after, Unset) else retry_after,
            errors=None if isinstance(errors, Unset) else errors,
        )

        error.additional_properties = d
        return error

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
            ("type_", self.type_),
            ("title", self.title),
            ("status", self.status),
            ("detail", self.detail),
            ("error", self.error),
            ("message", self.message),
            ("request_id", self.request_id),
            ("timestamp", self.timestamp),
            ("error_description", self.error_description),
            ("retry_after", self.retry_after),
            ("errors", self.errors),
        ]
        parts = [f"{name}={value!r}" for name, value in shown if value is not None]
        parts += [f"{key}={value!r}" for key, value in self.additional_properties.items() if key.isidentifier()]
        return f"{type(self).__name__}({', '.join(parts)})"
