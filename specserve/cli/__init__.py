"""`specserve` command line: API keys, first-run set-up, model versions.

specserve keys ...           # API keys: specserve/cli/keys.py
specserve init               # first run: specserve/cli/init.py
specserve models ...         # model versions: specserve/cli/models.py
specserve predictions ...    # the prediction log, replayed: specserve/cli/predictions.py

Exit status: 0 done, 1 the store is unreachable (or, for `models`, something is refused),
2 refused or bad usage.
"""

from __future__ import annotations

import argparse
import logging
import sys

from specserve.auth.records import KeyStoreError, KeyStoreUnavailable
from specserve.cli import init, keys, models, predictions
from specserve.config import load_settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="specserve", description="specserve administration")
    sub = parser.add_subparsers(dest="command", required=True)
    keys.register(sub)
    init.register(sub)
    models.register(sub)
    predictions.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.settings = load_settings()  # checked once, before any command runs: one line, exit 2
    # the database driver's own retry warnings would repeat the one line printed below
    logging.getLogger("psycopg").addHandler(logging.NullHandler())
    try:
        return args.func(args)
    except KeyStoreUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyStoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        while keys.opened:
            keys.opened.pop().close()
