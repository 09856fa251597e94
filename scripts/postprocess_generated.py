"""Post-processing steps of `make generate` that the generators cannot do themselves.

    stamp --spec SPEC DIR...     put the "generated ... do not edit" header on every file
    docs --spec SPEC FILE        make the Redocly HTML offline-safe, stamp it
    postman --spec SPEC IN1 IN2 OUT
                                 deterministic ids, both auth schemes, no auth where the spec
                                 has none; IN1 and IN2 are two conversions of the same spec,
                                 which must agree once normalised (the converter invents
                                 random values for bodies without an example)

Each step is idempotent: running it twice gives the same bytes.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import uuid
from pathlib import Path
from typing import Any

import yaml

HEADER = "generated from {spec} by `make generate` — do not edit"
COMMENT = {
    ".py": "# {}",
    ".toml": "# {}",
    ".gitignore": "# {}",
    ".typed": "# {}",
    ".ts": "// {}",
    ".mjs": "// {}",
    ".md": "<!-- {} -->",
}
# The Redocly page's only remote requests: the attribution logo (an <img>) and icon CDNs.
OFFLINE_REPLACEMENTS = {
    "https://cdn.redoc.ly/redoc/logo-mini-full.svg": "data:image/svg+xml,%3Csvg%20xmlns=%22http://www.w3.org/2000/svg%22/%3E",
    "https://cdn.redoc.ly/redoc/logo-mini.svg": "data:image/svg+xml,%3Csvg%20xmlns=%22http://www.w3.org/2000/svg%22/%3E",
    "https://cdn.redocly.com/icons/fa/7.0.0": "data:,",
    "https://cdn.redocly.com/icons/code/5.24.0": "data:,",
    'href="https://redocly.com/redoc/"': 'href="#"',
    "href:`https://redocly.com/redoc/`": "href:`#`",
}
NAMESPACE = uuid.UUID("5b3c1f52-8a0e-4d9b-9f1e-2f7c6a1d3e40")


def header_line(path: Path, spec: str) -> str | None:
    style = COMMENT.get(path.suffix or path.name)
    return style.format(HEADER.format(spec=spec)) if style else None


def stamp(paths: list[Path], spec: str) -> None:
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            line = header_line(path, spec)
            if line is None:
                continue
            text = path.read_text(encoding="utf-8")
            if not text.startswith(line):
                path.write_text(f"{line}\n{text}", encoding="utf-8")


def offline_docs(path: Path, spec: str) -> None:
    html = path.read_text(encoding="utf-8")
    for remote, local in OFFLINE_REPLACEMENTS.items():
        html = html.replace(remote, local)
    marker = f"<!-- {HEADER.format(spec=spec)} -->"
    if marker not in html:
        doctype, _, rest = html.partition("\n")
        html = f"{doctype}\n{marker}\n{rest}"
    path.write_text(html, encoding="utf-8")


def _operations(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Operation summary → operation (summaries are unique in the spec)."""
    return {
        op["summary"]: op
        for item in spec["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "summary" in op
    }


def _ids(node: Any, trail: str) -> None:
    """Replace the converter's random ids with ids derived from each item's position."""
    if isinstance(node, dict):
        for key in ("id", "_postman_id"):
            if key in node:
                node[key] = str(uuid.uuid5(NAMESPACE, trail))
        for key, value in node.items():
            _ids(value, f"{trail}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            name = value.get("name", index) if isinstance(value, dict) else index
            _ids(value, f"{trail}/{name}")


def _apikey_and_bearer() -> dict[str, Any]:
    """API key active; the bearer token ready when `type` is switched to `bearer`."""
    return {
        "type": "apikey",
        "apikey": [
            {"key": "key", "value": "X-API-Key", "type": "string"},
            {"key": "value", "value": "{{apiKey}}", "type": "string"},
            {"key": "in", "value": "header", "type": "string"},
        ],
        "bearer": [{"key": "token", "value": "{{bearerToken}}", "type": "string"}],
    }


def _requests(items: list[dict[str, Any]]):
    for item in items:
        if "item" in item:
            yield from _requests(item["item"])
        else:
            yield item


def normalise(source: Path, spec_path: Path, spec: str) -> str:
    collection = json.loads(source.read_text(encoding="utf-8"))
    operations = _operations(yaml.safe_load(spec_path.read_text(encoding="utf-8")))
    collection["auth"] = _apikey_and_bearer()
    for item in _requests(collection["item"]):
        operation = operations.get(item["name"], {})
        if operation.get("security") == []:
            item["request"]["auth"] = {"type": "noauth"}
        elif (item["request"].get("auth") or {}).get("type") == "apikey":
            item["request"].pop("auth")  # inherit the collection's: key or bearer
    variables = {v["key"]: v for v in collection.get("variable", [])}
    for key, value in (("apiKey", ""), ("bearerToken", "")):
        variables.setdefault(key, {"key": key, "value": value})
    collection["variable"] = list(variables.values())
    info = collection["info"]
    note = f"{HEADER.format(spec=spec)[0].upper()}{HEADER.format(spec=spec)[1:]}."
    description = info.get("description", {})
    if isinstance(description, dict) and not description.get("content", "").startswith(note):
        description["content"] = f"{note}\n\n{description.get('content', '')}"
    _ids(collection, "collection")
    return json.dumps(collection, indent=2, ensure_ascii=False) + "\n"


def postman(first: Path, second: Path, target: Path, spec_path: Path, spec: str) -> None:
    text = normalise(first, spec_path, spec)
    if normalise(second, spec_path, spec) != text:
        diff = difflib.unified_diff(
            text.splitlines(), normalise(second, spec_path, spec).splitlines(), lineterm=""
        )
        sys.exit(
            "postman: two conversions differ (a request body or parameter without an example "
            "in the spec?):\n" + "\n".join(list(diff)[:40])
        )
    target.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="step", required=True)
    for step in ("stamp", "docs", "postman"):
        cmd = sub.add_parser(step)
        cmd.add_argument("--spec", required=True)
        cmd.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args()
    if args.step == "stamp":
        stamp(args.paths, args.spec)
    elif args.step == "docs":
        offline_docs(args.paths[0], args.spec)
    else:
        postman(*args.paths[:3], Path(args.spec), args.spec)


if __name__ == "__main__":
    main()
