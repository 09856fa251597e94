# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.model_status import ModelStatus, check_model_status

if TYPE_CHECKING:
    from ..models.model_metadata_metrics import ModelMetadataMetrics


T = TypeVar("T", bound="ModelMetadata")


@_attrs_define
class ModelMetadata:
    """
    Attributes:
        name (str):
        version (str):
        status (ModelStatus): `ready`: the model serves; `failed`: its artifact could not be loaded.
        description (str):
        framework (str):
        feature_names (list[str]):
        n_features (int):
        classes (list[float]):
        metrics (ModelMetadataMetrics): Held-out evaluation metrics recorded at training time.
    """

    name: str
    version: str
    status: ModelStatus
    description: str
    framework: str
    feature_names: list[str]
    n_features: int
    classes: list[float]
    metrics: ModelMetadataMetrics

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        version = self.version

        status: str = self.status

        description = self.description

        framework = self.framework

        feature_names = self.feature_names

        n_features = self.n_features

        classes = self.classes

        metrics = self.metrics.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "version": version,
                "status": status,
                "description": description,
                "framework": framework,
                "feature_names": feature_names,
                "n_features": n_features,
                "classes": classes,
                "metrics": metrics,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_metadata_metrics import ModelMetadataMetrics  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        version = d.pop("version")

        status = check_model_status(d.pop("status"))

        description = d.pop("description")

        framework = d.pop("framework")

        feature_names = cast(list[str], d.pop("feature_names"))

        n_features = d.pop("n_features")

        classes = cast(list[float], d.pop("classes"))

        metrics = ModelMetadataMetrics.from_dict(d.pop("metrics"))

        model_metadata = cls(
            name=name,
            version=version,
            status=status,
            description=description,
            framework=framework,
            feature_names=feature_names,
            n_features=n_features,
            classes=classes,
            metrics=metrics,
        )

        return model_metadata
