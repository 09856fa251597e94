"""`make bench BENCH_ARGS="--only ..."`: just the named configurations, the reference added
when one is configured, and a clear refusal of a name the bench does not have."""

from __future__ import annotations

import pytest

from scripts.bench.runner import make_plan


def args(**over):
    from argparse import Namespace

    base = dict(quick=False, rounds=1, duration=1, warmup=0, only=None)
    return Namespace(**{**base, **over})


def test_only_keeps_the_named_configurations_and_their_scenarios(monkeypatch):
    monkeypatch.delenv("BENCH_REF_CMD", raising=False)
    monkeypatch.delenv("BENCH_REF_URL", raising=False)
    everything = make_plan(args())
    plan = make_plan(args(only="async/batching-on,floor/bare"))
    assert [c.name for c in plan.configs] == ["async/batching-on", "floor/bare"]
    assert set(plan.scenarios) == {"async/batching-on", "floor/bare"}
    assert plan.scenarios["floor/bare"] == everything.scenarios["floor/bare"]
    assert len(everything.configs) > len(plan.configs)


def test_the_reference_joins_any_selection(monkeypatch):
    monkeypatch.setenv("BENCH_REF_CMD", "true")
    monkeypatch.setenv("BENCH_REF_URL", "http://127.0.0.1:1")
    plan = make_plan(args(only="async/batching-on"))
    assert [c.name for c in plan.configs] == ["async/batching-on", "reference"]


def test_an_unknown_configuration_is_refused_with_the_known_ones():
    with pytest.raises(SystemExit) as exc:
        make_plan(args(only="async/batching-maybe"))
    assert "unknown configuration async/batching-maybe" in str(exc.value)
    assert "async/batching-on" in str(exc.value)
