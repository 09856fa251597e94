"""`specserve` command line: API keys, first-run set-up.

specserve keys create --name NAME [--scopes S,S] [--tier T] [--expires 30d] [--models M,M]
                      [--quiet]
specserve keys list
specserve keys revoke KEY_ID
specserve keys rotate KEY_ID [--grace 24h]
specserve init               # first run: token secret file, and a key if none is active
specserve models ...         # model versions: see specserve/cli/models.py

Keys live in the store the settings name: PostgreSQL with SPECSERVE_KEYS_URL, else the key
file SPECSERVE_KEYS_FILE. Exit status: 0 done, 1 the store is unreachable, 2 refused.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import secrets
import sys
from datetime import timedelta
from pathlib import Path

from specserve.auth.records import SCOPES, KeyStoreError, KeyStoreUnavailable
from specserve.auth.store import ApiKeyStore, open_store
from specserve.cli import models as models_cli
from specserve.config import Settings, load_settings

FIRST_KEY_FILE = "first_api_key"
_DURATION = re.compile(r"^(\d+)([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def duration(text: str) -> timedelta:
    match = _DURATION.match(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"bad duration {text!r}: use e.g. 90s, 15m, 24h, 30d")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def scopes(text: str) -> list[str]:
    return [s for s in re.split(r"[,\s]+", text.strip()) if s]


_store_opened: list[ApiKeyStore] = []


def _store(args: argparse.Namespace) -> ApiKeyStore:
    store = open_store(args.settings, watch=False)
    _store_opened.append(store)
    return store


def cmd_create(args: argparse.Namespace) -> int:
    record, key = _store(args).create(args.name, args.scopes, args.tier, args.expires, args.models)
    if args.quiet:
        print(key)
        return 0
    models = ",".join(record.models) if record.models is not None else "all"
    print(
        f"Created key {record.id} ({record.name}); scopes: {' '.join(record.scopes)}; "
        f"tier: {record.tier}; models: {models}; expires: {record.expires or 'never'}"
    )
    print("Store it now, it is not shown again:")
    print(f"  {key}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    records = _store(args).records()
    print(
        f"{'ID':12}  {'NAME':20}  {'STATE':8}  {'TIER':10}  {'CREATED':20}  {'EXPIRES':20}  "
        "SCOPES  [MODELS]"
    )
    for r in records:
        state = "revoked" if r.revoked else ("active" if r.is_active() else "expired")
        models = f"  [{','.join(r.models)}]" if r.models is not None else ""
        print(
            f"{r.id:12}  {r.name[:20]:20}  {state:8}  {r.tier[:10]:10}  {r.created or '-':20}"
            f"  {r.expires or '-':20}  {' '.join(r.scopes)}{models}"
        )
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    record = _store(args).revoke(args.key_id)
    print(f"Revoked key {record.id} ({record.name}).")
    return 0


def cmd_rotate(args: argparse.Namespace) -> int:
    record, key = _store(args).rotate(args.key_id, args.grace)
    if args.quiet:
        print(key)
        return 0
    until = record.previous_expires or "now (no grace period)"
    print(
        f"Rotated key {record.id}; the old secret and the tokens issued with it stay valid "
        f"until {until}."
    )
    print("New key (store it now, it is not shown again):")
    print(f"  {key}")
    return 0


def ensure_jwt_secret(settings: Settings) -> None:
    """Create the token-signing secret file on first run (random, mode 0600)."""
    path = settings.jwt_secret_file
    if settings.jwt_secret is not None or path is None or path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_urlsafe(48) + "\n")
    print(f"Created the token-signing secret {path} (bearer tokens are on).")


def cmd_init(args: argparse.Namespace) -> int:
    settings = args.settings
    ensure_jwt_secret(settings)
    store = _store(args)
    if any(r.is_active() for r in store.records()):
        print(
            f"API keys exist in {store.describe()} (list them: .venv/bin/specserve keys list; "
            "create one: .venv/bin/specserve keys create --name NAME)."
        )
        return 0
    record, key = store.create("default")
    if sys.stdout.isatty():
        show_first_key(settings, key)
    else:  # stdout is collected (journald, container logs): the key goes to a file only
        path = write_first_key(settings, key)
        print(
            f"Created your first API key {record.id}; it is in {path} (mode 0600, written "
            "once: read it, store it elsewhere, delete the file)."
        )
    return 0


def show_first_key(settings: Settings, key: str) -> None:
    base = f"http://{settings.host}:{settings.port}/v1"
    print("Created your first API key (shown once; only its hash is stored):")
    print(f"  {key}")
    print("Try it:")
    print(
        f"  curl -s {base}/predict -H 'X-API-Key: {key}' -H 'Content-Type: application/json' "
        "-d '{\"features\": [1500.50, 2, 0.75]}'"
    )


def write_first_key(settings: Settings, key: str) -> Path:
    """The first key, in a new file beside the key store readable by its owner only."""
    path = settings.keys_file.parent / FIRST_KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)  # a key from an earlier first run that is no longer active
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key + "\n")
    return path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="specserve", description="specserve administration")
    sub = parser.add_subparsers(dest="command", required=True)
    keys = sub.add_parser("keys", help="manage API keys").add_subparsers(
        dest="action", required=True
    )
    create = keys.add_parser("create", help="create a key and print it once")
    create.add_argument("--name", required=True)
    create.add_argument(
        "--scopes",
        type=scopes,
        default=None,
        help=f"comma-separated, from: {', '.join(SCOPES)} (default: all but admin)",
    )
    create.add_argument("--tier", default="default", help="rate-limit tier")
    create.add_argument("--expires", type=duration, default=None, help="e.g. 30d, 12h")
    create.add_argument(
        "--models",
        type=scopes,
        default=None,
        help="comma-separated model names the key (and its tokens) may use (default: all)",
    )
    create.add_argument("--quiet", action="store_true", help="print only the key")
    create.set_defaults(func=cmd_create)
    keys.add_parser("list", help="list keys (never their secrets)").set_defaults(func=cmd_list)
    revoke = keys.add_parser("revoke", help="revoke a key at once")
    revoke.add_argument("key_id")
    revoke.set_defaults(func=cmd_revoke)
    rotate = keys.add_parser("rotate", help="new secret; the old one valid for --grace")
    rotate.add_argument("key_id")
    rotate.add_argument("--grace", type=duration, default=timedelta(hours=24))
    rotate.add_argument("--quiet", action="store_true", help="print only the new key")
    rotate.set_defaults(func=cmd_rotate)
    init = sub.add_parser("init", help="first run: token secret file, and a key if none")
    init.set_defaults(func=cmd_init)
    models_cli.register(sub)
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
        while _store_opened:
            _store_opened.pop().close()


if __name__ == "__main__":
    sys.exit(main())
