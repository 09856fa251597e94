# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

import datetime
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
        error_description (str | Unset): For OAuth2 token errors (RFC 6749 section 5.2), same as `detail`.
        retry_after (int | Unset): For 429, seconds to wait before retrying (as `Retry-After`).
        errors (list[FieldError] | Unset): For validation failures, one entry per offending field.
    """

    type_: str
    title: str
    status: int
    detail: str
    error: str
    message: str
    request_id: str
    timestamp: datetime.datetime
    error_description: str | Unset = UNSET
    retry_after: int | Unset = UNSET
    errors: list[FieldError] | Unset = UNSET
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

        error_description = self.error_description

        retry_after = self.retry_after

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
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
            error_description=error_description,
            retry_after=retry_after,
            errors=errors,
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
