"""Who asked, as far as the data plane needs to know: a canary split is sticky per caller,
and the prediction log records the key id and trace of each scored row.

Built once per authenticated request by the authorization step (`specserve.http.authorization`)
and handed to the prediction handlers as the context argument `caller`, which pass it to
the data plane. Never a secret: the key's id, not the key; a token's subject, not the token.

`later` hands work to the request's "after the response" list: what the client must not
wait for (a shadow call) runs once its response has gone out. It is a plain callable, so the
data plane needs no HTTP type; without it (direct calls) the data plane uses the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Caller:
    identity: str | None  # the rate-limit bucket: `key:<key id>` or `sub:<token subject>`
    key_id: str | None  # the API key (or the key that issued the token), if any
    trace_id: str | None  # the request's trace (W3C trace id), if traced
    route: str  # the operation's path template, base path included (`/v1/predict`)
    later: Callable[[Callable[[], None]], None] | None = None  # run it after the response
