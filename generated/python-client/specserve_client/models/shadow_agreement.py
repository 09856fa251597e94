# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.shadow_agreement_scope import ShadowAgreementScope, check_shadow_agreement_scope

if TYPE_CHECKING:
    from ..models.shadow_agreement_abs_diff_type_0_item import ShadowAgreementAbsDiffType0Item


T = TypeVar("T", bound="ShadowAgreement")


@_attrs_define
class ShadowAgreement:
    """How the shadow version's answers compare with those the clients got. With
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

        Attributes:
            scored (int): Rows the shadow scored.
            agreed (int): Rows where its prediction (a classifier's label) equals the answered one (a
                regressor's: within 1e-6).
            disagreed (int):
            errors (int): Shadow calls that failed or timed out (never seen by the client).
            skipped (int): Requests not shadowed because a worker had too many shadow calls running.
            agreement_rate (float | None): agreed / scored (null before any row is scored).
            abs_diff (list[ShadowAgreementAbsDiffType0Item] | None): Regressors only (null otherwise): |answered - shadow|
                per row as a cumulative
                histogram, each bucket counting the rows with a difference of at most `le`
                (`le` null: every row).
            scope (ShadowAgreementScope): `service`: every instance's counts for the shadow as set (Redis); `instance`:
                this instance's workers since they started (no Redis, or Redis not answering).
    """

    scored: int
    agreed: int
    disagreed: int
    errors: int
    skipped: int
    agreement_rate: float | None
    abs_diff: list[ShadowAgreementAbsDiffType0Item] | None
    scope: ShadowAgreementScope
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        scored = self.scored

        agreed = self.agreed

        disagreed = self.disagreed

        errors = self.errors

        skipped = self.skipped

        agreement_rate: float | None
        agreement_rate = self.agreement_rate

        abs_diff: list[dict[str, Any]] | None
        if isinstance(self.abs_diff, list):
            abs_diff = []
            for abs_diff_type_0_item_data in self.abs_diff:
                abs_diff_type_0_item = abs_diff_type_0_item_data.to_dict()
                abs_diff.append(abs_diff_type_0_item)

        else:
            abs_diff = self.abs_diff

        scope: str = self.scope

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "scored": scored,
                "agreed": agreed,
                "disagreed": disagreed,
                "errors": errors,
                "skipped": skipped,
                "agreement_rate": agreement_rate,
                "abs_diff": abs_diff,
                "scope": scope,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.shadow_agreement_abs_diff_type_0_item import ShadowAgreementAbsDiffType0Item  # noqa: PLC0415

        d = dict(src_dict)
        scored = d.pop("scored")

        agreed = d.pop("agreed")

        disagreed = d.pop("disagreed")

        errors = d.pop("errors")

        skipped = d.pop("skipped")

        def _parse_agreement_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        agreement_rate = _parse_agreement_rate(d.pop("agreement_rate"))

        def _parse_abs_diff(data: object) -> list[ShadowAgreementAbsDiffType0Item] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                abs_diff_type_0 = []
                _abs_diff_type_0 = data
                for abs_diff_type_0_item_data in _abs_diff_type_0:
                    abs_diff_type_0_item = ShadowAgreementAbsDiffType0Item.from_dict(abs_diff_type_0_item_data)

                    abs_diff_type_0.append(abs_diff_type_0_item)

                return abs_diff_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ShadowAgreementAbsDiffType0Item] | None, data)

        abs_diff = _parse_abs_diff(d.pop("abs_diff"))

        scope = check_shadow_agreement_scope(d.pop("scope"))

        shadow_agreement = cls(
            scored=scored,
            agreed=agreed,
            disagreed=disagreed,
            errors=errors,
            skipped=skipped,
            agreement_rate=agreement_rate,
            abs_diff=abs_diff,
            scope=scope,
        )

        shadow_agreement.additional_properties = d
        return shadow_agreement

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
            ("scored", self.scored),
            ("agreed", self.agreed),
            ("disagreed", self.disagreed),
            ("errors", self.errors),
            ("skipped", self.skipped),
            ("agreement_rate", self.agreement_rate),
            ("abs_diff", self.abs_diff),
            ("scope", self.scope),
        ]
        parts = [f"{name}={value!r}" for name, value in shown if value is not None]
        parts += [f"{key}={value!r}" for key, value in self.additional_properties.items() if key.isidentifier()]
        return f"{type(self).__name__}({', '.join(parts)})"
