"""Typed settings, read from `SPECSERVE_*` environment variables, and their start-up check.

Build a `Settings` where it is needed (the app factory, the CLI); never at import time.
`load_settings` checks them once, before anything starts (the CLI, gunicorn.conf.py): a bad
setting stops start-up with one line per bad variable, naming it, its value and what is
allowed, and exit status 2; never a traceback.
"""

from __future__ import annotations

import ipaddress
import re
import sys
from pathlib import Path
from typing import Any, Literal, NoReturn, get_args

from limits import parse
from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from specserve.ratelimit.bucket import MIN_INTERVAL_US
from specserve.ratelimit.quotas import parse_tiers as parse_quota_tiers
from specserve.spec import SPEC_PATH

ROOT = SPEC_PATH.parent.parent


class Settings(BaseSettings):
    # settings hold secrets (the JWT secret, a database URL): errors never echo an input
    model_config = SettingsConfigDict(
        env_prefix="SPECSERVE_", extra="ignore", hide_input_in_errors=True, populate_by_name=True
    )

    host: str = "127.0.0.1"
    """Address gunicorn binds to."""
    port: int = Field(8000, ge=0, le=65535)
    """Port gunicorn binds to."""
    workers: int = Field(0, ge=0, le=64)
    """gunicorn worker processes; 0 means one per CPU core."""
    model_dir: Path = Path("models")
    """Model registry root: `<model_dir>/<name>/<version>/{model.skops,metadata.json}`."""
    model_poll_seconds: float = Field(2.0, ge=0)
    """How often each worker looks for new model versions on disk (0: only on reload)."""
    default_model: str = "fraud-detector"
    """Model used by `/predict` and `/batch_predict`."""
    keys_file: Path = Path("var/api_keys.json")
    """API key store (hashes only, mode 0600), used when `keys_url` is unset."""
    keys_url: SecretStr | None = None
    """Shared API key store in PostgreSQL, `postgresql://user@host:5432/db` (psycopg; the
    schema is created at start). Every instance keeps the keys in memory and sees a
    create, revoke or rotate within a second. Unset: the key file."""
    keys_max_staleness: float | None = Field(None, ge=1, le=86400)
    """Seconds the PostgreSQL key store's copy in memory may go without a sync; past it,
    requests authenticated by an API key (or a token issued for one) get 503, so a key
    revoked during a partition stops working. Unset: the keys known keep working however
    long the database is out of reach (available, but a revocation waits for it)."""
    max_body_bytes: int = Field(4 * 1024 * 1024, ge=1024)
    """Largest request body accepted; larger bodies get 413 without being read. The default,
    4 MiB, admits the largest request the spec allows: 100 rows of 1,000 features written as
    full-precision float64 JSON (`json.dumps`: at most 24 characters a number) is about
    2.6 MB, 3.2 MB pretty-printed."""
    gzip_min_bytes: int = Field(0, ge=0)
    """gzip answers of this many bytes on, for clients that send `Accept-Encoding: gzip`;
    0: off (the default: measured, it costs CPU per batch answer and only saves bandwidth)."""
    otlp_endpoint: str | None = Field(
        None,
        validation_alias=AliasChoices("SPECSERVE_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"),
    )
    """OTLP/HTTP base URL (e.g. `http://collector:4318`): export trace spans there. Unset
    (the default), no spans are made; `traceparent` is still read for the access log."""
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    """Log level of the JSON logs."""
    validate_responses: bool = False
    """Validate every response against the spec (on in tests; costs time per request)."""
    allow_pickle: bool = False
    """Load joblib/pickle artifacts. Pickle runs code on load: only for artifacts you trust."""
    model_max_bytes: int = Field(1024**3, ge=1024)
    """Largest artifact file a version may hold (skops, joblib, ONNX with its external data),
    checked before it is read; a larger one does not load."""
    model_max_uncompressed_bytes: int = Field(640 * 1024**2, ge=1024)
    """Most a skops artifact may inflate to, summed from its zip directory before a byte is
    inflated (a 500 MB forest fits; a small file holding a gigabyte of zeros does not)."""
    onnx_max_memory_bytes: int = Field(1024**3, ge=16 * 1024**2)
    """Most memory ONNX Runtime's shared allocator may hold in one worker, for all its
    sessions: a call that needs more fails with 500 `model_resource_limit`, the worker
    lives on."""
    graceful_timeout: int = Field(30, ge=1)
    """Seconds a worker gets to finish accepted requests on SIGTERM."""
    max_head_bytes: int = Field(32 * 1024, ge=1024, le=1024 * 1024)
    """Largest request head (request line and headers) a worker reads; a larger one gets 431
    and the connection is closed. Counted as the bytes arrive, so no head is buffered whole."""
    head_timeout: float = Field(15.0, gt=0, le=600)
    """Seconds a request head may take to arrive, from the connection's opening (or from its
    first byte, on a kept-alive connection); then 408 and close. A connection that sends
    nothing in this time is closed."""
    max_connections: int = Field(1024, ge=1, le=1_000_000)
    """Open connections per worker; a request on a connection beyond them gets 503 and the
    connection is closed."""
    max_connections_per_address: int = Field(128, ge=0, le=1_000_000)
    """Open connections per worker from one client address (an IPv6 address counts with its
    /64); a request on a connection beyond them gets 429 `too_many_connections`. 0: no cap.
    `SPECSERVE_TRUSTED_PROXIES` are not capped: their connections carry many clients. 128
    leaves room for a client's whole pool (httpx and aiohttp default to 100)."""
    predict_timeout: float = Field(10.0, gt=0, le=3600)
    """Seconds a request waits for its model call; past it, 504 `model_timeout`. Calls in the
    model threads (scikit-learn, slow graphs) are bounded by it; a fast ONNX call runs on the
    event loop (see README, Models)."""
    predict_threads: int = Field(2, ge=1, le=64)
    """Threads per worker for model calls that do not run on the event loop."""
    model_versions_loaded: int = Field(4, ge=0, le=256)
    """Versions each worker keeps loaded besides the one each model serves by default
    (addressed as `/models/{name}/versions/{version}`); the least recently used goes first."""
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

    prediction_log: SecretStr = SecretStr("")
    """Where each scored row is logged: empty (the default) for nowhere, `file` (JSON lines,
    one file per worker, under `var/predictions`), `file:/a/dir`, or a `postgresql://` URL
    (the table `prediction_log`, created at start). Written off the request path."""
    prediction_log_sample: float = Field(1.0, ge=0, le=1)
    """Share of requests logged (every row of a logged batch), 0 to 1."""
    prediction_log_max_bytes: int = Field(64 * 1024**2, ge=64 * 1024, le=1024**4)
    """File sink: a worker starts a new file when its file would grow past this size."""
    prediction_log_files: int = Field(20, ge=1, le=100_000)
    """File sink: most files kept in the directory (all workers); the oldest go first. The
    log's disk is bounded by files × max bytes."""
    prediction_log_buffer: int = Field(10_000, ge=1, le=10_000_000)
    """Records a worker holds for the writer; past them, records are dropped and counted
    (`specserve_prediction_log_dropped_total`), never waited for."""
    prediction_log_retention_days: float = Field(30.0, ge=0, le=36500)
    """PostgreSQL sink: rows older than this are deleted (hourly); 0 keeps them all."""
    prediction_log_redact: str = ""
    """Comma-separated input names logged as `"[redacted]"` (with those a model's signature
    marks `"redact": true`)."""

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
    rate_limit: str = "100/minute"
    """Default limit per API key (or token subject), in `limits` notation: `100/minute`. A
    batch costs one unit per row, so the default admits the largest batch (100 rows); a
    request costing more than its key's whole limit gets 429 `cost_exceeds_limit` at once."""
    rate_limit_tiers: str = ""
    """Per-tier limits, `tier=limit;...`, e.g. `free=10/minute;pro=600/minute`; with the
    token bucket a tier may name its burst: `pro=1000/minute burst 2000`."""
    auth_rate_limit: str = "20/minute"
    """Failed authentications per client address; further failures get 429 (a valid
    credential is never refused because of someone else's failures)."""
    anon_rate_limit: str = "120/minute"
    """Requests without credentials for the public documents (the spec, Swagger UI, the docs
    page) per client address; further ones get 429. `/health` is exempt."""
    token_rate_limit: str = "20/minute"
    """Tokens `/auth/token` issues per API key."""
    rate_limit_strategy: Literal[
        "moving-window", "fixed-window", "sliding-window-counter", "token-bucket"
    ] = "moving-window"
    """Rate-limit strategy; moving-window is exact and never over-consumes on a refused batch;
    token-bucket (GCRA) admits a burst, then the limit's steady rate."""
    rate_limit_burst: int | None = Field(None, ge=1, le=100_000_000)
    """Token bucket only: units the default limit (`SPECSERVE_RATE_LIMIT`) lets a key spend
    at once. Unset: the limit's amount (the largest request the window strategies admit)."""
    usage_retention_days: int = Field(400, ge=1, le=3650)
    """Days the usage counters per identity, model and day are kept in Redis."""
    rate_limit_fail: Literal["open", "closed"] = "open"
    """When the store is down: `open` serves (and warns), `closed` answers 503."""
    rate_limit_key_prefix: str = "specserve"
    """Prefix of the store's keys: instances sharing limits must share it."""
    rate_limit_enabled: bool = True
    """Turn rate limiting off entirely (benchmarks of the bare stack)."""
    quota_tiers: str = ""
    """Default quota per tier, `tier=ROWS/day|month;...`, e.g. `free=10000/day;pro=1000000/month`
    (UTC days and months). A quota counts what the rate limit charges (rows); past it, 429
    `quota_exceeded` until the period ends. A key's own quota (`keys update --quota`) wins."""
    usage_flush_seconds: float = Field(10.0, ge=1.0, le=3600.0)
    """With keys in PostgreSQL: how often each instance copies recent days' usage counters
    into `specserve_usage_daily` (a restart of the service or of Redis keeps usage)."""
    cors_origins: str = ""
    """Comma-separated origins allowed to call the API from browsers. Empty: CORS off.
    `*` is refused: name each origin. Credentials (cookies) are never allowed."""
    trusted_proxies: str = ""
    """Comma-separated proxy IPs/CIDRs whose `X-Forwarded-For` is trusted for the client IP."""

    @field_validator("log_level", "rate_limit_strategy", "rate_limit_fail", mode="before")
    @classmethod
    def _any_case(cls, value: object, info: ValidationInfo) -> object:
        """Enumerations are case-insensitive: `SPECSERVE_LOG_LEVEL=info` means `INFO`."""
        if not isinstance(value, str):
            return value
        allowed = get_args(cls.model_fields[str(info.field_name)].annotation)
        return next((a for a in allowed if a.lower() == value.strip().lower()), value)

    @field_validator("rate_limit", "auth_rate_limit", "anon_rate_limit", "token_rate_limit")
    @classmethod
    def _check_limit(cls, value: str) -> str:
        check_limit(value)
        return value

    @field_validator("rate_limit_tiers")
    @classmethod
    def _check_tiers(cls, value: str) -> str:
        for part in filter(None, (p.strip() for p in value.split(";"))):
            name, sep, limit = part.partition("=")
            if not sep or not name.strip():
                raise ValueError(f"expected tier=limit;... (e.g. {TIERS_EXAMPLE}), got {part!r}")
            try:
                check_limit(split_tier(limit)[0])
            except ValueError:
                raise ValueError(
                    f"expected tier=limit[ burst N];... (e.g. {TIERS_EXAMPLE}), got {part!r}"
                ) from None
        return value

    @field_validator("quota_tiers")
    @classmethod
    def _check_quota_tiers(cls, value: str) -> str:
        parse_quota_tiers(value)
        return value

    @model_validator(mode="after")
    def _check_burst(self) -> Settings:
        """A burst is the token bucket's: with a window strategy it would do nothing."""
        if self.rate_limit_strategy == "token-bucket":
            return self
        tiers = self.rate_limit_tiers.split(";")
        if self.rate_limit_burst:
            where = "SPECSERVE_RATE_LIMIT_BURST"
        elif any(split_tier(part.partition("=")[2])[1] for part in tiers):
            where = "A burst in SPECSERVE_RATE_LIMIT_TIERS"
        else:
            return self
        raise ValueError(
            f"{where} applies to SPECSERVE_RATE_LIMIT_STRATEGY=token-bucket only: "
            "set that strategy, or remove the burst"
        )

    @model_validator(mode="after")
    def _check_bucket_rates(self) -> Settings:
        """The token bucket counts in microseconds: a limit faster than one unit every
        MIN_INTERVAL_US would be decided by its rounding, not by the limit."""
        if self.rate_limit_strategy != "token-bucket":
            return self
        named = [
            ("SPECSERVE_RATE_LIMIT=", self.rate_limit),
            ("SPECSERVE_AUTH_RATE_LIMIT=", self.auth_rate_limit),
            ("SPECSERVE_ANON_RATE_LIMIT=", self.anon_rate_limit),
            ("SPECSERVE_TOKEN_RATE_LIMIT=", self.token_rate_limit),
        ] + [
            (f"SPECSERVE_RATE_LIMIT_TIERS: {name.strip()}=", split_tier(limit)[0])
            for name, _, limit in (p.partition("=") for p in self.rate_limit_tiers.split(";"))
            if limit.strip()
        ]
        fastest = int(1e6 / MIN_INTERVAL_US)
        for where, text in named:
            item = parse(text)
            if item.get_expiry() * 1e6 / item.amount < MIN_INTERVAL_US:
                raise ValueError(
                    f"{where}{text} is too fast for the token bucket: at most {fastest} "
                    "per second (e.g. 1000000/minute)"
                )
        return self

    @model_validator(mode="after")
    def _check_cors(self) -> Settings:
        if "*" in self.cors_origins:
            raise ValueError("SPECSERVE_CORS_ORIGINS must list origins explicitly, not '*'")
        return self

    @field_validator("otlp_endpoint")
    @classmethod
    def _check_otlp(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL (OTLP over HTTP)")
        return value

    @field_validator("keys_url")
    @classmethod
    def _check_keys_url(cls, value: SecretStr | None) -> SecretStr | None:
        url = value.get_secret_value() if value else ""
        if not url:
            return value
        from psycopg import ProgrammingError
        from psycopg.conninfo import conninfo_to_dict

        try:
            valid = url.startswith(("postgresql://", "postgres://")) and conninfo_to_dict(url)
        except ProgrammingError:
            valid = False
        if not valid:  # never echo the URL: it may hold a password
            raise ValueError("SPECSERVE_KEYS_URL must be a postgresql://user@host:port/db URL")
        return value

    @field_validator("prediction_log")
    @classmethod
    def _check_prediction_log(cls, value: SecretStr) -> SecretStr:
        from specserve.predlog.sinks import check_target

        check_target(value.get_secret_value())  # never echoes a URL: it may hold a password
        return value

    @field_validator("prediction_log_redact")
    @classmethod
    def _check_redact(cls, value: str) -> str:
        from specserve.serving.signature import NAME

        for name in filter(None, (n.strip() for n in value.split(","))):
            if not NAME.fullmatch(name):
                raise ValueError(f"expected comma-separated input names; {name!r} is not one")
        return value

    @model_validator(mode="after")
    def _check_staleness(self) -> Settings:
        """A bound that would do nothing is refused: the key file is read on every request."""
        postgres = self.keys_url is not None and self.keys_url.get_secret_value()
        if self.keys_max_staleness is not None and not postgres:
            raise ValueError(
                "SPECSERVE_KEYS_MAX_STALENESS applies to the PostgreSQL key store: "
                "set SPECSERVE_KEYS_URL too, or unset it"
            )
        return self

    @field_validator("host")
    @classmethod
    def _check_host(cls, value: str) -> str:
        """An address or a host name without a port (gunicorn binds `host:port`); whether a
        name resolves is found out by gunicorn.conf.py's bind probe, before any worker."""
        try:
            ipaddress.ip_address(value)
        except ValueError:
            if len(value) > 253 or not HOSTNAME.fullmatch(value):
                raise ValueError(
                    "expected an IP address or a host name, without a port (SPECSERVE_PORT)"
                ) from None
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _check_proxies(cls, value: str) -> str:
        from specserve.ratelimit.clientip import trusted_networks

        try:
            trusted_networks(value)
        except ValueError:
            raise ValueError(
                "expected comma-separated IP addresses or CIDR networks, e.g. 10.0.0.0/8,::1"
            ) from None
        return value

    @field_validator("jwt_public_key")
    @classmethod
    def _check_public_key(cls, value: str | None) -> str | None:
        """Loaded as a worker loads it (`specserve.auth.tokens`), so a worker never fails
        to boot on it; imported here, not at the top, as tokens imports this module."""
        if value:
            from specserve.auth.tokens import load_public_key

            load_public_key(value)
        return value or None

    @field_validator("jwt_jwks_file")
    @classmethod
    def _check_jwks(cls, value: Path | None) -> Path | None:
        if value is not None:
            from specserve.auth.tokens import load_jwks

            load_jwks(value)
        return value

    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, value: str | None) -> str | None:
        if value:
            from specserve.ratelimit.redis_client import check_url

            check_url(value)
        return value

    @model_validator(mode="after")
    def _check_secret(self) -> Settings:
        secret_file = self.jwt_secret_file
        if self.jwt_secret is None and secret_file is not None and secret_file.exists():
            try:
                self.jwt_secret = SecretStr(secret_file.read_text().strip())
            except (OSError, UnicodeDecodeError) as exc:
                why = getattr(exc, "strerror", None) or "not text"
                raise ValueError(
                    f"SPECSERVE_JWT_SECRET_FILE={str(secret_file)!r} cannot be read ({why})"
                ) from None
        if self.jwt_secret is not None:
            check_secret(self.jwt_secret.get_secret_value())
        return self


HOSTNAME = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?")
LIMIT_HELP = "a rate limit such as 60/minute or 10 per second (second, minute, hour, day)"
TIERS_EXAMPLE = "free=10/minute;pro=600/minute burst 1200"
TIER_BURST = re.compile(r"\s+burst\s+(\d+)\s*$", re.IGNORECASE)


def split_tier(text: str) -> tuple[str, int | None]:
    """A tier's `limit[ burst N]` → (the limit, N or None); N must be at least 1."""
    found = TIER_BURST.search(text)
    if not found:
        return text.strip(), None
    burst = int(found.group(1))
    if burst < 1:
        raise ValueError("a burst is at least 1")
    return text[: found.start()].strip(), burst


def check_limit(text: str) -> None:
    try:
        parse(text)
    except ValueError:
        raise ValueError(f"expected {LIMIT_HELP}") from None


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


PREFIX = "SPECSERVE_"
# values that may hold credentials are never echoed
HIDDEN = {"jwt_secret", "redis_url", "prediction_log"}
EXIT_BAD_SETTING = 2


def load_settings() -> Settings:
    """`Settings()` from the environment, or exit 2 with one line per bad variable."""
    try:
        return Settings()
    except ValidationError as exc:
        fail([describe(dict(error)) for error in exc.errors(include_url=False)])
    except OSError as exc:  # e.g. an unreadable SPECSERVE_JWT_SECRET_FILE
        fail([f"cannot read {exc.filename}: {exc.strerror}"])


def fail(lines: list[str]) -> NoReturn:
    for line in lines:
        print(f"specserve: {line}", file=sys.stderr)
    raise SystemExit(EXIT_BAD_SETTING)


def describe(error: dict[str, Any]) -> str:
    """One line: the variable, its value and what is allowed."""
    if not error["loc"]:  # a check across settings; its message names the variables
        return _message(error)
    field = str(error["loc"][0])
    # an inline PEM is never echoed: it may be a private key pasted by mistake
    hidden = field in HIDDEN or "-----BEGIN" in str(error["input"])
    value = "<hidden>" if hidden else repr(error["input"])
    return f"{PREFIX}{field.upper()}={value} is not allowed: {allowed(error)}"


def allowed(error: dict[str, Any]) -> str:
    kind, ctx = error["type"], error.get("ctx", {})
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "greater_than": ("more than", "gt"),
        "less_than_equal": ("at most", "le"),
        "less_than": ("less than", "lt"),
    }
    if kind == "literal_error":
        return f"expected one of {ctx['expected'].replace(chr(39), '')} (any case)"
    if kind in bounds:
        words, key = bounds[kind]
        return f"expected {words} {ctx[key]}"
    return {
        "int_parsing": "expected a whole number",
        "float_parsing": "expected a number",
        "bool_parsing": "expected true or false",
    }.get(kind) or _message(error)


def _message(error: dict[str, Any]) -> str:
    return str(error["msg"]).removeprefix("Value error, ")
