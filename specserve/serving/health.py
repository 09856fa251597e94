"""Health: the state of every model, the key store and the worker's thread pools."""

from __future__ import annotations

from typing import Any


def thread_check() -> dict[str, str]:
    from threadpoolctl import threadpool_info

    counts = sorted({pool["num_threads"] for pool in threadpool_info()})
    status = "pass" if counts in ([], [1]) else "warn"
    return {"status": status, "detail": f"BLAS/OpenMP threads per pool: {counts or [1]}"}


def limiter_check(runtime: Any, store_ok: bool) -> dict[str, str] | None:
    limiter = runtime.limiter
    if not limiter.enabled:
        return None
    if store_ok:
        where = "Redis" if limiter.shared else "in-process (single worker)"
        return {"status": "pass", "detail": f"rate-limit store {where} available"}
    policy = "refusing (503)" if limiter.fail_closed else "serving without limits"
    return {"status": "fail", "detail": f"rate-limit store unavailable; {policy}"}


def key_store_check(runtime: Any) -> dict[str, str]:
    """A key store that is down or unreadable degrades the service: the keys known keep
    working, but changes (a revocation) are not seen until it is back."""
    ok, detail = runtime.keys.healthy()
    return {"status": "pass" if ok else "fail", "detail": detail}


def health(runtime: Any, store_ok: bool = True) -> tuple[dict[str, Any], int]:
    registry = runtime.registry
    checks: dict[str, dict[str, str]] = {}
    for model in registry.models():
        if model.ready and model.newer_error:
            checks[f"model:{model.name}"] = {
                "status": "warn",
                "detail": f"{model.newer_error}; version {model.version} still serves",
            }
        elif model.ready:
            checks[f"model:{model.name}"] = {
                "status": "pass",
                "detail": f"version {model.version} loaded",
            }
        else:
            checks[f"model:{model.name}"] = {
                "status": "fail",
                "detail": f"version {model.version} failed to load",
            }
    default = next((m for m in registry.models() if m.name == registry.default_model), None)
    if default is None:
        checks[f"model:{registry.default_model}"] = {
            "status": "fail",
            "detail": "not found in the model directory",
        }
    checks["threads"] = thread_check()
    checks["key_store"] = key_store_check(runtime)
    limiter = limiter_check(runtime, store_ok)
    if limiter is not None:
        checks["rate_limiter"] = limiter
    default_ready = default is not None and default.ready
    if not default_ready:
        status = "unhealthy"
    elif any(c["status"] != "pass" for c in checks.values()):
        status = "degraded"
    else:
        status = "healthy"
    body = {
        "status": status,
        "uptime_seconds": round(runtime.uptime(), 3),
        "model_loaded": default_ready,
        "model_version": default.version if default is not None and default_ready else None,
        "checks": checks,
    }
    return body, 503 if status == "unhealthy" else 200
