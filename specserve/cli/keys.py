"""`specserve keys`: create, list, revoke and rotate API keys.

specserve keys create --name NAME [--scopes S,S] [--tier T] [--expires 30d] [--models M,M]
                      [--quota ROWS/day|month|none] [--quiet]
specserve keys list
specserve keys update KEY_ID --quota ROWS/day|month|none|tier
specserve keys usage [KEY_ID | --identity key:ID|sub:SUBJECT] [--since YYYY-MM-DD] [--json]
specserve keys revoke KEY_ID
specserve keys rotate KEY_ID [--grace 24h]

Keys live in the store the settings name: PostgreSQL with SPECSERVE_KEYS_URL, else the key
file SPECSERVE_KEYS_FILE. Usage is read where the service counts it: Redis with
SPECSERVE_REDIS_URL (merged with PostgreSQL's copy when keys live there), else PostgreSQL's
copy only (an in-process store lives in the serving process).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from datetime import date, timedelta
from typing import Any

from specserve.auth.records import known_scopes
from specserve.auth.store import ApiKeyStore, open_store
from specserve.ratelimit import quotas
from specserve.ratelimit.quotas import IDENTITY  # not report: the CLI imports no metrics

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


def quota(text: str) -> str | None:
    """`--quota`: ROWS/day, ROWS/month, `none` (no quota), or `tier` (its tier's default)."""
    if text.strip().lower() == "tier":
        return None
    try:
        return quotas.normal(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc}; or none, or tier") from None


def day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"bad date {text!r}: use YYYY-MM-DD") from None


def usage_identity(text: str) -> str:
    """`key:<key id>` or `sub:<token subject>`, as usage names its identities."""
    if not IDENTITY.match(text):
        raise argparse.ArgumentTypeError(
            f"bad identity {text[:40]!r}: use key:<key id> or sub:<token subject>"
        )
    return text


def quota_text(record: Any, tiers: dict[str, str]) -> str:
    """A key's quota as operators read it: its own, or its tier's (marked), or none."""
    if record.quota is not None:
        return str(record.quota)
    return f"{tiers[record.tier]} (tier)" if record.tier in tiers else "none"


def cmd_create(args: argparse.Namespace) -> int:
    record, key = store_for(args).create(
        args.name, args.scopes, args.tier, args.expires, args.models, args.quota
    )
    if args.quiet:
        print(key)
        return 0
    models = ",".join(record.models) if record.models is not None else "all"
    tiers = quotas.parse_tiers(args.settings.quota_tiers)
    print(
        f"Created key {record.id} ({record.name}); scopes: {' '.join(record.scopes)}; "
        f"tier: {record.tier}; quota: {quota_text(record, tiers)}; models: {models}; "
        f"expires: {record.expires or 'never'}"
    )
    print("Store it now, it is not shown again:")
    print(f"  {key}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    records = store_for(args).records()
    tiers = quotas.parse_tiers(args.settings.quota_tiers)
    print(
        f"{'ID':12}  {'NAME':20}  {'STATE':8}  {'TIER':10}  {'QUOTA':24}  {'CREATED':20}  "
        f"{'EXPIRES':20}  SCOPES  [MODELS]"
    )
    for r in records:
        state = "revoked" if r.revoked else ("active" if r.is_active() else "expired")
        models = f"  [{','.join(r.models)}]" if r.models is not None else ""
        print(
            f"{r.id:12}  {r.name[:20]:20}  {state:8}  {r.tier[:10]:10}  "
            f"{quota_text(r, tiers)[:24]:24}  {r.created or '-':20}"
            f"  {r.expires or '-':20}  {' '.join(r.scopes)}{models}"
        )
    return 0


def cmd_update(args: argparse.Namespace) -> int:
    record = store_for(args).set_quota(args.key_id, args.quota)
    tiers = quotas.parse_tiers(args.settings.quota_tiers)
    print(f"Key {record.id} ({record.name}) now has the quota: {quota_text(record, tiers)}.")
    return 0


def cmd_usage(args: argparse.Namespace) -> int:
    from specserve.cli.usage import read_usage  # the limiter's store: only this command

    identity = args.identity or (f"key:{args.key_id}" if args.key_id else None)
    rows = asyncio.run(read_usage(args.settings, identity, args.since))
    if args.json:
        print(json.dumps([{**row, "day": row["day"].isoformat()} for row in rows], indent=2))
        return 0
    print(
        f"{'IDENTITY':40}  {'DAY':10}  {'MODEL':24}  {'REQUESTS':>9}  {'UNITS':>9}  "
        f"{'OK':>9}  {'4XX':>7}  {'5XX':>7}"
    )
    for r in rows:
        print(
            f"{r['identity'][:40]:40}  {r['day'].isoformat():10}  {r['model'][:24]:24}  "
            f"{r['requests']:>9}  {r['units']:>9}  {r['ok']:>9}  {r['client_error']:>7}  "
            f"{r['server_error']:>7}"
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
    create.add_argument(
        "--quota",
        type=quota,
        default=None,
        help="rows per UTC day or month, e.g. 10000/day; none: no quota (default: the tier's)",
    )
    create.add_argument("--quiet", action="store_true", help="print only the key")
    create.set_defaults(func=cmd_create)
    keys.add_parser("list", help="list keys (never their secrets)").set_defaults(func=cmd_list)
    update = keys.add_parser("update", help="change a key's quota (its tokens follow at once)")
    update.add_argument("key_id")
    update.add_argument(
        "--quota",
        type=quota,
        required=True,
        help="rows per UTC day or month, e.g. 10000/day; none: no quota; tier: the tier's",
    )
    update.set_defaults(func=cmd_update)
    usage = keys.add_parser("usage", help="usage per key, model and UTC day")
    which = usage.add_mutually_exclusive_group()
    which.add_argument("key_id", nargs="?", help="only this key (default: every identity)")
    which.add_argument(
        "--identity",
        type=usage_identity,
        help="only this identity: key:<key id> or sub:<token subject> (an identity provider's)",
    )
    usage.add_argument(
        "--since", type=day, default=None, help="first UTC day, YYYY-MM-DD (default: this month)"
    )
    usage.add_argument("--json", action="store_true", help="one JSON array of rows")
    usage.set_defaults(func=cmd_usage)
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
