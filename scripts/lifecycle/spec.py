"""Reading a contract: files, `$ref`s, operations, JSON pointers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
Spec = dict[str, Any]


LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 8x faster on our contract


def load(path: Path) -> Spec:
    return yaml.load(path.read_text(), Loader=LOADER)


def escape(token: str) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer(*tokens: object) -> str:
    return "#" + "".join("/" + escape(str(t)) for t in tokens)


def resolve(spec: Spec, node: Any, at: str) -> tuple[Any, str]:
    """Follow local `$ref`s; return the node and the pointer it really lives at."""
    seen = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
        at = node["$ref"]
        seen.add(at)
        node = spec
        for token in at.lstrip("#/").split("/"):
            node = node[token.replace("~1", "/").replace("~0", "~")]
    return node, at


def operations(spec: Spec) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) for every operation, methods upper-case."""
    for path, item in (spec.get("paths") or {}).items():
        for method in METHODS:
            if isinstance(item.get(method), dict):
                yield method.upper(), path, item[method]


def parameters(spec: Spec, path: str, method: str) -> dict[tuple[str, str], tuple[Any, str]]:
    """The operation's parameters (path-level ones included), keyed by (in, name)."""
    item = spec["paths"][path]
    found: dict[tuple[str, str], tuple[Any, str]] = {}
    for where in ("", method.lower()):
        owner = item if not where else item[where]
        for i, raw in enumerate(owner.get("parameters") or []):
            at = pointer("paths", path, *([where] if where else []), "parameters", i)
            param, at = resolve(spec, raw, at)
            found[(param["in"], param["name"])] = (param, at)
    return found
