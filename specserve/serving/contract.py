"""A model version's own OpenAPI document, derived from the contract's model operations.

`GET /models/{name}/openapi.json` (and `/versions/{version}/openapi.json`) publish it: the
operations getModel, predictWithModel and batchPredictWithModel (or their versioned twins) of
the hand-written contract, their paths made concrete for this model (`/models/loan/predict`,
no `model_name` parameter), with

- `features` specialised to the version's signature (`Signature.json_schema()`, the named
  form; beside it the positional list, of exactly as many numbers, only when every input is
  numeric), and the request examples made from the signature's example row;
- `label` in `PredictionResponse` an enum of the model's string classes (absent when it has
  none), `prediction` and `probabilities` described for its task;
- every component the operations reference copied (security schemes, responses, headers,
  parameters), `servers` and `security` as in the contract, `info.title` "<name> <version>",
  `info.version` the contract's, and `x-model` (`name`, `version`, `task`, `classes`).

Nothing in it is written by hand: change the contract and every model's document follows.
`ModelContracts` serves it as bytes built once per loaded version (never per request).
"""

from __future__ import annotations

import asyncio
import copy
import threading
import weakref
from typing import TYPE_CHECKING, Any

import orjson

from specserve.errors import ModelUnavailable
from specserve.serving.model import Model
from specserve.serving.signature import Signature, example_value

if TYPE_CHECKING:
    from specserve.serving.dataplane import DataPlane

# The contract's model operations, unversioned and versioned, in document order.
OPERATIONS = {
    False: ("getModel", "predictWithModel", "batchPredictWithModel"),
    True: ("getModelVersion", "predictWithModelVersion", "batchPredictWithModelVersion"),
}
PATH_PARAMETERS = {"model_name", "version"}
REF = "$ref"
PREFIX = "#/components/"


def model_document(
    spec_raw: dict[str, Any], model: Model, *, versioned: bool = False
) -> dict[str, Any]:
    """The OpenAPI 3.0 document of `model` (its version's routes when `versioned`)."""
    signature = model.signature or Signature.from_metadata(model.metadata, model.n_features)
    components = copy.deepcopy(spec_raw.get("components", {}))
    _specialise(components, model, signature)
    paths = _paths(spec_raw, model, versioned)
    doc: dict[str, Any] = {
        "openapi": spec_raw["openapi"],
        "info": _info(spec_raw, model),
        "servers": copy.deepcopy(spec_raw.get("servers", [])),
    }
    if "security" in spec_raw:
        doc["security"] = copy.deepcopy(spec_raw["security"])
    doc["tags"] = _tags(spec_raw, paths)
    doc["paths"] = paths
    doc["components"] = _referenced(components, doc)
    doc["x-model"] = {
        "name": model.name,
        "version": model.version,
        "task": model.task,
        "classes": _json_classes(model.classes),
    }
    return doc


# -- paths ------------------------------------------------------------------------------------


def _paths(spec_raw: dict[str, Any], model: Model, versioned: bool) -> dict[str, Any]:
    wanted = OPERATIONS[versioned]
    found: dict[str, tuple[str, str, dict[str, Any], dict[str, Any]]] = {}
    for template, item in spec_raw["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and op.get("operationId") in wanted:
                found[op["operationId"]] = (template, method, op, item)
    paths: dict[str, Any] = {}
    for operation_id in wanted:
        template, method, op, item = found[operation_id]
        path = template.replace("{model_name}", model.name).replace("{version}", model.version)
        operation = copy.deepcopy(op)
        shared = [p for p in item.get("parameters", []) if not _is_path(spec_raw, p)]
        own = [p for p in operation.get("parameters", []) if not _is_path(spec_raw, p)]
        if shared or own:
            operation["parameters"] = copy.deepcopy(shared) + own
        else:
            operation.pop("parameters", None)
        paths.setdefault(path, {})[method] = operation
    return paths


def _is_path(spec_raw: dict[str, Any], node: dict[str, Any]) -> bool:
    param = _resolve(spec_raw, node)
    return param.get("in") == "path" and param.get("name") in PATH_PARAMETERS


def _resolve(raw: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while REF in node:
        target: Any = raw
        for part in node[REF].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _info(spec_raw: dict[str, Any], model: Model) -> dict[str, Any]:
    info = spec_raw["info"]
    body = {
        "title": f"{model.name} {model.version}",
        "version": info["version"],
        "description": (
            f"The operations of model `{model.name}` version {model.version} ({model.task}), "
            f"derived from {info['title']} {info['version']}: `features` takes this model's "
            "inputs by name."
        ),
    }
    for key in ("contact", "license"):
        if key in info:
            body[key] = copy.deepcopy(info[key])
    return body


def _tags(spec_raw: dict[str, Any], paths: dict[str, Any]) -> list[dict[str, Any]]:
    used = {t for item in paths.values() for op in item.values() for t in op.get("tags", [])}
    return [copy.deepcopy(t) for t in spec_raw.get("tags", []) if t["name"] in used]


# -- schemas ----------------------------------------------------------------------------------


def _specialise(components: dict[str, Any], model: Model, signature: Signature) -> None:
    """The contract's generic request and response schemas, made this model's."""
    schemas = components["schemas"]
    named = signature.json_schema()
    if not named["required"]:  # OpenAPI 3.0: a `required` list is never empty
        del named["required"]
    named["description"] = (
        "This model's inputs by name. `null`, or leaving out an input marked nullable, is a "
        "missing value."
    )
    schemas["NamedFeatures"] = named
    features = schemas["PredictionRequest"]["properties"]["features"]
    if signature.numeric:
        positional = schemas["PositionalFeatures"]
        positional["minItems"] = positional["maxItems"] = len(signature)
        positional["description"] = (
            f"The {len(signature)} inputs as numbers, in this order: {', '.join(signature.names)}."
        )
        features["description"] = "The row to score: by name, or as numbers in input order."
    else:
        schemas["PredictionRequest"]["properties"]["features"] = {
            REF: f"{PREFIX}schemas/NamedFeatures"
        }
    _examples(components["requestBodies"], signature)
    _response(schemas["PredictionResponse"]["properties"], model)


def _examples(bodies: dict[str, Any], signature: Signature) -> None:
    row = {i.name: example_value(i) for i in signature.inputs}
    single = {"summary": "One row", "value": {"features": row}}
    batch = {"summary": "Two rows", "value": {"requests": [{"features": row}] * 2}}
    for name, example in (("PredictionRequest", single), ("BatchPredictionRequest", batch)):
        media = bodies[name]["content"]["application/json"]
        media.pop("example", None)
        media["examples"] = {"model": example}


def _response(props: dict[str, Any], model: Model) -> None:
    classes = _json_classes(model.classes)
    strings = [c for c in classes if isinstance(c, str)]
    if strings:
        props["label"] = {
            "type": "string",
            "enum": strings,
            "description": "The predicted class's name.",
        }
    else:
        props.pop("label", None)
    props["prediction"]["description"] = _prediction(model.task, classes, bool(strings))
    if model.task == "classification" and classes:
        shown = ", ".join(map(str, classes))
        props["probabilities"]["description"] = (
            f"Only with `?probabilities=true`: the probability of each class ({shown}), in "
            "that order; null when the model gives none."
        )
    for key in ("label", "probabilities", "score"):  # the contract's release bookkeeping
        props.get(key, {}).pop("x-opt-in", None)


def _prediction(task: str, classes: list[Any], strings: bool) -> str:
    shown = ", ".join(map(str, classes))
    if task == "classification" and strings:
        return f"The predicted class's index in the classes ({shown}); its name is `label`."
    if task == "classification":
        return f"The predicted class, one of {shown}."
    if task == "clustering":
        return "The cluster id, an integer."
    if task == "outlier_detection":
        return "1 (inlier) or -1 (outlier)."
    return "The predicted value."


def _json_classes(classes: list[Any]) -> list[Any]:
    return [
        c if isinstance(c, str) else (int(c) if float(c).is_integer() else float(c))
        for c in classes
    ]


# -- components -------------------------------------------------------------------------------


def _referenced(components: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    """The components `doc` uses, following references inside them too, in the contract's
    order; security schemes by the names its security requirements give."""
    used: set[tuple[str, str]] = set()
    pending = [doc["paths"]]
    for requirement in _requirements(doc):
        used.add(("securitySchemes", requirement))
    while pending:
        for kind, name in _refs(pending.pop()):
            if (kind, name) not in used:
                used.add((kind, name))
                pending.append(components[kind][name])
    return {
        kind: {name: node for name, node in section.items() if (kind, name) in used}
        for kind, section in components.items()
        if any(k == kind for k, _ in used)
    }


def _requirements(doc: dict[str, Any]) -> set[str]:
    names = {name for req in doc.get("security", []) for name in req}
    for item in doc["paths"].values():
        for op in item.values():
            names |= {name for req in op.get("security", []) for name in req}
    return names


def _refs(node: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    stack = [node]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            ref = value.get(REF)
            if isinstance(ref, str) and ref.startswith(PREFIX):
                kind, name = ref.removeprefix(PREFIX).split("/", 1)
                found.append((kind, name))
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return found


# -- serving it -------------------------------------------------------------------------------


class ModelContracts:
    """Each loaded version's document as JSON bytes, built on first request and kept while
    the version is loaded: an entry goes when its `Model` is collected (unloaded, replaced),
    so the cache holds at most two documents per loaded version, whatever the traffic."""

    def __init__(self) -> None:
        self._docs: dict[tuple[int, bool], tuple[weakref.ref[Model], bytes]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._docs)

    def document(self, spec_raw: dict[str, Any], model: Model, versioned: bool) -> bytes:
        key = (id(model), versioned)
        entry = self._docs.get(key)
        if entry is not None and entry[0]() is model:
            return entry[1]
        body = orjson.dumps(model_document(spec_raw, model, versioned=versioned))
        ref = weakref.ref(model, lambda gone: self._forget(key, gone))
        with self._lock:
            self._docs[key] = (ref, body)
        return body

    def _forget(self, key: tuple[int, bool], gone: weakref.ref[Model]) -> None:
        with self._lock:
            entry = self._docs.get(key)
            if entry is not None and entry[0] is gone:
                del self._docs[key]


CONTRACTS = ModelContracts()  # keyed by model identity: one per process serves every app


async def served_document(
    spec_raw: dict[str, Any], data_plane: DataPlane, name: str, version: str | None = None
) -> bytes:
    """The document of the version that serves `name` (or of `version`): 404 for an unknown
    model or version, 503 for one that failed to load (it has no signature to publish)."""
    registry = data_plane.registry
    if version is None:
        model = registry.ready_model(name)
    else:
        found = registry.cached_version(name, version)
        if found is None:
            found = await asyncio.to_thread(registry.version, name, version)
        model = found
        if not model.ready:
            raise ModelUnavailable(
                f"Model '{model.name}' version {model.version} is not available."
            )
    return CONTRACTS.document(spec_raw, model, version is not None)
