"""Quotas in text, as operators write them: `ROWS/day` or `ROWS/month` (UTC periods).

A key's own quota (`specserve keys create|update --quota`) wins over its tier's default
(`SPECSERVE_QUOTA_TIERS="free=10000/day;pro=1000000/month"`); `none` on a key removes a
tier's default for it. The text is kept on the key record and in the token info; the
limiter gets a `Quota` (`specserve.ratelimit.charge.quota_of`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

PERIODS = ("day", "month")
NONE = "none"
MAX_LIMIT = 10**12
_QUOTA = re.compile(r"^\s*(\d{1,13})\s*/\s*(day|month)\s*$")
HELP = "ROWS/day or ROWS/month, e.g. 10000/day (1 to 10^12 rows)"
TIERS_EXAMPLE = "free=10000/day;pro=1000000/month"


def parse_quota(text: str) -> tuple[int, str]:
    """(rows, period) of `10000/day`; ValueError with what is allowed otherwise."""
    match = _QUOTA.match(text)
    if not match or not 1 <= int(match.group(1)) <= MAX_LIMIT:
        raise ValueError(f"expected {HELP}, got {text!r}")
    return int(match.group(1)), match.group(2)


def normal(text: str) -> str:
    """The canonical text of a quota (`10000/day`), or `none`."""
    if text.strip().lower() == NONE:
        return NONE
    limit, period = parse_quota(text)
    return f"{limit}/{period}"


def parse_tiers(text: str) -> dict[str, str]:
    """`free=10000/day;pro=1000000/month` as {tier: quota text}; ValueError naming the part."""
    tiers = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, sep, quota = part.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"expected tier=quota;... (e.g. {TIERS_EXAMPLE}), got {part!r}")
        tiers[name.strip()] = normal(quota)
    return tiers


def effective(own: str | None, tier: str, tiers: dict[str, str]) -> str | None:
    """The quota a key lives under: its own, else its tier's; None: unlimited."""
    text = own if own is not None else tiers.get(tier)
    return None if text is None or text == NONE else text


def resets_at(epoch: float) -> str:
    """A period's end as the answers say it: `2026-01-01T00:00:00Z` (UTC, whole seconds)."""
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


IDENTITY = re.compile(r"^(key:[0-9a-f]{12}|sub:.{1,296})$", re.S)
"""An identity as usage names it: an API key's, or an identity provider's subject (at most
296 characters, `specserve.auth.hooks.MAX_SUBJECT`); the contract's pattern for it."""
