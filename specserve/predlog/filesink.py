"""The file sink: JSON lines, one file per worker, whole lines only, bounded on disk.

Each worker appends to its own file (`predictions-<UTC start>-<pid>.jsonl`, so names sort by
age) with one `os.write` of complete lines per batch on an O_APPEND descriptor: no two
processes share a file, and a line is never interleaved. A write that comes back short (a
full disk) is cut back to the last whole line. A worker killed in the middle of a large
write may still leave a final fragment, so a starting worker trims the fragment off the
files of workers that are gone, and a reader ignores a last line without its newline.

A batch can span a rotation: when a later chunk fails, the error says how many records were
already written or counted too large (`PartlyWritten.written`), and only the rest is retried.

A file that would grow past `max_bytes` is closed and a new one begun; past `files` files in
the directory (every worker's), the oldest go, except a file a running worker still writes.
With `files` at least the number of workers, the log's disk is bounded by files × max bytes.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from pathlib import Path
from typing import Any

import orjson

PATTERN = re.compile(r"^predictions-\d{8}T\d{6}\.\d{6}Z-(\d+)\.jsonl$")
TAIL = 1024 * 1024  # bytes a trim reads back to find the last newline


class PartlyWritten(OSError):
    """A write that failed after its first `written` records were written (or dropped as too
    large): the writer retries only the rest."""

    def __init__(self, written: int) -> None:
        super().__init__(f"failed after {written} records")
        self.written = written


class FileSink:
    kind = "file"

    def __init__(self, directory: Path, max_bytes: int, files: int) -> None:
        self.directory = directory
        self.max_bytes = max_bytes
        self.files = files
        self.fd: int | None = None
        self.path: Path | None = None
        self.size = 0
        self.too_large = 0  # records dropped for being larger than a file

    def open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o750)
        trim_orphans(self.directory)

    def describe(self) -> str:
        return f"files in {self.directory}"

    def refused(self, exc: Exception) -> bool:
        """A record that cannot be serialised: retrying cannot help."""
        return isinstance(exc, TypeError | ValueError)

    def unreachable(self, exc: Exception) -> bool:
        return isinstance(exc, OSError)

    def write(self, records: list[dict[str, Any]]) -> None:
        """Write every record as a line; on a failure `PartlyWritten` says how many of the
        first records are done (written, or counted too large once)."""
        chunk: list[bytes] = []
        size = skipped = done = 0
        for i, record in enumerate(records):  # as many whole lines per write as fit the file
            line = orjson.dumps(record, option=orjson.OPT_SERIALIZE_NUMPY) + b"\n"
            if len(line) > self.max_bytes:
                skipped += 1  # counted once the records before it are done
                continue
            if self.fd is None or self.size + size + len(line) > self.max_bytes:
                self._write(b"".join(chunk), done)
                chunk, size, done = [], 0, i
                self.too_large, skipped = self.too_large + skipped, 0
                if self.fd is None or self.size + len(line) > self.max_bytes:
                    try:
                        self._rotate()
                    except OSError:
                        raise PartlyWritten(done) from None
            chunk.append(line)
            size += len(line)
        self._write(b"".join(chunk), done)
        self.too_large += skipped

    def _write(self, data: bytes, done: int) -> None:
        """Append whole lines, or none (`done`: the records written before them)."""
        if not data or self.fd is None:
            return
        try:
            written = os.write(self.fd, data)
        except OSError:
            written = -1
        if written != len(data):  # never leave half a line behind
            with contextlib.suppress(OSError):
                os.ftruncate(self.fd, self.size)
            raise PartlyWritten(done)
        self.size += written

    def _rotate(self) -> None:
        self.close()
        path = self.directory / file_name(time.time(), os.getpid())
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
        self.fd = os.open(path, flags, 0o640)
        self.path, self.size = path, os.fstat(self.fd).st_size
        self._prune()

    def _prune(self) -> None:
        """Remove the oldest files beyond the count, never one a running worker writes (its
        newest): with at least as many files allowed as workers, the count always holds."""
        names = sorted(p for p in os.listdir(self.directory) if PATTERN.match(p))
        newest: dict[int, str] = {}
        for name in names:
            newest[pid_of(name)] = name
        writing = {name for pid, name in newest.items() if alive(pid)}
        excess = len(names) - self.files
        for name in names:
            if excess <= 0:
                break
            if name in writing:
                continue
            with contextlib.suppress(OSError):
                (self.directory / name).unlink()
            excess -= 1

    def close(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None


def file_name(t: float, pid: int) -> str:
    """`predictions-<UTC time to the microsecond>-<pid>.jsonl`, from one reading of the clock
    (microseconds truncated, never rounded up to a whole second), so names sort by age."""
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(t))
    return f"predictions-{stamp}.{min(999_999, int(t % 1 * 1e6)):06d}Z-{pid}.jsonl"


def pid_of(name: str) -> int:
    match = PATTERN.match(name)
    return int(match.group(1)) if match else 0


def trim_orphans(directory: Path) -> None:
    """Cut a final fragment off the files of processes that no longer run."""
    for name in os.listdir(directory):
        match = PATTERN.match(name)
        if match is None or alive(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            trim(directory / name)


def trim(path: Path) -> None:
    with open(path, "rb+") as f:
        size = f.seek(0, os.SEEK_END)
        if size == 0:
            return
        start = max(0, size - TAIL)
        f.seek(start)
        tail = f.read()
        if tail.endswith(b"\n"):
            return
        cut = tail.rfind(b"\n")
        f.truncate(start + cut + 1 if cut >= 0 else (0 if start == 0 else size))


def alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
