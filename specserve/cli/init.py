"""`specserve init`: first run — the token-signing secret file, and a key if none is active."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path
from typing import Any

from specserve.cli.keys import store_for
from specserve.config import Settings

FIRST_KEY_FILE = "first_api_key"


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
    store = store_for(args)
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


def register(sub: Any) -> None:
    """Add `init` to the `specserve` parser."""
    init = sub.add_parser("init", help="first run: token secret file, and a key if none")
    init.set_defaults(func=cmd_init)
