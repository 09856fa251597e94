"""`make release VERSION=X.Y.Z`: set info.version, write the changelog section and the
released snapshot (mk/lifecycle.mk then runs `make generate`)."""

from __future__ import annotations

from scripts.lifecycle import changelog, strict, versions
from scripts.lifecycle.findings import BREAKING, level
from scripts.lifecycle.gate import Differ, Layout, changes, listing, read, snapshots
from scripts.lifecycle.spec import load


def set_version(text: str, version: str) -> str:
    """The contract's text with info.version replaced (comments and layout kept)."""
    lines, inside = text.splitlines(keepends=True), False
    for i, line in enumerate(lines):
        if line.startswith("info:"):
            inside = True
        elif inside and line[:1] not in (" ", "\n", "#"):
            break
        elif inside and line.startswith("  version:"):
            lines[i] = f"  version: {version}\n"
            return "".join(lines)
    raise ValueError("no info.version in the contract")


def release(layout: Layout, text: str, differ: Differ | None, day: str) -> list[str]:
    """Set info.version, write the changelog section and the released snapshot."""
    version, released = versions.parse(text), snapshots(layout)
    if version is None or not released:
        return [f"VERSION={text}: expected MAJOR.MINOR.PATCH and a release under {layout.released}"]
    last, current = released[-1], load(layout.spec)
    if version <= last:
        return [f"VERSION={text}: not newer than the last release, {versions.show(last)}"]
    groups = changes(load(layout.snapshot(last)), current, differ)
    why = versions.problem(last, version, level(groups))
    if why:
        return [f"VERSION={text}: {why}", *listing(groups, layout.snapshot(last), layout.spec)]
    if strict.problems(current):
        return strict.problems(current)
    layout.spec.write_text(set_version(layout.spec.read_text(), text))
    log = read(layout.changelog) or "# Changelog\n\n"
    if text not in changelog.sections(log):
        layout.changelog.write_text(changelog.insert(log, changelog.render(text, day, groups)))
    layout.snapshot(version).write_text(layout.spec.read_text())
    breaking = sum(g.kind == BREAKING for g in groups)
    print(
        f"release {text}: {len(groups)} changes ({breaking} breaking) since "
        f"{versions.show(last)}; {layout.changelog} and {layout.snapshot(version)} written"
    )
    return []
