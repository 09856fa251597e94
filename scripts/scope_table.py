"""The scope table of docs/authentication.md, written from the contract by `make generate`:
each OAuth2 scope, what the spec says it is for, and the operations that need it. A new scope
or operation reaches the guide with no hand edit; `check-generated` fails on drift.

    python scripts/scope_table.py --spec SPEC DOC.md
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from specserve.spec import parse_operations  # noqa: E402  (the one reader)

BEGIN = "<!-- scopes: written from the spec by `make generate`; do not edit -->"
END = "<!-- /scopes -->"


def table(raw: dict) -> str:
    flows = raw["components"]["securitySchemes"]["OAuth2"]["flows"]["clientCredentials"]
    operations = parse_operations(raw).values()
    rows = ["| Scope | For | Operations |", "|---|---|---|"]
    for scope, purpose in flows["scopes"].items():
        needs = [
            f"`{op.method} {op.template}`" + (" (optional: more detail)" if op.public else "")
            for op in operations
            if scope in op.scopes
        ]
        rows.append(f"| `{scope}` | {purpose} | {', '.join(needs) or '—'} |")
    return "\n".join(rows)


def rewrite(doc: str, raw: dict) -> str:
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if not pattern.search(doc):
        raise SystemExit(f"scope_table: the markers {BEGIN!r} ... {END!r} are missing")
    return pattern.sub(lambda _: f"{BEGIN}\n{table(raw)}\n{END}", doc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spec", type=Path, required=True)
    parser.add_argument("doc", type=Path)
    args = parser.parse_args()
    raw = yaml.safe_load(args.spec.read_text(encoding="utf-8"))
    args.doc.write_text(rewrite(args.doc.read_text(encoding="utf-8"), raw), encoding="utf-8")


if __name__ == "__main__":
    main()
