"""`specserve keys`: create, list, revoke and rotate API keys.

specserve keys create --name NAME [--scopes S,S] [--tier T] [--expires 30d] [--models M,M]
                      [--quiet]
specserve keys list
specserve keys revoke KEY_ID
specserve keys rotate KEY_ID [--grace 24h]

Keys live in the store the settings name: PostgreSQL with SPECSERVE_KEYS_URL, else the key
file SPECSERVE_KEYS_FILE.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import timedelta
from typing import Any

from specserve.auth.records import known_scopes
from specserve.auth.store import ApiKeyStore, open_store

_DURATION = re.compile(r"^(\d+)([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def duration(text: str) -> timedelta:
    match = _DURATION.match(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"bad duration {text!r}: use e.g. 90s, 15m, 24h, 30d")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def scopes(text: str) -> list[str]:
    return [s for s in re.split(r"[,\s]+", text.strip()) if s]


opened: list[ApiKeyStore] = []  # closed by `specserve.cli.main` when the command ends


def store_for(args: argparse.Namespace) -> ApiKeyStore:
    store = open_store(args.settings, watch=False)
    opened.append(store)
    return store


def cmd_create(args: argparse.Namespace) -> int:
    record, key = store_for(args).create(
        args.name, args.scopes, args.tier, args.expires, args.models
    )
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
    records = store_for(args).records()
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
    record = store_for(args).revoke(args.key_id)
    print(f"Revoked key {record.id} ({record.name}).")
    return 0


def cmd_scopes(args: argparse.Namespace) -> int:
    if args.set is None and not args.add and not args.remove:
        print("error: give --set, --add or --remove", file=sys.stderr)
        return 2
    record = store_for(args).set_scopes(
        args.key_id, scopes=args.set, add=args.add or [], remove=args.remove or []
    )
    print(f"Key {record.id} ({record.name}) now has the scopes: {' '.join(record.scopes)}.")
    return 0


def cmd_rotate(args: argparse.Namespace) -> int:
    record, key = store_for(args).rotate(args.key_id, args.grace)
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


def register(sub: Any) -> None:
    """Add `keys` and its subcommands to the `specserve` parser."""
    keys = sub.add_parser("keys", help="manage API keys").add_subparsers(
        dest="action", required=True
    )
    create = keys.add_parser("create", help="create a key and print it once")
    create.add_argument("--name", required=True)
    create.add_argument(
        "--scopes",
        type=scopes,
        default=None,
        help=f"comma-separated, from: {', '.join(known_scopes())} (default: all but admin)",
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
    rescope = keys.add_parser("scopes", help="change a key's scopes (its tokens follow at once)")
    rescope.add_argument("key_id")
    known = ", ".join(known_scopes())
    rescope.add_argument("--set", type=scopes, help=f"replace them, comma-separated ({known})")
    rescope.add_argument("--add", type=scopes, help="add these")
    rescope.add_argument("--remove", type=scopes, help="remove these")
    rescope.set_defaults(func=cmd_scopes)
    rotate = keys.add_parser("rotate", help="new secret; the old one valid for --grace")
    rotate.add_argument("key_id")
    rotate.add_argument("--grace", type=duration, default=timedelta(hours=24))
    rotate.add_argument("--quiet", action="store_true", help="print only the new key")
    rotate.set_defaults(func=cmd_rotate)
