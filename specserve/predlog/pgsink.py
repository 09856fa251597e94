"""The PostgreSQL sink: the `prediction_log` table, filled by COPY from the writer thread.

The table is created if absent (under an advisory lock, as the key store creates its own:
`specserve.auth.pgschema`); `inputs`, `outputs` and `shadow` are jsonb, and an index on
(model, time) serves replay's and a team's queries. Rows older than the retention are
deleted at most once an hour, after the rows are in: a failed deletion is logged and tried
again at the next write, never raised (the rows are committed; a retry would write them twice).
A failed connection or write raises to the writer, which keeps the batch, backs off and
reconnects: the request path never waits on the database. A batch the database refuses for
its data (`refused`) is dropped by the writer. `jsonb` and `text` cannot hold the character
U+0000, which any string input may carry: it is stored as U+FFFD.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from typing import Any

import orjson
import psycopg

from specserve.auth.pgstore import CONNECT  # the same fail-fast connection settings

TABLE = "prediction_log"
SCHEMA_LOCK = 0x5350_5052_4544  # pg_advisory_xact_lock id: concurrent start-ups wait
COLUMNS = (
    "time",
    "request_id",
    "trace_id",
    "key_id",
    "route",
    "model",
    "version",
    "inputs",
    "outputs",
    "latency_ms",
    "shadow",
)
JSON = {"inputs", "outputs", "shadow"}
SCHEMA = [
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        id bigserial PRIMARY KEY,
        time timestamptz NOT NULL,
        request_id text,
        trace_id text,
        key_id text,
        route text,
        model text NOT NULL,
        version text NOT NULL,
        inputs jsonb NOT NULL,
        outputs jsonb NOT NULL,
        latency_ms double precision,
        shadow jsonb
    )""",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_model_time_idx ON {TABLE} (model, time)",
]
RETENTION_EVERY = 3600.0
# an escaped U+0000 in JSON text: `\u0000` after an even number of backslashes
NUL_ESCAPE = re.compile(rb"(?<!\\)((?:\\\\)*)\\u0000")

log = logging.getLogger("specserve.predlog")


def create_schema(conn: Any) -> None:
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        for statement in SCHEMA:
            conn.execute(statement)


class PostgresSink:
    kind = "postgresql"

    def __init__(self, url: str, retention_days: float) -> None:
        self._url = url
        self.retention_days = retention_days
        self.conn: Any = None
        self._pruned = 0.0

    def describe(self) -> str:
        return "the PostgreSQL table prediction_log"

    def open(self) -> None:
        """Nothing until the first write: start-up never waits on the database."""

    def _connect(self) -> Any:
        if self.conn is None or self.conn.closed:
            conn = psycopg.connect(self._url, **CONNECT)
            try:
                create_schema(conn)
            except Exception:
                conn.close()
                raise
            self.conn = conn
        return self.conn

    def write(self, records: list[dict[str, Any]]) -> None:
        try:
            conn = self._connect()
            with (
                conn.cursor() as cur,
                cur.copy(f"COPY {TABLE} ({', '.join(COLUMNS)}) FROM STDIN") as copy,
            ):
                for record in records:
                    copy.write_row([_value(record, c) for c in COLUMNS])
        except Exception:
            self.close()
            raise
        self._retain()

    def refused(self, exc: Exception) -> bool:
        """The database refused the batch's data (or a value would not serialise): the same
        batch would be refused again."""
        return isinstance(exc, psycopg.DataError | TypeError | ValueError)

    def unreachable(self, exc: Exception) -> bool:
        return isinstance(exc, psycopg.OperationalError | OSError)

    def _retain(self) -> None:
        now = time.monotonic()
        if self.retention_days <= 0 or (self._pruned and now - self._pruned < RETENTION_EVERY):
            return
        try:
            self._connect().execute(
                f"DELETE FROM {TABLE} WHERE time < now() - make_interval(secs => %s)",
                (self.retention_days * 86400,),
            )
        except Exception as exc:  # the rows are in: never raise (the batch would be rewritten)
            log.warning("prediction log: retention not applied (%s)", type(exc).__name__)
            self.close()
            return
        self._pruned = now

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(Exception):
                self.conn.close()
            self.conn = None


def _value(record: dict[str, Any], column: str) -> Any:
    value = record.get(column)
    if column in JSON and value is not None:
        text = orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY)
        if b"\\u0000" in text:
            text = NUL_ESCAPE.sub(rb"\1\\ufffd", text)
        return text.decode()
    if isinstance(value, str) and "\0" in value:
        return value.replace("\0", "\ufffd")
    return value
