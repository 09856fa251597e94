"""Where the prediction log goes, from `SPECSERVE_PREDICTION_LOG` (or replay's `--from`).

`file` means the default directory, `file:/a/dir` another one, and a `postgresql://` (or
`postgres://`) URL the database. The URL may hold a password: no message here repeats it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_DIR = Path("var/predictions")
HELP = "expected file, file:/a/directory or a postgresql://user@host:port/db URL"


@dataclass(frozen=True)
class Target:
    kind: str  # "file" or "postgresql"
    directory: Path | None = None
    url: str | None = None


def parse_target(text: str) -> Target:
    """The sink a setting names; ValueError (never echoing the text) when it names none."""
    text = text.strip()
    if text == "file":
        return Target("file", directory=DEFAULT_DIR)
    if text.startswith("file:") and len(text) > len("file:"):
        return Target("file", directory=Path(text.removeprefix("file:")))
    if text.startswith(("postgresql://", "postgres://")):
        from psycopg import ProgrammingError
        from psycopg.conninfo import conninfo_to_dict

        try:
            conninfo_to_dict(text)
        except ProgrammingError:
            raise ValueError(HELP) from None
        return Target("postgresql", url=text)
    raise ValueError(HELP)


def check_target(text: str) -> None:
    if text.strip():
        parse_target(text)
