"""Settings are checked once, before anything starts: enumerations in any case, and a bad
value is one line naming the variable, the value and what is allowed, exit status 2.

Every setting is in one of the tables below, generated checks run over them, and a setting
added to `Settings` without an entry fails `test_every_setting_has_an_entry`: a new setting
cannot skip its start-up check."""

from __future__ import annotations

import json
import subprocess

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from specserve.config import Settings, load_settings
from tests.procs import BIN, ROOT, clean_env, run

NOT_PEM_NOT_JSON = str(ROOT / "README.md")

# One value each setting refuses, as its environment variable would hold it.
BAD_VALUES = {
    "host": "0.0.0.0:8000",  # the port goes in SPECSERVE_PORT
    "port": "abc",
    "workers": "65",
    "model_poll_seconds": "-1",
    "keys_url": "mysql://u@h/db",
    "keys_max_staleness": "0.5",
    "max_body_bytes": "10",
    "gzip_min_bytes": "-1",
    "otlp_endpoint": "collector:4318",
    "log_level": "verbose",
    "validate_responses": "maybe",
    "allow_pickle": "maybe",
    "model_max_bytes": "1",
    "model_max_uncompressed_bytes": "1",
    "onnx_max_memory_bytes": "1",
    "graceful_timeout": "0",
    "max_head_bytes": "10",
    "head_timeout": "-1",
    "max_connections": "0",
    "max_connections_per_address": "-1",
    "predict_timeout": "0",
    "predict_threads": "0",
    "model_versions_loaded": "-1",
    "microbatch": "maybe",
    "microbatch_max_size": "0",
    "microbatch_max_wait_ms": "-1",
    "jwt_secret": "short-Secret-Value",
    "jwt_secret_file": "/",  # a folder: it cannot be read
    "jwt_public_key": NOT_PEM_NOT_JSON,  # a file that is not a PEM key
    "jwt_jwks_file": NOT_PEM_NOT_JSON,  # a file that is not JSON
    "jwt_leeway": "301",
    "token_ttl": "10",
    "redis_url": "redis://h:notaport/4",
    "rate_limit": "lots",
    "rate_limit_tiers": "free",
    "auth_rate_limit": "20/fortnight",
    "anon_rate_limit": "lots",
    "token_rate_limit": "lots",
    "rate_limit_strategy": "leaky-bucket",
    "rate_limit_burst": "0",
    "usage_retention_days": "3651",
    "usage_flush_seconds": "0.5",
    "quota_tiers": "free=10/week",
    "rate_limit_fail": "maybe",
    "rate_limit_enabled": "maybe",
    "cors_origins": "*",
    "trusted_proxies": "not-an-ip",
    "prediction_log": "s3://bucket/predictions",
    "prediction_log_sample": "1.5",
    "prediction_log_max_bytes": "100",
    "prediction_log_files": "0",
    "prediction_log_buffer": "0",
    "prediction_log_retention_days": "-1",
    "prediction_log_redact": "risk_score,/etc/passwd",
}
# Any value is usable: why.
ANY_VALUE = {
    "model_dir": "a missing registry makes /health unhealthy; the service still starts",
    "default_model": "a model not on disk makes /health unhealthy (503), not a crash",
    "keys_file": "created by the first `keys create`; a bad one degrades /health",
    "jwt_issuer": "any text an identity provider puts in `iss`",
    "jwt_audience": "any text an identity provider puts in `aud`",
    "rate_limit_key_prefix": "any text prefixes the store's keys",
}
# More refused values, the ones the hardening issue reported (each once ended in a traceback)
ISSUE_VALUES = [
    ("token_rate_limit", "lots"),
    ("trusted_proxies", "not-an-ip"),
    ("jwt_public_key", "/nonexistent"),
    ("jwt_jwks_file", NOT_PEM_NOT_JSON),
    ("redis_url", "redis://h:notaport/4"),
    ("redis_url", "redis+sentinel://h:26379"),
    ("redis_url", "redis://h:6379/x"),
]
ALL_BAD = sorted(set(BAD_VALUES.items()) | set(ISSUE_VALUES))


def assert_one_line(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for word in words:
        assert word in lines[0], lines[0]


def test_enumerations_accept_any_case():
    settings = Settings(log_level="info", rate_limit_fail="CLOSED")
    assert (settings.log_level, settings.rate_limit_fail) == ("INFO", "closed")
    assert Settings(rate_limit_strategy="Fixed-Window").rate_limit_strategy == "fixed-window"


@pytest.mark.parametrize(
    "field, value",
    [("rate_limit", "lots"), ("auth_rate_limit", "20/fortnight"), ("rate_limit_tiers", "free")],
)
def test_rate_limits_are_checked_with_the_settings(field, value):
    with pytest.raises(ValueError, match="rate limit|tier=limit"):
        Settings(**{field: value})


@pytest.mark.slow  # runs the CLI
def test_the_cli_accepts_a_lower_case_log_level(tmp_path):
    result = run([str(BIN / "specserve"), "keys", "list"], clean_env(tmp_path, log_level="info"))
    assert result.returncode == 0, result.stderr


@pytest.mark.slow  # runs the CLI
@pytest.mark.parametrize(
    "setting, value, allowed",
    [
        ("log_level", "verbose", "DEBUG, INFO, WARNING or ERROR"),
        ("port", "abc", "whole number"),
        ("rate_limit", "lots", "60/minute"),
        ("head_timeout", "-1", "more than 0"),
    ],
)
def test_a_bad_setting_stops_the_cli_with_one_line(tmp_path, setting, value, allowed):
    env = clean_env(tmp_path, **{setting: value})
    result = run([str(BIN / "specserve"), "keys", "create", "--name", "x"], env)
    assert_one_line(result, f"SPECSERVE_{setting.upper()}", repr(value), allowed)
    assert not (tmp_path / "keys.json").exists(), "the command ran"


@pytest.mark.slow  # runs gunicorn
@pytest.mark.parametrize(
    "setting, value", [("rate_limit", "lots"), ("port", "abc"), ("log_level", "loud")]
)
def test_a_bad_setting_stops_gunicorn_before_any_worker_boots(tmp_path, setting, value):
    env = clean_env(tmp_path, **{setting: value}, model_dir=str(tmp_path / "models"))
    result = run([str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")], env)
    assert_one_line(result, f"SPECSERVE_{setting.upper()}", repr(value))
    assert "Booting worker" not in result.stdout + result.stderr


@pytest.mark.slow  # runs the CLI
def test_a_secret_value_is_never_echoed(tmp_path):
    env = clean_env(tmp_path, jwt_secret="short-Secret-Value")
    result = run([str(BIN / "specserve"), "keys", "list"], env)
    assert_one_line(result, "SPECSERVE_JWT_SECRET")
    assert "short-Secret-Value" not in result.stderr


def test_every_setting_has_an_entry():
    tables = [set(BAD_VALUES), set(ANY_VALUE)]
    missing = set(Settings.model_fields) - set().union(*tables)
    assert not missing, f"add a refused value (or a reason) for {sorted(missing)} above"
    assert sum(map(len, tables)) == len(set().union(*tables)), "a setting in two tables"
    assert set().union(*tables) <= set(Settings.model_fields), "a table names a gone setting"


def one_line_of(monkeypatch, capsys, field: str, value: str) -> str:
    """The one line `load_settings` prints for SPECSERVE_<FIELD>=value (it exits 2)."""
    monkeypatch.setenv(f"SPECSERVE_{field.upper()}", value)
    with pytest.raises(SystemExit) as stopped:
        load_settings()
    assert stopped.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    assert f"SPECSERVE_{field.upper()}" in lines[0]
    return lines[0]


@pytest.mark.parametrize("field, value", ALL_BAD)
def test_a_bad_value_of_each_setting_is_one_line(monkeypatch, capsys, field, value):
    one_line_of(monkeypatch, capsys, field, value)


def pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, private: bool = False) -> str:
    if private:
        return key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    return key.public_key().public_bytes(serialization.Encoding.PEM, public).decode()


def test_identity_provider_keys_that_verify_are_accepted(tmp_path):
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    (tmp_path / "rsa.pem").write_text(pem(rsa_key))
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(ec_key.public_key()))
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": [{**jwk, "kid": "ec-1"}]}))
    for public_key in (pem(rsa_key), pem(ec_key), str(tmp_path / "rsa.pem")):
        assert Settings(jwt_public_key=public_key).jwt_public_key == public_key
    assert Settings(jwt_jwks_file=tmp_path / "jwks.json").jwt_jwks_file


def test_a_private_key_is_refused_and_never_echoed(monkeypatch, capsys, tmp_path):
    private = pem(rsa.generate_private_key(public_exponent=65537, key_size=2048), private=True)
    line = one_line_of(monkeypatch, capsys, "jwt_public_key", private)
    assert "not a private key" in line and "<hidden>" in line and "MII" not in line
    monkeypatch.delenv("SPECSERVE_JWT_PUBLIC_KEY")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key))  # holds `d`
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": [jwk]}))
    line = one_line_of(monkeypatch, capsys, "jwt_jwks_file", str(tmp_path / "jwks.json"))
    assert "private key" in line and jwk["d"][:16] not in line


@pytest.mark.parametrize(
    "url",
    ["redis://:hunter2@h:hunter2/0", "redis+cluster://:hunter2@h:hunter2", "redis://h/hunter2"],
)
def test_a_bad_redis_url_never_echoes_its_password(monkeypatch, capsys, url):
    assert "hunter2" not in one_line_of(monkeypatch, capsys, "redis_url", url)


@pytest.mark.parametrize(
    "url",
    [
        "redis://127.0.0.1:6379/0",
        "rediss://:pw@h:6380/2",
        "redis+unix:///run/redis.sock",
        "redis+sentinel://:pw@h1:26379,h2:26379/mymaster",
        "redis+cluster://h1:7000,h2:7001",
        "async+redis://h",
    ],
)
def test_every_documented_redis_url_form_is_accepted(url):
    assert Settings(redis_url=url).redis_url == url


def test_a_staleness_bound_needs_the_postgresql_store(monkeypatch, capsys):
    line = one_line_of(monkeypatch, capsys, "keys_max_staleness", "30")
    assert "SPECSERVE_KEYS_URL" in line
    settings = Settings(keys_url="postgresql://h/db", keys_max_staleness="30")
    assert settings.keys_max_staleness == 30


@pytest.mark.parametrize("host", ["127.0.0.1", "::", "0.0.0.0", "localhost", "api.example.test."])
def test_hosts_are_addresses_or_names(host):
    assert Settings(host=host).host == host


def test_trusted_proxies_take_addresses_and_networks():
    value = "10.0.0.0/8, 127.0.0.1,::1"
    assert Settings(trusted_proxies=value).trusted_proxies == value


@pytest.mark.slow  # runs gunicorn once per setting
@pytest.mark.parametrize("field, value", ALL_BAD)
def test_gunicorn_refuses_each_bad_setting_in_one_line(tmp_path, field, value):
    env = clean_env(tmp_path, **{field: value}, model_dir=str(tmp_path / "models"))
    result = run([str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")], env)
    assert_one_line(result, f"SPECSERVE_{field.upper()}")
    assert "Booting worker" not in result.stdout + result.stderr


@pytest.mark.slow  # runs the CLI (the same `load_settings` as gunicorn and the in-process tests)
@pytest.mark.parametrize("field, value", ISSUE_VALUES)
def test_the_cli_refuses_the_reported_settings_in_one_line(tmp_path, field, value):
    env = clean_env(tmp_path, **{field: value})
    result = run([str(BIN / "specserve"), "keys", "list"], env)
    assert_one_line(result, f"SPECSERVE_{field.upper()}")
