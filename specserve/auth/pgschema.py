"""SQL of the PostgreSQL key store: the schema (idempotent) and the row mapping.

Tables live in the first schema of the connection's `search_path` (add
`?options=-csearch_path%3Dmyschema` to the URL to pick one). `specserve_api_keys` holds one
row per key; `specserve_api_keys_version` one counter that every write bumps in its own
transaction. The counter's row lock orders writers, so a reader that has seen version N has
seen every row written up to N: a sync reads only the rows with `version > N`.
`specserve_usage_daily` holds usage per identity, model and UTC day, upserted from the live
counters in the background (`specserve.ratelimit.durable`), never on the request path.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from psycopg.types.json import Jsonb

from specserve.auth.records import KeyRecord, from_iso, to_iso

KEYS = "specserve_api_keys"
VERSION = "specserve_api_keys_version"
USAGE = "specserve_usage_daily"
SCHEMA_LOCK = 0x5350_4B45_5953  # pg_advisory_xact_lock id: concurrent start-ups wait

SCHEMA = [
    f"""CREATE TABLE IF NOT EXISTS {VERSION} (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        version bigint NOT NULL
    )""",
    f"INSERT INTO {VERSION} (id, version) VALUES (true, 0) ON CONFLICT (id) DO NOTHING",
    f"""CREATE TABLE IF NOT EXISTS {KEYS} (
        id text PRIMARY KEY,
        name text NOT NULL,
        hash text NOT NULL,
        scopes text[] NOT NULL,
        tier text NOT NULL,
        created timestamptz,
        expires timestamptz,
        revoked timestamptz,
        previous_hash text,
        previous_expires timestamptz,
        generation integer NOT NULL DEFAULT 0,
        models text[],
        extra jsonb NOT NULL DEFAULT '{{}}'::jsonb,
        version bigint NOT NULL
    )""",
    f"CREATE INDEX IF NOT EXISTS {KEYS}_version_idx ON {KEYS} (version)",
    # tables made before quotas; the ALTER only when the column is missing: even with
    # IF NOT EXISTS it waits for an exclusive lock on the table, i.e. for every open
    # transaction that read it, and start-ups would queue behind them
    f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema =
                current_schema() AND table_name = '{KEYS}' AND column_name = 'quota') THEN
            ALTER TABLE {KEYS} ADD COLUMN quota text;
        END IF;
    END $$""",
    f"""CREATE TABLE IF NOT EXISTS {USAGE} (
        identity text NOT NULL,
        model text NOT NULL,
        day date NOT NULL,
        requests bigint NOT NULL,
        units bigint NOT NULL,
        ok bigint NOT NULL,
        client_error bigint NOT NULL,
        server_error bigint NOT NULL,
        PRIMARY KEY (day, identity, model)
    )""",
]

COLUMNS = [f.name for f in fields(KeyRecord)]
TIMES = {"created", "expires", "revoked", "previous_expires"}

SELECT_VERSION = f"SELECT version FROM {VERSION}"
BUMP_VERSION = f"UPDATE {VERSION} SET version = version + 1 RETURNING version"
SELECT_ALL = f"SELECT {', '.join(COLUMNS)}, version FROM {KEYS} ORDER BY created, id"
SELECT_SINCE = f"SELECT {', '.join(COLUMNS)}, version FROM {KEYS} WHERE version > %s"
SELECT_ONE = f"SELECT {', '.join(COLUMNS)}, version FROM {KEYS} WHERE id = %s"
UPSERT = (
    f"INSERT INTO {KEYS} ({', '.join(COLUMNS)}, version) "
    f"VALUES ({', '.join(['%s'] * (len(COLUMNS) + 1))}) "
    f"ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in [*COLUMNS[1:], "version"])
)


def create_schema(conn: Any) -> None:
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        for statement in SCHEMA:
            conn.execute(statement)


def to_record(row: tuple) -> tuple[KeyRecord, int]:
    values = dict(zip([*COLUMNS, "version"], row, strict=True))
    version = values.pop("version")
    for name in TIMES:
        values[name] = to_iso(values[name])
    values["scopes"] = list(values["scopes"])
    values["extra"] = dict(values["extra"] or {})
    return KeyRecord(**values), version


def to_row(record: KeyRecord, version: int) -> list:
    row = []
    for name in COLUMNS:
        value = getattr(record, name)
        if name in TIMES:
            value = from_iso(value)
        elif name == "extra":
            value = Jsonb(value)
        row.append(value)
    return [*row, version]
