"""`specserve predictions replay`: re-score logged rows with a version, a gate before promote.

specserve predictions replay NAME --version V [--since 7d|2026-12-01T00:00] [--limit N]
                             [--from file|file:DIR|postgresql://...] [--tolerance X]
                             [--max-disagreement R] [--json]

Reads the prediction log (`--from`, else `SPECSERVE_PREDICTION_LOG`), loads version V from
the model store as `specserve models check` does, re-scores the rows' logged inputs and
prints the agreement by logged version. Without `--limit` the rows are streamed in batches
(the counts add up), so a large log is never held in memory; with it, the most recent N.
Exit status: 0; 1 when the share of re-scored rows that disagree is above
`--max-disagreement` (or when nothing could be compared against one), or when V will not
load; 2 on bad usage.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from specserve.cli.models import _model_name, _refuse, _sample, _settings, _version, load_named
from specserve.predlog.records import TIME_FORMAT
from specserve.predlog.sinks import HELP, Target, parse_target
from specserve.serving.outputs import TOLERANCE  # not rollout: the CLI imports no metrics

AGO = re.compile(r"^(\d+)([smhd])$")
UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def since(text: str) -> str:
    """`7d`, `12h`, `30m`, `45s` ago, or an ISO date or time (UTC unless it says), as the
    log's own time format (an argparse type)."""
    match = AGO.match(text.strip())
    try:
        if match:
            when = datetime.now(UTC) - timedelta(**{UNITS[match[2]]: int(match[1])})
        else:
            when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError(
            f"{text[:40]!r}: expected e.g. 7d, 12h, 30m or an ISO date/time"
        ) from None
    return when.astimezone(UTC).strftime(TIME_FORMAT)


def source(text: str) -> Target:
    try:
        return parse_target(text)
    except ValueError:
        raise argparse.ArgumentTypeError(HELP) from None  # never echo: a URL may hold a password


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text[:20]!r}: expected a whole number from 1")
    return value


def tolerance(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"{text[:20]!r}: expected a number from 0")
    return value


def cmd_replay(args: argparse.Namespace) -> int:
    from specserve.predlog import reader
    from specserve.predlog.replay import replay
    from specserve.serving.artifacts import ModelRefused

    target = args.source
    if target is None:
        configured = _settings(args).prediction_log.get_secret_value()
        if not configured:
            print(
                "usage: no prediction log: pass --from, or set SPECSERVE_PREDICTION_LOG",
                file=sys.stderr,
            )
            return 2
        target = parse_target(configured)
    try:
        model = load_named(args)
    except ModelRefused as exc:
        return _refuse(str(exc))
    try:  # the records are read as they are replayed
        records = reader.read(target, args.name, args.since, args.limit)
        outcome = replay(model, records, args.tolerance)
    except Exception as exc:  # an unreachable database: one line, never the URL
        return _refuse(f"cannot read the prediction log ({type(exc).__name__})")
    if args.json:
        print(json.dumps(outcome.to_json(), indent=2))
    else:
        print_table(outcome)
    if args.max_disagreement is None:
        return 0
    if outcome.rows == 0:
        print("no row could be compared: the gate does not pass", file=sys.stderr)
        return 1
    if outcome.rate > args.max_disagreement:
        print(
            f"disagreement {outcome.rate:.2%} is above --max-disagreement "
            f"{args.max_disagreement:.2%}",
            file=sys.stderr,
        )
        return 1
    return 0


def print_table(outcome: Any) -> None:
    print(f"Replayed {outcome.read} logged rows of {outcome.model} with version {outcome.version}")
    print(f"{'logged':14}  {'replayed':10}  {'rows':>8}  {'agree':>8}  {'disagree':>8}  disagree %")
    for g in outcome.groups.values():
        print(
            f"{g.version:14}  {outcome.version:10}  {g.rows:8}  {g.agree:8}  {g.disagree:8}  "
            f"{g.rate:.2%}"
        )
        if g.deltas:
            from specserve.predlog.replay import summary

            s = summary(g.deltas)
            print(f"  |Δ| median {s['median']:.6g}, p95 {s['p95']:.6g}, max {s['max']:.6g}")
    print(
        f"{'all':14}  {outcome.version:10}  {outcome.rows:8}  {outcome.rows - outcome.disagree:8}"
        f"  {outcome.disagree:8}  {outcome.rate:.2%}"
    )
    for why, n in sorted(outcome.skipped.items()):
        print(f"not re-scored: {n} rows ({why})")


def register(sub: Any) -> None:
    """Add `predictions` and its subcommands to the `specserve` parser."""
    predictions = sub.add_parser("predictions", help="read back and replay the prediction log")
    actions = predictions.add_subparsers(dest="action", required=True)
    p = actions.add_parser("replay", help="re-score logged rows with a version")
    p.add_argument("name", type=_model_name)
    p.add_argument("--version", type=_version, required=True)
    p.add_argument("--since", type=since, help="7d, 12h, 30m, or an ISO date/time (UTC)")
    p.add_argument(
        "--limit", type=positive, help="the most recent N rows (default: every row, streamed)"
    )
    p.add_argument(
        "--from",
        dest="source",
        type=source,
        help="file, file:DIR or a postgresql:// URL (default: SPECSERVE_PREDICTION_LOG)",
    )
    p.add_argument("--model-dir", help="default: SPECSERVE_MODEL_DIR (models)")
    p.add_argument(
        "--tolerance",
        type=tolerance,
        default=TOLERANCE,
        help=f"regression: |Δ| that still agrees (default {TOLERANCE:g}, as a shadow's)",
    )
    p.add_argument(
        "--max-disagreement", type=_sample, help="exit 1 when more rows than this share disagree"
    )
    p.add_argument("--json", action="store_true", help="the table as JSON")
    p.set_defaults(func=cmd_replay)
