"""Post-processing steps of `make generate` that the generators cannot do themselves.

    copy SOURCE... DIR           copy hand-written files (sdk-templates/) into a package: their
                                 "hand-written: `make generate` copies this file into ..." first
                                 line becomes "hand-written: copied from SOURCE ...; edit it
                                 there, not here"
    stamp --spec SPEC DIR...     put the "generated ... do not edit" header on every file but
                                 the hand-written copies
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

try:  # run as a script (make generate) or imported as scripts.postprocess_generated (tests)
    import postman_scripts
except ImportError:
    from scripts import postman_scripts

HEADER = "generated from {spec} by `make generate` — do not edit"
# Hand-written code copied into the SDKs says so, in the source and in the copy.
SOURCE_HEADER = "hand-written: `make generate` copies this file into "
COPY_HEADER = "hand-written: copied from {source} by `make generate`; edit it there, not here"
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
HIDE_ATTRIBUTION = '<style>a[href="#"][target="_blank"]{display:none}</style>'
NAMESPACE = uuid.UUID("5b3c1f52-8a0e-4d9b-9f1e-2f7c6a1d3e40")


def header_line(path: Path, spec: str) -> str | None:
    style = COMMENT.get(path.suffix or path.name)
    return style.format(HEADER.format(spec=spec)) if style else None


def _opening(path: Path, header: str) -> str | None:
    """The start of a comment line that opens with `header`, in the file's comment syntax."""
    style = COMMENT.get(path.suffix or path.name)
    return style.split("{}")[0] + header if style else None


def is_hand_written_copy(path: Path, text: str) -> bool:
    opening = _opening(path, COPY_HEADER.split("{source}")[0])
    return opening is not None and text.startswith(opening)


def copy(sources: list[Path], target: Path) -> None:
    """Copy hand-written files into `target`, the source's header replaced by the copy's."""
    target.mkdir(parents=True, exist_ok=True)
    for source in sources:
        text = source.read_text(encoding="utf-8")
        first, _, rest = text.partition("\n")
        opening = _opening(source, SOURCE_HEADER)
        if opening is None or not first.startswith(opening):
            sys.exit(
                f"copy: {source} must start with a comment `{SOURCE_HEADER}<folder>` "
                "(hand-written code says so)"
            )
        header = COMMENT[source.suffix or source.name].format(
            COPY_HEADER.format(source=source.as_posix())
        )
        (target / source.name).write_text(f"{header}\n{rest}", encoding="utf-8")


def stamp(paths: list[Path], spec: str) -> None:
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            line = header_line(path, spec)
            if line is None:
                continue
            text = path.read_text(encoding="utf-8")
            if not text.startswith(line) and not is_hand_written_copy(path, text):
                path.write_text(f"{line}\n{text}", encoding="utf-8")


def offline_docs(path: Path, spec: str) -> None:
    html = path.read_text(encoding="utf-8")
    for remote, local in OFFLINE_REPLACEMENTS.items():
        html = html.replace(remote, local)
    # The attribution link (its logo and target made local above) would dangle: hide it.
    if HIDE_ATTRIBUTION not in html:
        html = html.replace("</head>", f"{HIDE_ATTRIBUTION}</head>", 1)
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


def _apikey() -> list[dict[str, str]]:
    return [
        {"key": "key", "value": "X-API-Key", "type": "string"},
        {"key": "value", "value": "{{apiKey}}", "type": "string"},
        {"key": "in", "value": "header", "type": "string"},
    ]


def _bearer_and_apikey() -> dict[str, Any]:
    """The bearer token (fetched for the key by the collection's pre-request script) active;
    the API key ready when `type` is switched to `apikey`."""
    return {
        "type": "bearer",
        "bearer": [{"key": "token", "value": "{{bearerToken}}", "type": "string"}],
        "apikey": _apikey(),
    }


def _schemes(operation: dict[str, Any], spec: dict[str, Any]) -> set[str]:
    requirements = operation.get("security", spec.get("security", []))
    return {name for requirement in requirements for name in requirement}


def _auth(item: dict[str, Any], operation: dict[str, Any], spec: dict[str, Any]) -> None:
    schemes = _schemes(operation, spec)
    if not schemes:
        item["request"]["auth"] = {"type": "noauth"}
    elif "BearerAuth" not in schemes:  # the token endpoint: the API key itself
        item["request"]["auth"] = {"type": "apikey", "apikey": _apikey()}
    else:
        item["request"].pop("auth", None)  # inherit the collection's: bearer or key


def _issues_token(operation: dict[str, Any]) -> bool:
    content = operation["responses"].get("200", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    return schema.get("$ref", "").endswith("/TokenResponse")


def _optional_form_fields_off(item: dict[str, Any]) -> None:
    """Optional form fields (e.g. `scope`) off: by default a token carries all the key's scopes."""
    for field in item["request"].get("body", {}).get("urlencoded", []):
        if not field.get("description", {}).get("content", "").startswith("(Required)"):
            field["disabled"] = True


def _requests(items: list[dict[str, Any]]):
    for item in items:
        if "item" in item:
            yield from _requests(item["item"])
        else:
            yield item


def normalise(source: Path, spec_path: Path, spec: str) -> str:
    collection = json.loads(source.read_text(encoding="utf-8"))
    spec_data = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    operations = _operations(spec_data)
    collection["auth"] = _bearer_and_apikey()
    collection["event"] = postman_scripts.collection_events()
    for item in _requests(collection["item"]):
        operation = operations[item["name"]]
        _auth(item, operation, spec_data)
        if _issues_token(operation):
            _optional_form_fields_off(item)
        item["event"] = postman_scripts.tests(operation, _issues_token(operation))
    variables = {v["key"]: v for v in collection.get("variable", [])}
    for key, value in postman_scripts.VARIABLES.items():
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
    sub.add_parser("copy").add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args()
    if args.step == "copy":
        if len(args.paths) < 2:
            parser.error("copy: SOURCE... DIR")
        copy(args.paths[:-1], args.paths[-1])
    elif args.step == "stamp":
        stamp(args.paths, args.spec)
    elif args.step == "docs":
        offline_docs(args.paths[0], args.spec)
    else:
        postman(*args.paths[:3], Path(args.spec), args.spec)


if __name__ == "__main__":
    main()
