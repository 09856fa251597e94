"""Settings validated once, before anything starts (the CLI, gunicorn.conf.py).

A bad setting stops start-up with one line per bad variable, naming it, its value and what is
allowed, and exit status 2; never a traceback.
"""

from __future__ import annotations

import sys
from typing import Any, NoReturn

from pydantic import ValidationError

from specserve.config import Settings

PREFIX = "SPECSERVE_"
HIDDEN = {"jwt_secret", "redis_url"}  # values that may hold credentials are never echoed
EXIT_BAD_SETTING = 2


def load_settings() -> Settings:
    """`Settings()` from the environment, or exit 2 with one line per bad variable."""
    try:
        return Settings()
    except ValidationError as exc:
        fail([describe(dict(error)) for error in exc.errors(include_url=False)])
    except OSError as exc:  # e.g. an unreadable SPECSERVE_JWT_SECRET_FILE
        fail([f"cannot read {exc.filename}: {exc.strerror}"])


def fail(lines: list[str]) -> NoReturn:
    for line in lines:
        print(f"specserve: {line}", file=sys.stderr)
    raise SystemExit(EXIT_BAD_SETTING)


def describe(error: dict[str, Any]) -> str:
    """One line: the variable, its value and what is allowed."""
    if not error["loc"]:  # a check across settings; its message names the variables
        return _message(error)
    field = str(error["loc"][0])
    value = "<hidden>" if field in HIDDEN else repr(error["input"])
    return f"{PREFIX}{field.upper()}={value} is not allowed: {allowed(error)}"


def allowed(error: dict[str, Any]) -> str:
    kind, ctx = error["type"], error.get("ctx", {})
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "greater_than": ("more than", "gt"),
        "less_than_equal": ("at most", "le"),
        "less_than": ("less than", "lt"),
    }
    if kind == "literal_error":
        return f"expected one of {ctx['expected'].replace(chr(39), '')} (any case)"
    if kind in bounds:
        words, key = bounds[kind]
        return f"expected {words} {ctx[key]}"
    return {
        "int_parsing": "expected a whole number",
        "float_parsing": "expected a number",
        "bool_parsing": "expected true or false",
    }.get(kind) or _message(error)


def _message(error: dict[str, Any]) -> str:
    return str(error["msg"]).removeprefix("Value error, ")
