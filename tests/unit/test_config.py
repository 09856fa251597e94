"""Settings are checked once, before anything starts: enumerations in any case, and a bad
value is one line naming the variable, the value and what is allowed, exit status 2."""

from __future__ import annotations

import subprocess

import pytest

from specserve.config import Settings
from tests.procs import BIN, ROOT, clean_env, run


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
