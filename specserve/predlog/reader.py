"""Reading the prediction log back (replay, a team's own tools): either sink, one model,
since a time, the most recent rows first cut to a limit, returned oldest first.

A file's last line without its newline (a worker killed mid-write) is not a record and is
skipped, as is any line that does not parse; neither stops the reading.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from specserve.predlog.filesink import PATTERN
from specserve.predlog.sinks import Target


def read(
    target: Target, model: str, since: str | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """The records of `model` logged at `since` (ISO, UTC `Z`) or later, at most `limit` of
    the most recent, in time order."""
    if target.kind == "file":
        assert target.directory is not None
        matching = (
            r
            for r in file_records(target.directory)
            if r.get("model") == model and (since is None or str(r.get("time", "")) >= since)
        )
        if limit is None:
            return sorted(matching, key=_time)
        return sorted(heapq.nlargest(limit, matching, key=_time), key=_time)
    assert target.url is not None
    return pg_records(target.url, model, since, limit)


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
    out = []
    for row in reversed(rows):
        record = dict(zip(COLUMNS, row, strict=True))
        when = record["time"]
        if isinstance(when, datetime):
            record["time"] = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        if record.get("shadow") is None:
            record.pop("shadow", None)
        out.append(record)
    return out
