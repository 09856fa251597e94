"""What the SDK generators need from the spec beyond their own parsers: per operation its id,
whether it is safe to retry (`x-idempotent`, else the HTTP method's semantics), and its
documented error statuses with their descriptions ($refs resolved).

    python scripts/spec_operations.py --spec SPEC --jinja OUT.jinja --typescript OUT.ts

`--jinja` writes a template the Python SDK's templates import (`spec_data.jinja`: one
`operations` dict keyed by "METHOD /path"); `--typescript` writes `operations.gen.ts`, the
table the TypeScript client's methods read. Output is deterministic.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import yaml

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
IDEMPOTENT_METHODS = {"get", "put", "delete", "options", "head", "trace"}


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _first_line(text: str) -> str:
    return " ".join(text.strip().split("\n\n")[0].split())


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per operation, in the spec's order."""
    found = []
    for path, item in spec["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            responses = {str(code): resolve(spec, r) for code, r in op["responses"].items()}
            found.append(
                {
                    "operation_id": op["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "idempotent": bool(op.get("x-idempotent", method in IDEMPOTENT_METHODS)),
                    "public": op.get("security", spec.get("security")) == [],
                    "raises": [
                        [int(code), _first_line(r.get("description", ""))]
                        for code, r in responses.items()
                        if code.isdigit() and int(code) >= 400
                    ],
                }
            )
    return found


def jinja(ops: list[dict[str, Any]], spec_name: str) -> str:
    table = {f"{op['method'].lower()} {op['path']}": op for op in ops}
    # A Python literal is a Jinja literal (strings, numbers, lists, dicts, True/False).
    header = f"{{# generated from {spec_name} by scripts/spec_operations.py #}}"
    return f"{header}\n{{% set operations = {table!r} %}}\n"


def typescript(ops: list[dict[str, Any]], spec_name: str) -> str:
    lines = [
        "/** Per operation: method, path and whether a retry is safe (`x-idempotent`). */",
        "export const OPERATIONS = {",
    ]
    for op in ops:
        entry = {"method": op["method"], "path": op["path"], "idempotent": op["idempotent"]}
        lines.append(f"  {op['operation_id']}: {json.dumps(entry)},")
    lines += ["} as const;", "", "export type OperationId = keyof typeof OPERATIONS;", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", required=True, type=Path)
    parser.add_argument("--jinja", type=Path)
    parser.add_argument("--typescript", type=Path)
    args = parser.parse_args()
    ops = operations(yaml.safe_load(args.spec.read_text(encoding="utf-8")))
    if args.jinja:
        args.jinja.write_text(jinja(ops, str(args.spec)), encoding="utf-8")
    if args.typescript:
        args.typescript.write_text(typescript(ops, str(args.spec)), encoding="utf-8")


if __name__ == "__main__":
    main()
