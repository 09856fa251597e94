"""Rolling out a new version without a service mesh: shadow versions and canary splits.

Both are small JSON files in the model store beside `pinned`, written by `specserve models
shadow|canary` and read by every worker's watcher, so every worker and instance agrees within
`SPECSERVE_MODEL_POLL_SECONDS`:

- `models/<name>/shadow` = `{"version": "1.1.0", "sample": 1.0}`: a sampled share of the
  unversioned routes' requests is also scored by that version, once the serving version's
  response has been sent (the request's "after the response" list, `Caller.later`). The
  client's answer is computed from the serving version only; a shadow that fails or hangs is
  counted, never seen. Its agreement with the serving version is counted where every worker
  adds to it (`specserve.serving.agreement`).
- `models/<name>/canary` = `{"version": "1.1.0", "weight": 10}`: `weight` % of the callers of
  the unversioned routes are served by that version. Which callers is decided by a hash of
  the caller's identity with the model and the canary version (blake2b: the same in every
  worker and instance, unlike Python's `hash`), so a caller sees one version while the split
  stands; a caller with no identity is served by the serving version.

A shadow should cost one more model call and nothing else. A version whose calls run on the
event loop (`Model.inline`: fast ONNX, `specserve.serving.threads`) is called right there,
after the response: no task, no thread hop, since an inline call is by construction short
enough for the loop. Any other version runs on its own threads within the model call timeout,
as an asyncio task, at most `SHADOW_IN_FLIGHT` at once (past that a request is not shadowed,
and counted `skipped`).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from specserve.errors import ApiError
from specserve.serving.agreement import Agreement, Tally
from specserve.serving.model import Model
from specserve.serving.outputs import TOLERANCE, Scored
from specserve.serving.threads import timed_call

log = logging.getLogger("specserve.serving.rollout")

SHADOW_FILE = "shadow"
CANARY_FILE = "canary"
ROLLOUT_MAX_BYTES = 1024  # a version name (64 characters max) and one number
SHADOW_IN_FLIGHT = 16  # shadow calls a worker runs at once; past it a request is not shadowed


@dataclass(frozen=True, slots=True)
class Shadow:
    version: str
    sample: float  # the share of requests shadowed, 0-1
    token: str = ""  # a hash of the file: the agreement counted for this shadow as set


@dataclass(frozen=True, slots=True)
class Canary:
    version: str
    weight: float  # the percentage of callers it serves, 0-100


@dataclass(frozen=True, slots=True)
class Rollout:
    """What a model's store folder says about its rollout, and why a file was ignored."""

    shadow: Shadow | None = None
    canary: Canary | None = None
    problems: tuple[str, ...] = ()


NONE = Rollout()


def parse(raw: bytes, kind: str) -> Shadow | Canary:
    """A `shadow` or `canary` file's content; ValueError says why it is ignored."""
    from specserve.serving.registry import is_version

    try:
        found = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        raise ValueError(f"{kind}: not JSON") from None
    if not isinstance(found, dict):
        raise ValueError(f"{kind}: not a JSON object")
    version = found.get("version")
    if not isinstance(version, str) or not is_version(version):
        raise ValueError(f"{kind}: 'version' is not a version name")
    field, top = ("sample", 1.0) if kind == SHADOW_FILE else ("weight", 100.0)
    value = found.get(field, 1.0 if kind == SHADOW_FILE else None)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= top:
        raise ValueError(f"{kind}: '{field}' must be a number from 0 to {top:g}")
    if kind == SHADOW_FILE:
        return Shadow(version, float(value), hashlib.blake2b(raw, digest_size=6).hexdigest())
    return Canary(version, float(value))


def to_json(entry: Shadow | Canary, since: str) -> bytes:
    """The file's content, as `parse` reads it; `since` (when it was set) makes each setting
    of a shadow a new one, counted afresh."""
    if isinstance(entry, Shadow):
        found: dict[str, Any] = {"version": entry.version, "sample": entry.sample}
    else:
        found = {"version": entry.version, "weight": entry.weight}
    return json.dumps({**found, "since": since}).encode() + b"\n"


# -- canary: who is served by which version ----------------------------------------------------


def share(identity: str, model: str, version: str) -> float:
    """Where a caller falls in [0, 100) for this model's canary of `version`: the same in
    every process, and independent across canaries (a new canary draws its callers afresh)."""
    digest = hashlib.blake2b(f"{model}\0{version}\0{identity}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64 * 100


def on_canary(canary: Canary, model: str, identity: str | None) -> bool:
    """Whether this caller is served by the canary version (never an anonymous one)."""
    if identity is None or canary.weight <= 0:
        return False
    return share(identity, model, canary.version) < canary.weight


def sampled(shadow: Shadow) -> bool:
    return shadow.sample >= 1 or random.random() < shadow.sample


# -- shadow calls ------------------------------------------------------------------------------

Submit = Callable[[list[dict[str, Any]]], None]
Later = Callable[[Callable[[], None]], None]


class Shadows:
    """This worker's shadow calls, each begun after its request's response: an inline
    version's right there, any other's as an asyncio task (held here, so never collected
    while it runs), at most `limit` at once, each bounded by the model call timeout."""

    def __init__(
        self, call: Callable[..., Any], agreement: Agreement, limit: int = SHADOW_IN_FLIGHT
    ) -> None:
        self._call = call  # ModelCalls.call: the version's own threads and timeout
        self.agreement = agreement
        self._limit = limit
        self._tasks: set[asyncio.Task[None]] = set()
        self._queued = 0  # handed to `later`, not begun yet

    def start(
        self,
        serving: Model,
        shadow: Model,
        token: str,
        x: np.ndarray,
        answered: Scored,
        records: list[dict[str, Any]] | None = None,
        submit: Submit | None = None,
        later: Later | None = None,
    ) -> None:
        """Score `x` with `shadow` once the response is sent (`later`; without it, on the
        event loop's next turn) and count its agreement with `answered`; the prediction
        log's `records` are submitted after it, with the shadow's outputs."""
        begin = functools.partial(self._begin, serving, shadow, token, x, answered, records, submit)
        self._queued += 1
        if later is None:
            asyncio.get_running_loop().call_soon(begin)
        else:
            later(begin)

    def _begin(
        self,
        serving: Model,
        shadow: Model,
        token: str,
        x: np.ndarray,
        answered: Scored,
        records: list[dict[str, Any]] | None,
        submit: Submit | None,
    ) -> None:
        self._queued -= 1
        if shadow.inline:
            got: Scored | Exception
            try:
                got = timed_call(shadow, x, 1, served=False)[0]
            except Exception as exc:  # counted, never raised: the client has its answer
                got = exc
            self._done(serving, shadow, token, answered, got, records, submit)
            return
        if len(self._tasks) >= self._limit:
            self.agreement.count(serving.name, shadow.version, token, Tally("skipped"))
            if records and submit is not None:
                submit(records)
            return
        call = self._run(serving, shadow, token, x, answered, records, submit)
        task = asyncio.get_running_loop().create_task(call)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @property
    def in_flight(self) -> int:
        """Shadow calls waiting for their response to be sent, or running."""
        return self._queued + len(self._tasks)

    async def drain(self) -> None:
        """Wait for the shadow calls begun or about to begin (tests, shutdown), then write
        their agreement."""
        if self._queued:
            await asyncio.sleep(0)  # those handed to the event loop begin
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        await self.agreement.flush()

    async def _run(
        self,
        serving: Model,
        shadow: Model,
        token: str,
        x: np.ndarray,
        answered: Scored,
        records: list[dict[str, Any]] | None,
        submit: Submit | None,
    ) -> None:
        got: Scored | Exception
        try:  # on the version's threads, within the model call timeout
            got = (await self._call(shadow, x, 1, shadow=True))[0]
        except Exception as exc:  # counted, never raised: the client has its answer
            got = exc
        self._done(serving, shadow, token, answered, got, records, submit)

    def _done(
        self,
        serving: Model,
        shadow: Model,
        token: str,
        answered: Scored,
        got: Scored | Exception,
        records: list[dict[str, Any]] | None,
        submit: Submit | None,
    ) -> None:
        """Submit the log records with the shadow's outputs (or error), then count it."""
        if isinstance(got, Exception):
            scored, tally = None, Tally("error")
            error = got.code if isinstance(got, ApiError) else type(got).__name__
        else:
            scored, tally, error = got, compare(serving, answered, got), None
        if records and submit is not None:
            submit(_with_shadow(records, shadow.version, error, scored))
        self.agreement.count(serving.name, shadow.version, token, tally)


def _with_shadow(
    records: list[dict[str, Any]], version: str, error: str | None, scored: Scored | None
) -> list[dict[str, Any]]:
    for i, record in enumerate(records):
        if scored is None:
            record["shadow"] = {"version": version, "error": error}
        else:
            row = scored.row(i)
            outputs: dict[str, Any] = {"prediction": row.prediction, "probability": row.probability}
            if row.label is not None:
                outputs["label"] = row.label
            record["shadow"] = {"version": version, "outputs": outputs}
    return records


def compare(serving: Model, answered: Scored, shadow: Scored) -> Tally:
    """The rows where the shadow agrees: equal labels (or predictions) for classifiers,
    clusterers and outlier detectors; for regressors a |Δ| within `TOLERANCE` (as replay's
    default), and each row's |Δ| for the histogram."""
    if serving.task == "regression":
        pairs = list(zip(answered.predictions, shadow.predictions, strict=False))
        diffs = [abs(float(a) - float(b)) for a, b in pairs]
        agreed = sum(1 for d in diffs if d <= TOLERANCE)
        return Tally("ok", agreed, len(diffs) - agreed, diffs)
    ours = answered.labels or answered.predictions
    theirs = shadow.labels or shadow.predictions
    agreed = sum(1 for a, b in zip(ours, theirs, strict=False) if a == b)
    return Tally("ok", agreed, len(ours) - agreed)
