"""Quotas and usage metering, charged in the same step as an identity's rate limit.

A quota is a number of units per UTC calendar day or month; usage is, per identity, model
and UTC day, the requests admitted and the units they cost. Both are decided and counted in
the one Lua script that runs the rate-limit strategy (`specserve.ratelimit.windows`), so
they cost no extra round trip and stay exact across workers and instances:

1. with a quota, `used + cost > limit` refuses the request and charges nothing (the
   strategy only reads its state, for the headers);
2. else the strategy runs; if it admits, the cost is added to the period's quota counter
   and to the day's usage hash (`requests += 1`, `units += cost`). A rate-limit refusal
   charges neither.

The script reads the day and month from Redis's own clock (`TIME`), so instances whose
clocks differ still agree on the period a hit belongs to. Every key of an identity shares
one hash slot, `{prefix}:{<identity>}:...`:

- `{prefix}:{<identity>}:quota:d:<YYYY-MM-DD>` / `quota:m:<YYYY-MM>`: units used, expiring
  a day after the period ends;
- `{prefix}:{<identity>}:usage:<YYYY-MM-DD>`: a hash of `<counter>:<model>` fields
  (`requests`, `units`, and the outcomes `ok`, `client_error`, `server_error`), expiring
  `SPECSERVE_USAGE_RETENTION_DAYS` after the day ends. A hash holds at most `MAX_FIELDS`
  fields: a write whose new fields would pass `NAMED_FIELDS` (the rest is the `*` model's
  room) goes to `*` instead (a client can name models that do not exist), so no
  client can grow a hash without bound. The limiter's script and the outcomes' writer share
  this rule (`add_usage`, in Lua and in Python), so Redis and the in-process store fold alike.

The same arithmetic in Python (`period_of`, `day_of`) serves the in-process store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

MAX_MODELS = 64
COUNTERS = ("requests", "units", "ok", "client_error", "server_error")
MAX_FIELDS = MAX_MODELS * len(COUNTERS)
NAMED_FIELDS = MAX_FIELDS - len(COUNTERS)  # the rest is kept for the `*` model's
MODEL_MAX_CHARS = 128
QUOTA_MARGIN = 86400  # a quota counter outlives its period by a day


@dataclass(frozen=True)
class Quota:
    limit: int  # units per period
    period: Literal["day", "month"]  # UTC calendar day / calendar month


def model_field(model: str | None) -> str:
    """The model part of a usage field: `-` for none, `*` for a name too long to keep."""
    if not model:
        return "-"
    return model if len(model) <= MODEL_MAX_CHARS else "*"


def identity_base(prefix: str, identity: str) -> str:
    """The identity's hash tag: every key of the identity lives in one slot."""
    return f"{prefix}:{{{identity}}}"


def day_of(now: float) -> str:
    return datetime.fromtimestamp(now, UTC).date().isoformat()


def epoch_of(day: date) -> float:
    """The start of a UTC day, in epoch seconds."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()


def text(value) -> str:
    """A Redis reply as text (clients may or may not decode)."""
    return value.decode() if isinstance(value, bytes) else str(value)


def add_usage(fields: dict[str, int], model: str, counts: dict[str, int]) -> None:
    """The scripts' `add_usage` in Python: add `counts` (counter -> n) to a day's `fields`
    under `model`, or under `*` when the model's new fields would pass `NAMED_FIELDS`."""
    new = sum(f"{name}:{model}" not in fields for name in counts)
    if new and len(fields) + new > NAMED_FIELDS:
        model = "*"
    for name, n in counts.items():
        fields[f"{name}:{model}"] = fields.get(f"{name}:{model}", 0) + n


def period_of(now: float, period: str) -> tuple[str, float]:
    """(the period's id in key names, its end in epoch seconds), UTC."""
    today = datetime.fromtimestamp(now, UTC).date()
    if period == "day":
        return f"d:{today.isoformat()}", epoch_of(today + timedelta(days=1))
    after = date(today.year + today.month // 12, today.month % 12 + 1, 1)
    return f"m:{today.year:04d}-{today.month:02d}", epoch_of(after)


CALENDAR = """
local function civil(z)
  z = z + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524)
    - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  return y, m, d
end
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = m > 2 and m - 3 or m + 9
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  return era * 146097 + yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy - 719468
end
local function calendar(secs)
  local n = math.floor(secs / 86400)
  local y, m, d = civil(n)
  local ny, nm = y, m + 1
  if nm == 13 then ny, nm = y + 1, 1 end
  return string.format('%04d-%02d-%02d', y, m, d), (n + 1) * 86400,
         string.format('%04d-%02d', y, m), days_from_civil(ny, nm, 1) * 86400
end
local function quota_key(base, period, secs)
  local day, day_end, month, month_end = calendar(secs)
  if period == 'day' then return base .. ':quota:d:' .. day, day_end end
  return base .. ':quota:m:' .. month, month_end
end
"""

# ARGV[1..6] are the meter's; the strategy's own arguments follow (its `A`), and the
# identity's base (hash tag) is the last key.
METERED_HEAD = """
local cost, qlimit, qperiod, model = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], ARGV[4]
local retention, named = tonumber(ARGV[5]), tonumber(ARGV[6])
local A = {}
for i = 7, #ARGV do A[#A + 1] = ARGV[i] end
"""

# `add_usage(key, model, names, counts, named)`: the counters `names` += `counts` under
# `model`, or under `*` when the model's new fields would pass `named` (`NAMED_FIELDS`).
ADD_USAGE = """
local function add_usage(key, model, names, counts, named)
  local new = 0
  for i = 1, #names do new = new + 1 - redis.call('hexists', key, names[i] .. ':' .. model) end
  if new > 0 and redis.call('hlen', key) + new > named then model = '*' end
  for i = 1, #names do redis.call('hincrby', key, names[i] .. ':' .. model, counts[i]) end
end
"""

METERED_BODY = (
    ADD_USAGE
    + """
local base = KEYS[#KEYS]
local secs = tonumber(redis.call('TIME')[1])
local day, day_end = calendar(secs)
local qkey, used, qreset = false, 0, 0
if qlimit >= 0 then
  qkey, qreset = quota_key(base, qperiod, secs)
  used = tonumber(redis.call('get', qkey) or '0')
  if used + cost > qlimit then
    local state = run(0)
    state[1] = 0
    return {state, 1, used, qreset, day}
  end
end
local state = run(cost)
if state[1] == 1 then
  if qkey then
    used = redis.call('incrby', qkey, cost)
    redis.call('expireat', qkey, qreset + 86400)
  end
  local ukey = base .. ':usage:' .. day
  add_usage(ukey, model, {'requests', 'units'}, {1, cost}, named)
  redis.call('expireat', ukey, day_end + retention)
end
return {state, 0, used, qreset, day}
"""
)

QUOTA_READ = (
    CALENDAR
    + """
local key, reset = quota_key(KEYS[1], ARGV[1], tonumber(redis.call('TIME')[1]))
return {tonumber(redis.call('get', key) or '0'), reset}
"""
)


@dataclass(frozen=True)
class Metering:
    """What one metered hit sends: its quota (or none), its model, how long usage stays."""

    quota: Quota | None
    model: str | None
    retention_seconds: int

    def args(self, cost: int) -> list:
        quota = self.quota
        return [
            cost,
            quota.limit if quota else -1,
            quota.period if quota else "",
            model_field(self.model),
            self.retention_seconds,
            NAMED_FIELDS,
        ]


@dataclass(frozen=True)
class Metered:
    """What the script answers besides the strategy's state."""

    quota_refused: bool
    quota_used: int
    quota_reset: float
    day: str
