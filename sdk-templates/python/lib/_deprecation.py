# hand-written: `make generate` copies this file into generated/python-client/specserve_client/lib/
"""Deprecation the service announces on its responses: `Deprecation: @<unix seconds>`
(RFC 9745), `Sunset: <HTTP-date>` (RFC 8594) and `Link: <url>; rel="deprecation"`.

The first response of a deprecated operation raises an `APIDeprecationWarning` (a
DeprecationWarning, attributed to the caller's line, so shown by default in `__main__`,
in pytest and under `-W error`) and logs one WARNING on the `specserve_client` logger (for
services, where DeprecationWarnings are hidden by default); later calls of that operation on
the same client (or its `with_options()` copies) stay quiet.
"""

from __future__ import annotations

import logging
import sys
import threading
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from types import FrameType

import httpx

logger = logging.getLogger("specserve_client")


class APIDeprecationWarning(DeprecationWarning):
    """An operation the service marks deprecated; `notice` says since when, until when, and where
    to read more."""

    def __init__(self, notice: DeprecationNotice) -> None:
        super().__init__(notice.message())
        self.notice = notice


@dataclass(frozen=True)
class DeprecationNotice:
    """What a response's Deprecation, Sunset and Link headers say about its operation."""

    operation: str
    deprecated_at: datetime | None
    sunset: datetime | None
    link: str | None

    def message(self) -> str:
        text = f"The operation {self.operation} is deprecated"
        if self.deprecated_at is not None and self.deprecated_at > datetime.now(timezone.utc):
            text = f"The operation {self.operation} will be deprecated on {self.deprecated_at:%Y-%m-%d}"
        elif self.deprecated_at is not None:
            text += f" since {self.deprecated_at:%Y-%m-%d}"
        if self.sunset is not None:
            text += f"; it may stop working after {self.sunset:%Y-%m-%d %H:%M} UTC (Sunset)"
        if self.link:
            text += f"; see {self.link}"
        return text + "."


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).astimezone(timezone.utc)
    except (TypeError, ValueError):
        return None


def _deprecated_at(value: str) -> datetime | None:
    """RFC 9745's `@<unix seconds>`; an HTTP-date or `true` (earlier drafts) are understood too."""
    value = value.strip()
    if value.startswith("@"):
        try:
            return datetime.fromtimestamp(int(value[1:]), timezone.utc)
        except (ValueError, OverflowError, OSError):
            return None
    return _http_date(value)


def deprecation_notice(operation: str, response: httpx.Response) -> DeprecationNotice | None:
    """The notice the response carries, None when it has no Deprecation header."""
    header = response.headers.get("deprecation")
    if header is None:
        return None
    link = response.links.get("deprecation", {}).get("url")
    label = f"{operation} ({response.request.method} {response.request.url.path})"
    return DeprecationNotice(label, _deprecated_at(header), _http_date(response.headers.get("sunset")), link)


def _caller_stacklevel() -> int:
    """The stacklevel of the first frame outside this package (the line that called the SDK)."""
    package = __name__.split(".")[0]
    frame: FrameType | None = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_globals.get("__name__", "").split(".")[0] == package:
        frame = frame.f_back
        level += 1
    return level


class DeprecationTracker:
    """Warns once per operation (per client and the copies `with_options()` makes of it)."""

    def __init__(self) -> None:
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def check(self, operation: str, response: httpx.Response) -> None:
        """Warn when `response` is the first of `operation` (the method's name) to announce a deprecation."""
        if "deprecation" not in response.headers:
            return
        with self._lock:
            if operation in self._seen:
                return
            self._seen.add(operation)
        notice = deprecation_notice(operation, response)
        if notice is None:
            return
        logger.warning("%s", notice.message())
        warnings.warn(APIDeprecationWarning(notice), stacklevel=_caller_stacklevel())


__all__ = ["APIDeprecationWarning", "DeprecationNotice", "DeprecationTracker", "deprecation_notice"]
