"""What changed between two contracts, and how much it matters to a client."""

from __future__ import annotations

from dataclasses import dataclass

BREAKING, ADDED, CHANGED = "breaking", "added", "changed"
KINDS = (BREAKING, ADDED, CHANGED)


@dataclass(frozen=True)
class Where:
    """The operation and part of it a schema belongs to, and how a change there counts."""

    operation: str  # "POST /predict"
    area: str  # "request", "response 200", "parameters", "operation"
    direction: str  # "request": narrowing breaks clients; "response": widening does


@dataclass(frozen=True)
class Finding:
    kind: str  # BREAKING, ADDED or CHANGED
    what: str  # "response property `processing_time_ms` removed"
    subject: str  # the name CHANGELOG.md must mention: `processing_time_ms`
    pointer: str  # "old#/components/..." or "new#/paths/..."
    where: Where


@dataclass(frozen=True)
class Group:
    """One change, however many operations share the schema it is in."""

    kind: str
    what: str
    subject: str
    pointer: str
    operations: tuple[str, ...]


def group(findings: list[Finding]) -> list[Group]:
    """One entry per (kind, change, place); a breaking change hides lesser ones at its place."""
    broken = {f.pointer for f in findings if f.kind == BREAKING}
    merged: dict[tuple[str, str, str], tuple[str, list[str]]] = {}
    for f in findings:
        if f.kind != BREAKING and f.pointer in broken:
            continue
        what, ops = merged.get((f.kind, f.subject, f.pointer), (f.what, []))
        if f.where.operation not in ops:
            ops.append(f.where.operation)
        merged[(f.kind, f.subject, f.pointer)] = (max(what, f.what, key=len), ops)
    groups = [Group(k, w, s, p, tuple(ops)) for (k, s, p), (w, ops) in merged.items()]
    return sorted(groups, key=lambda g: (KINDS.index(g.kind), g.pointer, g.what))


def level(findings: list[Finding] | list[Group]) -> str:
    """The version part a release of these changes must bump: major, minor or patch."""
    kinds = {f.kind for f in findings}
    if BREAKING in kinds:
        return "major"
    return "minor" if kinds else "patch"
