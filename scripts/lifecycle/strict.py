"""The seed's Python client reads predictions strictly: `PredictionResult(**data)` raises on
a key it does not know (tests/fixtures/seed_client.py). A new property in those responses
breaks it, unless the spec declares the property opt-in: `x-opt-in` names what turns it on,
a query parameter of the operation (`query: probabilities`) or a kind of model the seed's
default model is not (`model: classifier with string labels`)."""

from __future__ import annotations

from typing import Any

from scripts.lifecycle.findings import ADDED, BREAKING, Finding, Where
from scripts.lifecycle.spec import Spec, escape, parameters, pointer, resolve

# (method, path, status, path to the object inside the body) the seed's client reads strictly
READERS = (
    ("POST", "/predict", "200", ()),
    ("POST", "/batch_predict", "200", ("properties", "predictions", "items")),
)
OPT_IN = "x-opt-in"
SWITCHES = ("query", "model")
NOT_OPT_IN = "not opt-in (the seed's Python client rejects unknown keys)"


def read_object(spec: Spec, method: str, path: str, status: str, inner: tuple[str, ...]):
    """The schema the reader turns into an object, and its pointer; None if it is gone."""
    try:
        response = spec["paths"][path][method.lower()]["responses"][status]
        at = pointer("paths", path, method.lower(), "responses", status)
        response, at = resolve(spec, response, at)
        node, at = (
            response["content"]["application/json"]["schema"],
            at + "/content/application~1json/schema",
        )
        node, at = resolve(spec, node, at)
        for token in inner:
            node, at = resolve(spec, node[token], f"{at}/{token}")
    except (KeyError, TypeError):
        return None, ""
    return node, at


def describe(switch: Any) -> str:
    return ", ".join(f"{k} `{v}`" for k, v in switch.items())


def compare(old: Spec, new: Spec) -> list[Finding]:
    found: list[Finding] = []
    for method, path, status, inner in READERS:
        before, _ = read_object(old, method, path, status, inner)
        after, at = read_object(new, method, path, status, inner)
        if before is None or after is None:
            continue  # the operation or response went: the operation rules report it
        where = Where(f"{method} {path}", f"response {status}", "response")
        old_props, new_props = before.get("properties") or {}, after.get("properties") or {}
        for name, prop in new_props.items():
            prop_at = f"new{at}/properties/{escape(name)}"
            switch = prop.get(OPT_IN) if isinstance(prop, dict) else None
            if name not in old_props and switch:
                what = f"response property `{name}` added (opt-in: {describe(switch)})"
                found.append(Finding(ADDED, what, name, prop_at, where))
            elif name not in old_props:
                what = f"response property `{name}` added, {NOT_OPT_IN}"
                found.append(Finding(BREAKING, what, name, prop_at, where))
            elif (old_props[name] or {}).get(OPT_IN) and not switch:
                what = f"response property `{name}` no longer opt-in (`{OPT_IN}` removed)"
                found.append(Finding(BREAKING, what, name, prop_at, where))
    return found


def problems(spec: Spec) -> list[str]:
    """Malformed `x-opt-in` declarations in the objects the seed's client reads."""
    found = []
    for method, path, status, inner in READERS:
        schema, at = read_object(spec, method, path, status, inner)
        query = (
            {name for (kind, name) in parameters(spec, path, method) if kind == "query"}
            if schema is not None
            else set()
        )
        for name, prop in ((schema or {}).get("properties") or {}).items():
            switch = prop.get(OPT_IN) if isinstance(prop, dict) else None
            if switch is None:
                continue
            place = f"{at}/properties/{escape(name)}/{OPT_IN}"
            if not (
                isinstance(switch, dict)
                and len(switch) == 1
                and set(switch) <= set(SWITCHES)
                and isinstance(next(iter(switch.values())), str)
            ):
                found.append(f"{place}: expected one of `query: <parameter>` or `model: <kind>`")
            elif "query" in switch and switch["query"] not in query:
                found.append(f"{place}: {method} {path} has no query parameter `{switch['query']}`")
    return found
