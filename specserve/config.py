"""Typed settings, read from `SPECSERVE_*` environment variables.

Build a `Settings` where it is needed (the app factory, the CLI); never at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi" / "openapi.yaml"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SPECSERVE_", extra="ignore")

    host: str = "127.0.0.1"
    """Address gunicorn binds to."""
    port: int = Field(8000, ge=0, le=65535)
    """Port gunicorn binds to."""
    workers: int = Field(0, ge=0, le=64)
    """gunicorn worker processes; 0 means one per CPU core."""
    app: Literal["async", "flask"] = "async"
    """Connexion app flavour: `async` (AsyncApp, the faster) or `flask` (FlaskApp)."""
    model_dir: Path = Path("models")
    """Model registry root: `<model_dir>/<name>/<version>/{model.skops,metadata.json}`."""
    model_poll_seconds: float = Field(2.0, ge=0)
    """How often each worker looks for new model versions on disk (0: only on reload)."""
    default_model: str = "fraud-detector"
    """Model used by `/predict` and `/batch_predict`."""
    keys_file: Path = Path("var/api_keys.json")
    """API key store (hashes only, mode 0600)."""
    max_body_bytes: int = Field(1024 * 1024, ge=1024)
    """Largest request body accepted; larger bodies get 413 without being read."""
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    """Log level of the JSON logs."""
    validate_responses: bool = False
    """Validate every response against the spec (on in tests; costs time per request)."""
    allow_pickle: bool = False
    """Load joblib/pickle artifacts. Pickle runs code on load: only for artifacts you trust."""
    graceful_timeout: int = Field(30, ge=1)
    """Seconds a worker gets to finish accepted requests on SIGTERM."""
    microbatch: bool = True
    """Coalesce concurrent single-row predictions for one model, within a worker, into one
    vectorised model call (`specserve.serving.batching`). A lone request is scored at once. On by
    default: from 8 connections up it serves more requests per second at a lower p99 and
    less CPU per request (see README, Performance)."""
    microbatch_max_size: int = Field(64, ge=1, le=1024)
    """Most rows one coalesced model call scores; more waiting rows go in the next call."""
    microbatch_max_wait_ms: float = Field(0.0, ge=0, le=60000)
    """Extra time, in milliseconds, a call may wait for more rows once rows are already
    queueing behind a running call. 0: never wait; rows that queued meanwhile go together."""

    jwt_secret: SecretStr | None = None
    """HS256 secret for the tokens `/auth/token` issues (32+ bytes). Unset: no bearer tokens."""
    jwt_secret_file: Path | None = None
    """File holding the HS256 secret (used when `jwt_secret` is unset; `make serve` makes one)."""
    jwt_public_key: str | None = None
    """PEM public key (or a path to one) for RS256/ES256 tokens from an identity provider."""
    jwt_jwks_file: Path | None = None
    """JWKS file of identity-provider keys, selected by the token's `kid`."""
    jwt_issuer: str = "specserve"
    """Required `iss` claim."""
    jwt_audience: str = "specserve"
    """Required `aud` claim."""
    jwt_leeway: int = Field(30, ge=0, le=300)
    """Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds."""
    token_ttl: int = Field(900, ge=60, le=86400)
    """Lifetime of issued access tokens, in seconds."""

    redis_url: str | None = Field(
        None, pattern=r"^$|^(async\+)?(redis|rediss|redis\+unix|redis\+sentinel|redis\+cluster)://"
    )
    """Shared rate-limit store: `redis://`, `rediss://`, `redis+sentinel://`,
    `redis+cluster://`. Unset: an in-process store, and one worker so limits stay exact."""
    rate_limit: str = "60/minute"
    """Default limit per API key (or token subject), in `limits` notation: `60/minute`."""
    rate_limit_tiers: str = ""
    """Per-tier limits, `tier=limit;...`, e.g. `free=10/minute;pro=600/minute`."""
    auth_rate_limit: str = "20/minute"
    """Per client IP: token requests and failed authentications."""
    rate_limit_strategy: Literal["moving-window", "fixed-window", "sliding-window-counter"] = (
        "moving-window"
    )
    """`limits` strategy; moving-window is exact and never over-consumes on a refused batch."""
    rate_limit_fail: Literal["open", "closed"] = "open"
    """When the store is down: `open` serves (and warns), `closed` answers 503."""
    rate_limit_key_prefix: str = "specserve"
    """Prefix of the store's keys: instances sharing limits must share it."""
    rate_limit_enabled: bool = True
    """Turn rate limiting off entirely (benchmarks of the bare stack)."""
    cors_origins: str = ""
    """Comma-separated origins allowed to call the API from browsers. Empty: CORS off.
    `*` is refused: name each origin. Credentials (cookies) are never allowed."""
    trusted_proxies: str = ""
    """Comma-separated proxy IPs/CIDRs whose `X-Forwarded-For` is trusted for the client IP."""

    @model_validator(mode="after")
    def _check_cors(self) -> Settings:
        if "*" in self.cors_origins:
            raise ValueError("SPECSERVE_CORS_ORIGINS must list origins explicitly, not '*'")
        return self

    @model_validator(mode="after")
    def _check_secret(self) -> Settings:
        secret_file = self.jwt_secret_file
        if self.jwt_secret is None and secret_file is not None and secret_file.exists():
            self.jwt_secret = SecretStr(secret_file.read_text().strip())
        if self.jwt_secret is not None:
            check_secret(self.jwt_secret.get_secret_value())
        return self


WEAK_SECRETS = {
    "secret",
    "changeme",
    "change-me",
    "your-secret-key-here",
    "your-secret-key",
    "jwt-secret",
    "supersecret",
    "password",
    "default",
    "test",
    "example",
}


def check_secret(secret: str) -> None:
    """Refuse secrets an attacker could guess: short, placeholder-like, or one repeated char."""
    lowered = secret.lower()
    if len(secret.encode()) < 32:
        raise ValueError("SPECSERVE_JWT_SECRET must be at least 32 bytes")
    if any(w in lowered for w in WEAK_SECRETS) or len(set(secret)) < 8:
        raise ValueError(
            "SPECSERVE_JWT_SECRET looks like a placeholder; use a random value, "
            "e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`"
        )
