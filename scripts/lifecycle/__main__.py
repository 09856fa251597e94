"""python -m scripts.lifecycle check | release --version X.Y.Z (see mk/lifecycle.mk)."""

from __future__ import annotations

import argparse
import datetime
import sys
from functools import partial
from pathlib import Path

import yaml

from scripts.lifecycle import gate, release, tool


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.lifecycle")
    parser.add_argument("command", choices=("check", "release"))
    parser.add_argument("--version", help="the release's MAJOR.MINOR.PATCH (release)")
    parser.add_argument("--spec", type=Path, default=gate.Layout.spec)
    parser.add_argument("--released", type=Path, default=gate.Layout.released)
    parser.add_argument("--changelog", type=Path, default=gate.Layout.changelog)
    parser.add_argument("--target", default=gate.Layout.target, help="its make target")
    parser.add_argument("--openapi-diff", type=Path, help="the npm openapi-diff command")
    args = parser.parse_args(argv)
    layout = gate.Layout(args.spec, args.released, args.changelog, args.target)
    differ = partial(tool.run, command=args.openapi_diff) if args.openapi_diff else None
    try:
        if args.command == "release":
            day = datetime.datetime.now(datetime.UTC).date().isoformat()
            problems = release.release(layout, args.version or "", differ, day)
        else:
            problems = gate.check(layout, differ)
    except (OSError, RuntimeError, ValueError, KeyError, yaml.YAMLError) as exc:
        print(f"{args.command}: {type(exc).__name__}: {str(exc)[:300]}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem, file=sys.stderr)
    if args.command == "check" and not problems:
        print(f"breaking: {args.spec} is covered by its info.version and {args.changelog}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
