"""Per-identity rate limiting as an ASGI middleware (after authentication)."""

from __future__ import annotations

import math

from specserve.errors import RateLimiterUnavailable, TooManyRequests
from specserve.http.context import state_of, token_info_of
from specserve.ratelimit.limiter import RETRY_STORE_AFTER, LimiterUnavailable


class RateLimitMiddleware:
    """Per-identity limits, after authentication and validation (a batch's size is known)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            await self._limit(scope)
        await self.app(scope, receive, send)

    async def _limit(self, scope) -> None:
        state = state_of(scope)
        runtime = state.get("runtime")
        operation = scope.get("extensions", {}).get("connexion_routing", {}).get("operation_id")
        if runtime is None or not runtime.limiter.enabled:
            return
        if operation not in runtime.required_scopes:  # operations that need credentials
            return
        info = token_info_of(scope)
        identity = f"key:{info['key_id']}" if info.get("key_id") else info.get("sub")
        if not identity:
            return
        body = state.get("body")
        rows = body.get("requests") if isinstance(body, dict) else None
        cost = len(rows) if isinstance(rows, list) and rows else 1
        try:
            decision = await runtime.limiter.hit_identity(
                identity, info.get("tier", "default"), cost
            )
        except LimiterUnavailable:
            raise RateLimiterUnavailable(
                "The rate limiter is unavailable; retry shortly.",
                headers={"Retry-After": str(math.ceil(RETRY_STORE_AFTER))},
            ) from None
        if decision is None:
            return
        headers = decision.headers()
        state["ratelimit_headers"] = headers
        if not decision.allowed:
            what = f"{cost} rows" if cost > 1 else "this request"
            raise TooManyRequests(
                f"Rate limit of {decision.limit} per {decision.window} seconds exceeded "
                f"({decision.remaining} left, {what} refused); retry in "
                f"{headers['Retry-After']} seconds.",
                headers=headers,
            )
