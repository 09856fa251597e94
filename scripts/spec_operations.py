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
import sys
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from specserve.spec import METHODS, parse_operations, resolve  # noqa: E402  (the one reader)

__all__ = ["METHODS", "operations", "resolve"]


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per operation, in the spec's order, as `specserve.spec` reads it."""
    return [
        {
            "operation_id": op.operation_id,
            "method": op.method,
            "path": op.template,
            "summary": op.summary,
            "idempotent": op.idempotent,
            "public": op.public,
            "raises": [list(r) for r in op.raises],
        }
        for op in parse_operations(spec).values()
    ]


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
