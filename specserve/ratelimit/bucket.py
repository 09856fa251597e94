"""The `token-bucket` strategy: GCRA (the generic cell rate algorithm), in Redis and in process.

A limit of `amount` per `window` seconds is a steady rate, one unit every
`T = window / amount` seconds, plus a burst `B` (`SPECSERVE_RATE_LIMIT_BURST`, or a tier's
`burst N`; by default the limit's amount, so a bucket admits the same largest request as the
window strategies). The state is one number per identity, the theoretical arrival time
`TAT`. With tolerance `tau = T * B`, a request of cost `n` at `now` is admitted iff

    TAT' = max(TAT, now) + n * T   satisfies   TAT' - now <= tau

and then `TAT'` is stored, expiring when it passes (an expired bucket is a full one). What
the headers need:

- remaining = floor((tau - (TAT' - now)) / T) after the hit;
- reset = `TAT'` (the bucket is full again) when admitted; when refused, the moment the
  request would fit, `max(TAT, now) + n * T - tau` (`Retry-After`);
- `RateLimit-Policy: "<tier>";q=<B>;w=<B * T>`: `q` units may be spent at once, and refill
  in `w` seconds. A cost above `B` never fits (the caller's `cost_exceeds_limit`).

In Redis the script reads the server's clock (`TIME`): instances' clocks differ, Redis's is
one (Redis 7 replicates scripts by their effects, so a script may read it). Times are whole
microseconds in doubles (exact up to 2^53 µs, past the year 2200); comparisons allow 1 µs
for rounding. In process, the same arithmetic on the monotonic clock, per key, with
buckets that have refilled pruned (they equal no entry at all).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

SLACK_US = 1.0
MIN_INTERVAL_US = 50.0  # below it, the slack and µs rounding (1.5 µs) pass 3 % of T

# `run(amount)` as the other strategies' scripts: A[2] = T, A[3] = tau, A[4] = the slack,
# in microseconds
TOKEN_BUCKET = """
local function run(amount)
  local T, tau, slack = tonumber(A[2]), tonumber(A[3]), tonumber(A[4])
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local tat = math.max(tonumber(redis.call('get', KEYS[1]) or '0'), now)
  local new = tat + amount * T
  if new - now <= tau + slack then
    if amount > 0 then
      redis.call('set', KEYS[1], string.format('%.0f', new), 'PX',
                 math.max(1, math.ceil((new - now) / 1000)))
    end
    return {1, math.floor((tau - (new - now) + slack) / T), string.format('%.0f', new - now)}
  end
  return {0, math.floor((tau - (tat - now) + slack) / T), string.format('%.0f', new - tau - now)}
end
"""


@dataclass(frozen=True)
class Rate:
    """A limit as a bucket: the emission interval and the tolerance, in microseconds."""

    interval_us: float
    tolerance_us: float
    burst: int

    @classmethod
    def of(cls, amount: int, window: float, burst: int) -> Rate:
        interval = window * 1e6 / amount
        return cls(interval, interval * burst, burst)

    @property
    def refill_seconds(self) -> int:
        """Seconds the whole burst takes to refill (`w` of `RateLimit-Policy`)."""
        return math.ceil(self.tolerance_us / 1e6)


def gcra(tat: float, now: float, cost: int, rate: Rate) -> tuple[bool, float, int, float]:
    """(admitted, the new TAT, remaining, seconds to reset), times in microseconds."""
    tat = max(tat, now)
    new = tat + cost * rate.interval_us
    T, tau = rate.interval_us, rate.tolerance_us
    if new - now <= tau + SLACK_US:
        return True, new, math.floor((tau - (new - now) + SLACK_US) / T), (new - now) / 1e6
    return False, tat, math.floor((tau - (tat - now) + SLACK_US) / T), (new - tau - now) / 1e6


class Buckets:
    """In-process buckets: key → TAT on the monotonic clock; refilled ones pruned."""

    PRUNE_EVERY = 1024

    def __init__(self) -> None:
        self._tat: dict[str, float] = {}
        self._since_prune = 0

    def hit(self, key: str, cost: int, rate: Rate) -> tuple[bool, int, float]:
        """(admitted, remaining, seconds until reset); cost 0 only reads."""
        now = time.monotonic() * 1e6
        ok, new, remaining, reset = gcra(self._tat.get(key, 0.0), now, cost, rate)
        if ok and cost > 0:
            self._tat[key] = new
            self._since_prune += 1
            if self._since_prune >= self.PRUNE_EVERY:
                self._prune(now)
        return ok, remaining, reset

    def _prune(self, now: float) -> None:
        self._since_prune = 0
        for key in [key for key, tat in self._tat.items() if tat <= now]:
            del self._tat[key]

    def __len__(self) -> int:
        return len(self._tat)
