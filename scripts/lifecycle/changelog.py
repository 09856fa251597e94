"""CHANGELOG.md: one `## [X.Y.Z] - date` section per version, `### Breaking` naming each
breaking change (its subject in backticks), `### Added`, `### Changed`."""

from __future__ import annotations

import re

from scripts.lifecycle.findings import ADDED, BREAKING, CHANGED, Group

HEADING = re.compile(r"^## \[?(\d+\.\d+\.\d+)\]?", re.MULTILINE)
TITLES = {BREAKING: "Breaking", ADDED: "Added", CHANGED: "Changed"}


def sections(text: str) -> dict[str, str]:
    """Version -> the text of its section."""
    marks = list(HEADING.finditer(text))
    ends = [m.start() for m in marks[1:]] + [len(text)] * bool(marks)
    return {m[1]: text[m.start() : end] for m, end in zip(marks, ends, strict=True)}


def subsection(section: str, title: str) -> str:
    match = re.search(rf"^### {title}\s*$(.*?)(?=^##|\Z)", section, re.MULTILINE | re.DOTALL)
    return match[1] if match else ""


def unnamed(section: str, groups: list[Group]) -> list[Group]:
    """The breaking changes the section's `### Breaking` part does not name."""
    breaking = subsection(section, TITLES[BREAKING])
    return [g for g in groups if g.kind == BREAKING and f"`{g.subject}`" not in breaking]


def line(change: Group) -> str:
    ops = ", ".join(f"`{op}`" for op in change.operations)
    return f"- {change.what} — {ops} (`{change.pointer.split('#', 1)[1]}`)"


def render(version: str, day: str, groups: list[Group]) -> str:
    parts = [f"## [{version}] - {day}", ""]
    for kind in (BREAKING, ADDED, CHANGED):
        mine = [g for g in groups if g.kind == kind]
        if mine:
            parts += [f"### {TITLES[kind]}", "", *map(line, mine), ""]
    if not groups:
        parts += [
            "### Changed",
            "",
            "- No change to the contract (an SDK or documentation release).",
            "",
        ]
    return "\n".join(parts).rstrip("\n") + "\n"


def insert(text: str, section: str) -> str:
    """The changelog with `section` above the newest version's."""
    first = HEADING.search(text)
    head, rest = (text[: first.start()], text[first.start() :]) if first else (text, "")
    head = head.rstrip("\n") + "\n\n" if head.strip() else ""
    return head + section.rstrip("\n") + "\n" + ("\n" + rest if rest else "")
