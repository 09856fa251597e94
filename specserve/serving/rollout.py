"""Rolling out a new version without a service mesh: shadow versions and canary splits.

Both are small JSON files in the model store beside `pinned`, written by `specserve models
shadow|canary` and read by every worker's watcher, so every worker and instance agrees within
`SPECSERVE_MODEL_POLL_SECONDS`:

- `models/<name>/shadow` = `{"version": "1.1.0", "sample": 1.0}`: a sampled share of the
  unversioned routes' requests is also scored by that version, after the serving version has
  answered and off the request path. The client's answer is computed from the serving version
  only; a shadow that fails or hangs is counted, never seen. Its agreement with the serving
  version is counted where every worker adds to it (`specserve.serving.agreement`).
- `models/<name>/canary` = `{"version": "1.1.0", "weight": 10}`: `weight` % of the callers of
  the unversioned routes are served by that version. Which callers is decided by a hash of
  the caller's identity with the model and the canary version (blake2b: the same in every
  worker and instance, unlike Python's `hash`), so a caller sees one version while the split
  stands; a caller with no identity is served by the serving version.
"""

from __future__ import annotations

import asyncio
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


class Shadows:
    """This worker's shadow calls: each an asyncio task (held here, so never collected while
    it runs), at most `limit` at once, each bounded by the model call timeout."""

    def __init__(
        self, call: Callable[..., Any], agreement: Agreement, limit: int = SHADOW_IN_FLIGHT
    ) -> None:
        self._call = call  # ModelCalls.call: the version's own threads and timeout
        self.agreement = agreement
        self._limit = limit
        self._tasks: set[asyncio.Task[None]] = set()

    def start(
        self,
        serving: Model,
        shadow: Model,
        token: str,
        x: np.ndarray,
        answered: Scored,
        records: list[dict[str, Any]] | None = None,
        submit: Submit | None = None,
    ) -> None:
        """Score `x` with `shadow` later and count its agreement with `answered`; the
        prediction log's `records` are submitted after it, with the shadow's outputs."""
        if len(self._tasks) >= self._limit:
            self.agreement.count(serving.name, shadow.version, token, Tally("skipped"))
            if records and submit is not None:
                submit(records)
            return
        call = self._run(serving, shadow, token, x, answered, records, submit)
        task = asyncio.create_task(call)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @property
    def in_flight(self) -> int:
        return len(self._tasks)

    async def drain(self) -> None:
        """Wait for the shadow calls running now (tests, shutdown)."""
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

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
        outcome: dict[str, Any] = {"version": shadow.version}
        try:  # on the version's threads: the loop stays free to send the client's answer
            scored, _ = await self._call(shadow, x, 1, shadow=True)
        except Exception as exc:  # counted, never raised: the client has its answer
            outcome["error"] = exc.code if isinstance(exc, ApiError) else type(exc).__name__
            tally = Tally("error")
        else:
            tally = compare(serving, answered, scored)
            outcome["rows"] = scored
        if records and submit is not None:
            submit(_with_shadow(records, outcome))
        await self.agreement.add(serving.name, shadow.version, token, tally)


def _with_shadow(records: list[dict[str, Any]], outcome: dict[str, Any]) -> list[dict[str, Any]]:
    scored: Scored | None = outcome.pop("rows", None)
    for i, record in enumerate(records):
        if scored is None:
            record["shadow"] = dict(outcome)
        else:
            row = scored.row(i)
            outputs: dict[str, Any] = {"prediction": row.prediction, "probability": row.probability}
            if row.label is not None:
                outputs["label"] = row.label
            record["shadow"] = {**outcome, "outputs": outputs}
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
