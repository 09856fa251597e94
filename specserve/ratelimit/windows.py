"""One Redis round trip per limited request: admit (or refuse) and read the window's state.

`limits` needs two calls for that (`hit`, then `get_window_stats`), each a round trip. Here
each strategy is one small Lua script, registered once and run with EVALSHA (redis-py loads
it again by itself after a Redis restart). The scripts keep `limits`' key layout and
arithmetic exactly (its `acquire_*` scripts followed by its window read), so counts agree
with `limits` and with any process still using it on the same keys:

- moving window: a list of hit timestamps, newest first, at `{prefix}:{item key}`;
- fixed window: a counter with the window's expiry, at `{prefix}:{item key}`;
- sliding window counter: `{prefix}:{{item key}}` and `{prefix}:{{item key}}/-1` (one hash
  slot in a cluster), counters with millisecond expiries.

The caller's clock stamps the hits, as with `limits`. Hits made in one event-loop pass (a
worker's concurrent requests) are sent in one pipeline, one write and one read for all: each
script still runs atomically, in order. Not in cluster mode (redis-py refuses EVALSHA in
cluster pipelines): there each hit is its own call.
"""

from __future__ import annotations

import asyncio
import math
import time

from limits import RateLimitItem
from redis.asyncio.cluster import RedisCluster
from redis.exceptions import NoScriptError

MOVING_WINDOW = """
local now, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
local expiry, amount = tonumber(ARGV[3]), tonumber(ARGV[4])
local ok = 0
if amount <= limit then
  local entry = redis.call('lindex', KEYS[1], limit - amount)
  if not (entry and tonumber(entry) >= now - expiry) then
    local entries = {}
    for i = 1, amount do entries[i] = now end
    for i = 1, #entries, 5000 do
      redis.call('lpush', KEYS[1], unpack(entries, i, math.min(i + 4999, #entries)))
    end
    redis.call('ltrim', KEYS[1], 0, limit - 1)
    redis.call('expire', KEYS[1], expiry)
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
"""

FIXED_WINDOW = """
local amount = tonumber(ARGV[2])
local current = redis.call('incrby', KEYS[1], amount)
if current == amount then redis.call('expire', KEYS[1], ARGV[1]) end
return {current, redis.call('ttl', KEYS[1])}
"""

SLIDING_WINDOW = """
local limit, expiry, amount = tonumber(ARGV[1]), tonumber(ARGV[2]) * 1000, tonumber(ARGV[3])
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
  if redis.call('exists', KEYS[2]) == 1 then
    redis.call('incrby', KEYS[2], amount)
  else
    redis.call('set', KEYS[2], amount, 'PX', expiry * 2)
  end
  ok = 1
  pc, pt, cc, ct = state()
end
return {ok, pc, pt, cc, ct}
"""

SCRIPTS = {
    "moving-window": MOVING_WINDOW,
    "fixed-window": FIXED_WINDOW,
    "sliding-window-counter": SLIDING_WINDOW,
}


class RedisWindows:
    """`hit(item, *ids, cost)` → (allowed, remaining, reset epoch seconds), one EVALSHA."""

    def __init__(self, client, strategy: str, key_prefix: str, coalesce: bool = True) -> None:
        self.client = client
        self.strategy = strategy
        self.prefix = key_prefix
        self.script = client.register_script(SCRIPTS[strategy])
        # redis-py refuses EVALSHA in cluster pipelines: one call per hit there
        self.coalesce = coalesce and not isinstance(client, RedisCluster)
        self._pending: list[tuple[list, list, asyncio.Future]] = []
        self._flushing: set[asyncio.Task] = set()

    async def _run(self, keys: list, args: list):
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

    async def hit(self, item: RateLimitItem, *ids: str, cost: int = 1) -> tuple[bool, int, float]:
        key, expiry = item.key_for(*ids), item.get_expiry()
        if self.strategy == "moving-window":
            now = time.time()
            args = [now, item.amount, expiry, cost]
            ok, count, oldest = await self._run([f"{self.prefix}:{key}"], args)
            start = float(oldest) if count else now
            return bool(ok), item.amount - count, start + expiry
        if self.strategy == "fixed-window":
            count, ttl = await self._run([f"{self.prefix}:{key}"], [expiry, cost])
            return count <= item.amount, item.amount - count, max(ttl, 0) + time.time()
        keys = [f"{self.prefix}:{{{key}}}/-1", f"{self.prefix}:{{{key}}}"]
        return self._sliding(item, await self._run(keys, [item.amount, expiry, cost]))

    @staticmethod
    def _sliding(item: RateLimitItem, state: list) -> tuple[bool, int, float]:
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
