"""Typed settings, read from `SPECSERVE_*` environment variables.

Build a `Settings` where it is needed (the app factory, the CLI); never at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
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
