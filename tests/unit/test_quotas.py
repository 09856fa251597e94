"""Quotas as operators write them: on a key (`keys create|update --quota`), per tier
(`SPECSERVE_QUOTA_TIERS`, checked at start-up), shown by `keys list`; and the spans
`GET /usage` takes, and how usage read live and from PostgreSQL merge."""

from __future__ import annotations

from datetime import date

import pytest

from specserve.auth.filestore import FileKeyStore
from specserve.auth.records import KeyStoreError
from specserve.cli import main
from specserve.errors import BadRequest
from specserve.ratelimit import quotas, report
from specserve.ratelimit.durable import merged
from specserve.ratelimit.usage import UsageRow
from tests.procs import BIN, clean_env, run


@pytest.fixture
def store(tmp_path):
    return FileKeyStore(tmp_path / "keys.json")


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("10000/day", "10000/day"), (" 5 / month ", "5/month"), ("NONE", "none")],
)
def test_a_quota_reads_as_rows_per_utc_day_or_month(text, canonical):
    assert quotas.normal(text) == canonical


@pytest.mark.parametrize("text", ["10/week", "0/day", "day", "-1/day", "1e3/day", ""])
def test_a_quota_that_is_not_rows_per_day_or_month_is_refused(text):
    with pytest.raises(ValueError, match="ROWS/day or ROWS/month"):
        quotas.normal(text)


def test_a_keys_own_quota_wins_over_its_tiers_and_none_removes_it():
    tiers = quotas.parse_tiers("free=10/day;pro=1000/month")
    assert quotas.effective(None, "free", tiers) == "10/day"
    assert quotas.effective("7/month", "free", tiers) == "7/month"
    assert quotas.effective("none", "free", tiers) is None
    assert quotas.effective(None, "default", tiers) is None


@pytest.mark.slow  # runs the CLI
def test_a_bad_quota_tier_setting_stops_start_up_with_one_line(tmp_path):
    env = clean_env(tmp_path, quota_tiers="free=10/week")
    result = run([str(BIN / "specserve"), "keys", "list"], env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "SPECSERVE_QUOTA_TIERS" in lines[0] and "ROWS/day" in lines[0]


def test_a_key_keeps_its_quota_and_update_changes_it(store):
    record, _ = store.create("alice", quota="100/day")
    assert store.get(record.id).quota == "100/day"
    assert store.set_quota(record.id, "none").quota == "none"
    assert store.set_quota(record.id, None).quota is None  # back to the tier's
    with pytest.raises(KeyStoreError, match="--quota"):
        store.set_quota(record.id, "100/week")
    with pytest.raises(KeyStoreError, match="no active key"):
        store.set_quota("000000000000", "1/day")


def test_the_keys_command_sets_and_shows_quotas(store, monkeypatch, capsys):
    monkeypatch.setenv("SPECSERVE_KEYS_FILE", str(store.path))
    monkeypatch.setenv("SPECSERVE_QUOTA_TIERS", "free=10000/day")
    assert main(["keys", "create", "--name", "a", "--tier", "free"]) == 0
    assert "quota: 10000/day (tier)" in capsys.readouterr().out
    assert main(["keys", "create", "--name", "b", "--quota", "50/month"]) == 0
    assert "quota: 50/month" in capsys.readouterr().out
    b = next(r for r in store.records() if r.name == "b")
    assert main(["keys", "update", b.id, "--quota", "70/day"]) == 0
    assert capsys.readouterr().out == f"Key {b.id} (b) now has the quota: 70/day.\n"
    assert main(["keys", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert "QUOTA" in listed[0]
    assert any("10000/day (tier)" in line for line in listed)
    assert any(b.id in line and "70/day" in line for line in listed)


def test_the_keys_command_refuses_a_bad_quota(store, monkeypatch, capsys):
    monkeypatch.setenv("SPECSERVE_KEYS_FILE", str(store.path))
    with pytest.raises(SystemExit) as exit_:
        main(["keys", "create", "--name", "a", "--quota", "5/week"])
    assert exit_.value.code == 2
    assert "ROWS/day or ROWS/month" in capsys.readouterr().err


def test_a_usage_span_defaults_to_this_month_and_is_bounded():
    first, last = report.span(None, "2026-03-15")
    assert (first, last) == (date(2026, 3, 1), date(2026, 3, 15))
    assert report.span("2026-01-01", "2026-01-01") == (date(2026, 1, 1), date(2026, 1, 1))
    assert report.span("2020-01-01", "2026-01-01") == (date(2024, 11, 28), date(2026, 1, 1))
    for bad in [("x", None), (None, ""), ("2026-02-30", None)]:
        with pytest.raises(BadRequest):
            report.span(*bad)


def row(day: int, requests: int, units: int, ok: int = 0) -> UsageRow:
    return UsageRow("key:a", "m", date(2026, 1, day), requests, units, ok, 0, 0)


def test_usage_read_live_and_from_postgresql_merges_each_count_by_the_larger():
    live = [row(2, 3, 30, ok=3)]  # today: the live counters are ahead
    stored = [row(1, 5, 50, ok=5), row(2, 2, 20, ok=1)]  # yesterday: only stored (a restart)
    assert merged(live, stored) == [row(1, 5, 50, ok=5), row(2, 3, 30, ok=3)]
