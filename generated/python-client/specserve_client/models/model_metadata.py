# generated from openapi/openapi.yaml by `make generate` — do not edit
from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model_metadata_runtime import ModelMetadataRuntime, check_model_metadata_runtime
from ..models.model_metadata_task import ModelMetadataTask, check_model_metadata_task
from ..models.model_status import ModelStatus, check_model_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_input import ModelInput
    from ..models.model_metadata_input_schema import ModelMetadataInputSchema
    from ..models.model_metadata_metrics import ModelMetadataMetrics
    from ..models.model_rollout import ModelRollout
    from ..models.parity_type_0 import ParityType0


T = TypeVar("T", bound="ModelMetadata")


@_attrs_define
class ModelMetadata:
    """
    Attributes:
        name (str):
        version (str):
        status (ModelStatus): `ready`: the model serves; `failed`: its artifact could not be loaded.
        description (str):
        framework (str): What made the artifact: `scikit-learn`, or `onnx` for an ONNX artifact from any
            exporter (XGBoost, LightGBM, a hand-built graph).
        feature_names (list[str]):
        n_features (int):
        task (ModelMetadataTask): What the model does, read from the estimator (scikit-learn's own tags) or the ONNX
            graph: `classification`, `regression`, `clustering` (`prediction` is the cluster
            id) or `outlier_detection` (`prediction` is 1 or -1, `?scores=true` adds `score`).
        classes (list[float | str]): The classes, in the order of `probabilities` (empty for regressors).
        metrics (ModelMetadataMetrics): Held-out evaluation metrics recorded at training time.
        runtime (ModelMetadataRuntime): What scores this version: ONNX Runtime (a `model.onnx` that passed the parity
            gate, or an ONNX artifact) or scikit-learn.
        parity (None | ParityType0): The parity gate of the ONNX conversion (`specserve models add`): on probe rows
            spanning the training range and beyond, labels identical to scikit-learn's `predict`;
            probabilities within 1e-4; regression values within `1e-5 × |value| + atol`, where
            `atol` is 1e-5 of the spread (largest minus smallest) of the model's own predictions
            on the probe rows (at least 1e-8), so float32 rounding of values near zero is judged
            against the size of the model's answers; `specserve models add --value-tolerance X`
            sets `atol` instead. A conversion that fails, does not load in ONNX Runtime or fails
            the gate leaves the version on scikit-learn, the reason in `reason`. Null when the
            version was never converted (clusterers and outlier detectors are not).
        pinned (None | str): The version pinned with `specserve models pin`, or null (the newest serves).
        inputs (list[ModelInput] | None): The model's signature: each input it takes, in order (the order of the
            positional
            form), with its type, whether it may be null, its categories and bounds.
        input_schema (ModelMetadataInputSchema | None): The JSON Schema of this model's named `features` object (what
            `GET /models/{model_name}/openapi.json` publishes as the request).
             Example: {'type': 'object', 'additionalProperties': False, 'required': ['transaction_amount'], 'properties':
            {'transaction_amount': {'type': 'number'}}}.
        error (str | None): Only when a version failed to load: why, in full (this version's reason when
            `status` is `failed`; when an older version serves because a newer one failed, the
            newer one's; when a version's converted graph does not load on this machine, why
            scikit-learn serves it instead). `/health` shows only a short class of it (`artifact unreadable`,
            `artifact refused`, `version mismatch`, `conversion refused`, `graph refused`,
            `model refused`, `metadata invalid`).
        rollout (ModelRollout | None): Only on the unversioned `GET /models/{model_name}`: the model's shadow and canary
            versions as every worker reads them from the model store (`specserve models shadow`,
            `specserve models canary`), within `SPECSERVE_MODEL_POLL_SECONDS` of a change.
    """

    name: str
    version: str
    status: ModelStatus
    description: str
    framework: str
    feature_names: list[str]
    n_features: int
    task: ModelMetadataTask
    classes: list[float | str]
    metrics: ModelMetadataMetrics
    runtime: ModelMetadataRuntime
    parity: None | ParityType0
    pinned: None | str
    inputs: list[ModelInput] | None = None
    input_schema: ModelMetadataInputSchema | None = None
    error: str | None = None
    rollout: ModelRollout | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    request_id: str | None = _attrs_field(init=False, default=None, eq=False)
    """The response's `X-Request-ID`, set by the client (None on a model built by hand)."""

    def to_dict(self) -> dict[str, Any]:
        from ..models.parity_type_0 import ParityType0  # noqa: PLC0415

        name = self.name

        version = self.version

        status: str = self.status

        description = self.description

        framework = self.framework

        feature_names = self.feature_names

        n_features = self.n_features

        task: str = self.task

        classes = []
        for classes_item_data in self.classes:
            classes_item: float | str
            classes_item = classes_item_data
            classes.append(classes_item)

        metrics = self.metrics.to_dict()

        runtime: str = self.runtime

        parity: dict[str, Any] | None
        if isinstance(self.parity, ParityType0):
            parity = self.parity.to_dict()
        else:
            parity = self.parity

        pinned: None | str
        pinned = self.pinned

        _inputs = UNSET if self.inputs is None else self.inputs
        inputs: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(_inputs, Unset):
            inputs = []
            for inputs_item_data in _inputs:
                inputs_item = inputs_item_data.to_dict()
                inputs.append(inputs_item)

        _input_schema = UNSET if self.input_schema is None else self.input_schema
        input_schema: dict[str, Any] | Unset = UNSET
        if not isinstance(_input_schema, Unset):
            input_schema = _input_schema.to_dict()

        _error = UNSET if self.error is None else self.error
        error = _error

        _rollout = UNSET if self.rollout is None else self.rollout
        rollout: dict[str, Any] | Unset = UNSET
        if not isinstance(_rollout, Unset):
            rollout = _rollout.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "version": version,
                "status": status,
                "description": description,
                "framework": framework,
                "feature_names": feature_names,
                "n_features": n_features,
                "task": task,
                "classes": classes,
                "metrics": metrics,
                "runtime": runtime,
                "parity": parity,
                "pinned": pinned,
            }
        )
        if inputs is not UNSET:
            field_dict["inputs"] = inputs
        if input_schema is not UNSET:
            field_dict["input_schema"] = input_schema
        if error is not UNSET:
            field_dict["error"] = error
        if rollout is not UNSET:
            field_dict["rollout"] = rollout

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_input import ModelInput  # noqa: PLC0415
        from ..models.model_metadata_input_schema import ModelMetadataInputSchema  # noqa: PLC0415
        from ..models.model_metadata_metrics import ModelMetadataMetrics  # noqa: PLC0415
        from ..models.model_rollout import ModelRollout  # noqa: PLC0415
        from ..models.parity_type_0 import ParityType0  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        version = d.pop("version")

        status = check_model_status(d.pop("status"))

        description = d.pop("description")

        framework = d.pop("framework")

        feature_names = cast(list[str], d.pop("feature_names"))

        n_features = d.pop("n_features")

        task = check_model_metadata_task(d.pop("task"))

        classes = []
        _classes = d.pop("classes")
        for classes_item_data in _classes:

            def _parse_classes_item(data: object) -> float | str:
                return cast(float | str, data)

            classes_item = _parse_classes_item(classes_item_data)

            classes.append(classes_item)

        metrics = ModelMetadataMetrics.from_dict(d.pop("metrics"))

        runtime = check_model_metadata_runtime(d.pop("runtime"))

        def _parse_parity(data: object) -> None | ParityType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_parity_type_0 = ParityType0.from_dict(data)

                return componentsschemas_parity_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ParityType0, data)

        parity = _parse_parity(d.pop("parity"))

        def _parse_pinned(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        pinned = _parse_pinned(d.pop("pinned"))

        _inputs = d.pop("inputs", UNSET)
        inputs: list[ModelInput] | Unset = UNSET
        if _inputs is not UNSET:
            inputs = []
            for inputs_item_data in _inputs:
                inputs_item = ModelInput.from_dict(inputs_item_data)

                inputs.append(inputs_item)

        _input_schema = d.pop("input_schema", UNSET)
        input_schema: ModelMetadataInputSchema | Unset
        if isinstance(_input_schema, Unset):
            input_schema = UNSET
        else:
            input_schema = ModelMetadataInputSchema.from_dict(_input_schema)

        error = d.pop("error", UNSET)

        _rollout = d.pop("rollout", UNSET)
        rollout: ModelRollout | Unset
        if isinstance(_rollout, Unset):
            rollout = UNSET
        else:
            rollout = ModelRollout.from_dict(_rollout)

        model_metadata = cls(
            name=name,
            version=version,
            status=status,
            description=description,
            framework=framework,
            feature_names=feature_names,
            n_features=n_features,
            task=task,
            classes=classes,
            metrics=metrics,
            runtime=runtime,
            parity=parity,
            pinned=pinned,
            inputs=None if isinstance(inputs, Unset) else inputs,
            input_schema=None if isinstance(input_schema, Unset) else input_schema,
            error=None if isinstance(error, Unset) else error,
            rollout=None if isinstance(rollout, Unset) else rollout,
        )

        model_metadata.additional_properties = d
        return model_metadata

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
            ("name", self.name),
            ("version", self.version),
            ("status", self.status),
            ("description", self.description),
            ("framework", self.framework),
            ("feature_names", self.feature_names),
            ("n_features", self.n_features),
            ("task", self.task),
            ("classes", self.classes),
            ("metrics", self.metrics),
            ("runtime", self.runtime),
            ("parity", self.parity),
            ("pinned", self.pinned),
            ("inputs", self.inputs),
            ("input_schema", self.input_schema),
            ("error", self.error),
            ("rollout", self.rollout),
            ("request_id", self.request_id),
        ]
        parts = [f"{name}={value!r}" for name, value in shown if value is not None]
        parts += [f"{key}={value!r}" for key, value in self.additional_properties.items() if key.isidentifier()]
        return f"{type(self).__name__}({', '.join(parts)})"
