"""One Redis round trip per limited request: admit (or refuse) and read the window's state.

`limits` needs two calls for that (`hit`, then `get_window_stats`), each a round trip. Here
each strategy is one small Lua script, registered once and run with EVALSHA (redis-py loads
it again by itself after a Redis restart). The window scripts keep `limits`' arithmetic
exactly (its `acquire_*` scripts followed by its window read), so counts agree with
`limits`; the address and token limits also keep its key layout, so any process still
using `limits` on them shares their budgets:

- moving window: a list of hit timestamps, newest first, at `{prefix}:{item key}`;
- fixed window: a counter with the window's expiry, at `{prefix}:{item key}`;
- sliding window counter: `{prefix}:{{item key}}` and `{prefix}:{{item key}}/-1` (one hash
  slot in a cluster), counters with millisecond expiries;
- token bucket (GCRA, `specserve.ratelimit.bucket`): the theoretical arrival time at
  `{prefix}:gcra:{item key}`.

An identity's limit (`hit_identity`) runs the same strategy inside the metering script
(`specserve.ratelimit.meter`): quota, rate limit and usage in one run. Its keys all carry
the identity as hash tag, `{prefix}:{<identity>}:<item key>` (and `/-1` for the sliding
window's previous counter), so one script touches one slot; that is not `limits`' layout.

The caller's clock stamps the moving window's hits, as with `limits`; the bucket and the
meter read Redis's. Hits made in one event-loop pass (a worker's concurrent requests) are
sent in one pipeline, one write and one read for all: each script still runs atomically,
in order. Not in cluster mode (redis-py refuses EVALSHA in cluster pipelines): there each
hit is its own call.
"""

from __future__ import annotations

import asyncio
import math
import time

from limits import RateLimitItem
from redis.asyncio.cluster import RedisCluster
from redis.exceptions import NoScriptError

from specserve.ratelimit.bucket import SLACK_US, TOKEN_BUCKET, Rate
from specserve.ratelimit.meter import (
    CALENDAR,
    METERED_BODY,
    METERED_HEAD,
    Metered,
    Metering,
    identity_base,
    text,
)

# Each strategy is `run(amount)` over its arguments `A` (A[1] is the cost) and keys; it
# answers a table whose first element is 1 when admitted. `amount` 0 only reads (a request
# refused by its quota still gets the rate limit's headers).
MOVING_WINDOW = """
local function run(amount)
  local now, limit, expiry = tonumber(A[2]), tonumber(A[3]), tonumber(A[4])
  local ok = 0
  if amount <= limit then
    local entry = redis.call('lindex', KEYS[1], limit - amount)
    if not (entry and tonumber(entry) >= now - expiry) then
      if amount > 0 then
        local entries = {}
        for i = 1, amount do entries[i] = now end
        for i = 1, #entries, 5000 do
          redis.call('lpush', KEYS[1], unpack(entries, i, math.min(i + 4999, #entries)))
        end
        redis.call('ltrim', KEYS[1], 0, limit - 1)
        redis.call('expire', KEYS[1], expiry)
      end
      ok = 1
    end
  end
  local low, high, index = 0, math.min(redis.call('llen', KEYS[1]), limit) - 1, nil
  while low <= high do
    local mid = math.floor((low + high) / 2)
    local value = tonumber(redis.call('lindex', KEYS[1], mid))
    if value and value >= now - expiry then index = mid; low = mid + 1 else high = mid - 1 end
  end
  if index == nil then return {ok, 0, false} end
  return {ok, index + 1, tostring(redis.call('lindex', KEYS[1], index))}
end
"""

FIXED_WINDOW = """
local function run(amount)
  local limit = tonumber(A[3])
  local current = redis.call('incrby', KEYS[1], amount)
  if current == amount then redis.call('expire', KEYS[1], A[2]) end
  return {current <= limit and 1 or 0, current, redis.call('ttl', KEYS[1])}
end
"""

SLIDING_WINDOW = """
local function run(amount)
  local limit, expiry = tonumber(A[2]), tonumber(A[3]) * 1000
  local current_ttl = tonumber(redis.call('pttl', KEYS[2]))
  if current_ttl > 0 and current_ttl < expiry then
    redis.call('rename', KEYS[2], KEYS[1])
    redis.call('set', KEYS[2], 0, 'PX', current_ttl + expiry)
  end
  local function state()
    return tonumber(redis.call('get', KEYS[1])) or 0, math.max(0, redis.call('pttl', KEYS[1])),
           tonumber(redis.call('get', KEYS[2])) or 0, math.max(0, redis.call('pttl', KEYS[2]))
  end
  local pc, pt, cc, ct = state()
  local ok = 0
  if amount <= limit and math.floor(pc * pt / expiry) + cc + amount <= limit then
    if amount > 0 then
      if redis.call('exists', KEYS[2]) == 1 then
        redis.call('incrby', KEYS[2], amount)
      else
        redis.call('set', KEYS[2], amount, 'PX', expiry * 2)
      end
      pc, pt, cc, ct = state()
    end
    ok = 1
  end
  return {ok, pc, pt, cc, ct}
end
"""

RUNS = {
    "moving-window": MOVING_WINDOW,
    "fixed-window": FIXED_WINDOW,
    "sliding-window-counter": SLIDING_WINDOW,
    "token-bucket": TOKEN_BUCKET,
}
SCRIPTS = {
    name: "local A = ARGV\n" + run + "return run(tonumber(A[1]))\n" for name, run in RUNS.items()
}
METERED = {name: CALENDAR + METERED_HEAD + run + METERED_BODY for name, run in RUNS.items()}

Outcome = tuple[bool, int, float]  # admitted, remaining, reset (epoch seconds)


class Script:
    """One registered script, its hits coalesced per event-loop pass into one pipeline."""

    def __init__(self, client, source: str, coalesce: bool) -> None:
        self.client = client
        self.script = client.register_script(source)
        # redis-py refuses EVALSHA in cluster pipelines: one call per hit there
        self.coalesce = coalesce and not isinstance(client, RedisCluster)
        self._pending: list[tuple[list, list, asyncio.Future]] = []
        self._flushing: set[asyncio.Task] = set()

    async def __call__(self, keys: list, args: list):
        """The script for one hit. Hits made in the same event-loop pass go out together in
        one pipeline (one write, one read): each script still runs atomically on its own."""
        if not self.coalesce:
            return await self.script(keys, args)
        future = asyncio.get_running_loop().create_future()
        self._pending.append((keys, args, future))
        if len(self._pending) == 1:
            task = asyncio.get_running_loop().create_task(self._flush())
            self._flushing.add(task)
            task.add_done_callback(self._flushing.discard)
        return await future

    async def _flush(self) -> None:
        batch, self._pending = self._pending, []
        try:
            results = await self._results(batch)
        except Exception as exc:  # noqa: BLE001 - no waiting hit may be left hanging
            results = [exc] * len(batch)
        for (_, _, future), result in zip(batch, results, strict=True):
            if future.done():
                continue
            if isinstance(result, BaseException):
                future.set_exception(result)
            else:
                future.set_result(result)

    async def _results(self, batch: list) -> list:
        """One result (or exception) per hit, in order; raises if the batch failed whole."""
        if len(batch) == 1:
            keys, args, _ = batch[0]
            return [await self.script(keys, args)]
        pipe = self.client.pipeline(transaction=False)
        for keys, args, _ in batch:
            pipe.evalsha(self.script.sha, len(keys), *keys, *args)
        results = await pipe.execute(raise_on_error=False)
        for i, (keys, args, _) in enumerate(batch):
            if isinstance(results[i], NoScriptError):  # Redis restarted: that hit did not run
                results[i] = await _outcome(self.script(keys, args))
        return results


class RedisWindows:
    """`hit(item, *ids, cost)` → (allowed, remaining, reset epoch seconds), one EVALSHA;
    `hit_identity` the same with the identity's quota and usage, in the same one."""

    def __init__(self, client, strategy: str, key_prefix: str, coalesce: bool = True) -> None:
        self.client = client
        self.strategy = strategy
        self.prefix = key_prefix
        self.plain = Script(client, SCRIPTS[strategy], coalesce)
        self.metered = Script(client, METERED[strategy], coalesce)

    @property
    def coalesce(self) -> bool:
        return self.plain.coalesce

    @coalesce.setter
    def coalesce(self, value: bool) -> None:
        self.plain.coalesce = self.metered.coalesce = value

    async def hit(
        self, item: RateLimitItem, *ids: str, cost: int = 1, rate: Rate | None = None
    ) -> Outcome:
        key = item.key_for(*ids)
        keys, args = self._call(item, self._keys(f"{self.prefix}:", key, False), cost, rate)
        return self._decode(item, await self.plain(keys, args))

    async def hit_identity(
        self, item: RateLimitItem, identity: str, cost: int, meter: Metering, rate: Rate | None
    ) -> tuple[Outcome, Metered]:
        base = identity_base(self.prefix, identity)
        keys = self._keys(f"{base}:", item.key_for("id", identity), True)
        keys, args = self._call(item, keys, cost, rate)
        state, refused, used, reset, day = await self.metered(
            [*keys, base], meter.args(cost) + args
        )
        metered = Metered(bool(refused), int(used), float(reset), text(day))
        return self._decode(item, state), metered

    def _keys(self, head: str, key: str, tagged: bool) -> list[str]:
        if self.strategy == "sliding-window-counter":
            if tagged:  # the identity's tag already holds the slot
                return [f"{head}{key}/-1", f"{head}{key}"]
            return [f"{head}{{{key}}}/-1", f"{head}{{{key}}}"]
        if self.strategy == "token-bucket":
            return [f"{head}gcra:{key}"]
        return [f"{head}{key}"]

    def _call(self, item: RateLimitItem, keys: list, cost: int, rate: Rate | None):
        expiry = item.get_expiry()
        if self.strategy == "moving-window":
            return keys, [cost, time.time(), item.amount, expiry]
        if self.strategy == "fixed-window":
            return keys, [cost, expiry, item.amount]
        if self.strategy == "sliding-window-counter":
            return keys, [cost, item.amount, expiry]
        assert rate is not None, "the token bucket needs its rate"
        return keys, [cost, rate.interval_us, rate.tolerance_us, SLACK_US]

    def _decode(self, item: RateLimitItem, state: list) -> Outcome:
        if self.strategy == "moving-window":
            ok, count, oldest = state
            start = float(oldest) if count else time.time()
            return bool(ok), item.amount - count, start + item.get_expiry()
        if self.strategy == "fixed-window":
            ok, count, ttl = state
            return bool(ok), item.amount - count, max(ttl, 0) + time.time()
        if self.strategy == "token-bucket":
            ok, remaining, reset_us = state
            return bool(ok), int(remaining), time.time() + max(0.0, float(reset_us) / 1e6)
        return self._sliding(item, state)

    @staticmethod
    def _sliding(item: RateLimitItem, state: list) -> Outcome:
        """`limits`' SlidingWindowCounterRateLimiter.get_window_stats, on the script's state."""
        ok, previous, previous_ttl, current, current_ttl = state
        previous_in, current_in = previous_ttl / 1000, current_ttl / 1000
        expiry = item.get_expiry()
        weighted = previous * previous_in / expiry + current
        remaining = item.amount - math.floor(weighted)
        now = time.time()
        if not (previous or current):
            return bool(ok), remaining, now
        previous_reset, current_reset = math.inf, math.inf
        if previous:
            previous_reset = previous_in % (expiry / previous)
        if current:
            current_reset = current_in % expiry
        return bool(ok), remaining, now + min(previous_reset, current_reset)


async def _outcome(call):
    """The call's result, or the exception it raised (handed to the waiting hit)."""
    try:
        return await call
    except Exception as exc:  # noqa: BLE001 - each waiting hit gets it, the limiter decides
        return exc
