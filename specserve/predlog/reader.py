"""Reading the prediction log back (replay, a team's own tools): either sink, one model,
since a time. With a limit, the most recent rows, returned oldest first; without one, every
row streamed (a file log file by file, PostgreSQL through a server-side cursor), so a log
of any size is read in bounded memory.

A file's last line without its newline (a worker killed mid-write) is not a record and is
skipped, as is any line that does not parse; neither stops the reading.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from specserve.predlog.filesink import PATTERN
from specserve.predlog.records import TIME_FORMAT
from specserve.predlog.sinks import Target


def read(
    target: Target, model: str, since: str | None = None, limit: int | None = None
) -> Iterable[dict[str, Any]]:
    """The records of `model` logged at `since` (ISO, UTC `Z`) or later: at most `limit` of
    the most recent in time order, or (no limit) all of them as they are read."""
    if target.kind == "file":
        assert target.directory is not None
        matching = (
            r
            for r in file_records(target.directory)
            if r.get("model") == model and (since is None or str(r.get("time", "")) >= since)
        )
        if limit is None:
            return matching
        return sorted(heapq.nlargest(limit, matching, key=_time), key=_time)
    assert target.url is not None
    if limit is None:
        return pg_stream(target.url, model, since)
    return pg_records(target.url, model, since, limit)


STREAM = 2000  # rows a PostgreSQL stream fetches at once


def _time(record: dict[str, Any]) -> str:
    return str(record.get("time", ""))


def file_records(directory: Path) -> Iterator[dict[str, Any]]:
    """Every whole, parseable line of every log file in `directory`."""
    try:
        names = sorted(n for n in os.listdir(directory) if PATTERN.match(n))
    except FileNotFoundError:
        return
    for name in names:
        try:
            data = (directory / name).read_bytes()
        except OSError:
            continue  # removed by rotation meanwhile
        end = data.rfind(b"\n")
        for line in data[: end + 1].splitlines():
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue
            if isinstance(record, dict):
                yield record


def pg_records(url: str, model: str, since: str | None, limit: int | None) -> list[dict[str, Any]]:
    import psycopg

    from specserve.predlog.pgsink import COLUMNS, TABLE

    query = f"SELECT {', '.join(COLUMNS)} FROM {TABLE} WHERE model = %s"
    params: list[Any] = [model]
    if since is not None:
        query += " AND time >= %s"
        params.append(since)
    query += " ORDER BY time DESC, id DESC"
    if limit is not None:
        query += " LIMIT %s"
        params.append(limit)
    with psycopg.connect(url, connect_timeout=5) as conn:
        exists = conn.execute("SELECT to_regclass(%s)", (TABLE,)).fetchone()
        if not exists or exists[0] is None:
            return []
        rows = conn.execute(query, params).fetchall()
    return [_record(row) for row in reversed(rows)]


def pg_stream(url: str, model: str, since: str | None) -> Iterator[dict[str, Any]]:
    """Every row of `model` since `since`, oldest first, fetched `STREAM` at a time."""
    import psycopg

    from specserve.predlog.pgsink import COLUMNS, TABLE

    query = f"SELECT {', '.join(COLUMNS)} FROM {TABLE} WHERE model = %s"
    params: list[Any] = [model]
    if since is not None:
        query += " AND time >= %s"
        params.append(since)
    query += " ORDER BY time, id"
    with psycopg.connect(url, connect_timeout=5) as conn:
        exists = conn.execute("SELECT to_regclass(%s)", (TABLE,)).fetchone()
        if not exists or exists[0] is None:
            return
        with conn.cursor(name="specserve_replay") as cur:
            cur.itersize = STREAM
            cur.execute(query, params)
            for row in cur:
                yield _record(row)


def _record(row: Any) -> dict[str, Any]:
    from specserve.predlog.pgsink import COLUMNS

    record = dict(zip(COLUMNS, row, strict=True))
    when = record["time"]
    if isinstance(when, datetime):
        record["time"] = when.astimezone(UTC).strftime(TIME_FORMAT)
    if record.get("shadow") is None:
        record.pop("shadow", None)
    return record
