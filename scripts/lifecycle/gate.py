"""`make breaking` and `make release`: the working contract against the last released one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from scripts.lifecycle import changelog, operations, strict, tool, versions
from scripts.lifecycle.findings import BREAKING, Group, group, level
from scripts.lifecycle.spec import Spec, load

Differ = Callable[[Spec, Spec], list[tool.Difference]]


@dataclass(frozen=True)
class Layout:
    spec: Path = Path("openapi/openapi.yaml")
    released: Path = Path("openapi/released")
    changelog: Path = Path("CHANGELOG.md")

    def snapshot(self, version: versions.Version) -> Path:
        return self.released / f"{versions.show(version)}.yaml"


def snapshots(layout: Layout) -> list[versions.Version]:
    found = [versions.parse(p.stem) for p in layout.released.glob("*.yaml")]
    return sorted(v for v in found if v is not None)


def changes(old: Spec, new: Spec, differ: Differ | None) -> list[Group]:
    found = operations.compare(old, new) + strict.compare(old, new)
    if differ is not None:
        found += tool.unexplained(differ(old, new), found)
    return group(found)


def listing(groups: list[Group], old: Path, new: Path) -> list[str]:
    files = {"old": str(old), "new": str(new)}
    lines = []
    for g in groups:
        side, at = g.pointer.split("#", 1)
        more = f" and {len(g.operations) - 3} more" if len(g.operations) > 3 else ""
        lines += [
            f"  {g.kind:<9} {g.what}",
            f"            at {files.get(side, side)}#{at}",
            f"            in {', '.join(g.operations[:3])}{more}",
        ]
    return lines


def base_path(spec: Spec) -> set[str]:
    return {urlparse(s.get("url", "")).path.rstrip("/") for s in spec.get("servers") or []}


def step(
    layout: Layout,
    last: versions.Version,
    old: Spec,
    new_file: Path,
    new: Spec,
    differ: Differ | None,
) -> list[str]:
    """Problems of `new` as the successor of release `last`: its version, its changelog."""
    version = versions.parse(new["info"]["version"])
    if version is None:
        return [f"{new_file}: info.version {new['info']['version']!r} is not MAJOR.MINOR.PATCH"]
    groups = changes(old, new, differ)
    lvl, old_file = level(groups), layout.snapshot(last)
    why = versions.problem(last, version, lvl)
    if why:
        advice = versions.show(versions.next_version(last, lvl))
        need = "a major" if lvl == "major" else "a minor"
        return [
            f"{new_file} against release {versions.show(last)} ({old_file}): {why}, and these "
            f"changes need {need} version:",
            *listing(groups, old_file, new_file),
            f"To release them: make release VERSION={advice} (sets info.version and writes "
            f"{layout.changelog}; the base path stays /v1). Or undo them.",
        ]
    if version == last:
        return []
    text = layout.changelog.read_text() if layout.changelog.exists() else ""
    section = changelog.sections(text).get(versions.show(version))
    if section is None:
        return [
            f"{layout.changelog}: no section for {versions.show(version)}: make release "
            f"VERSION={versions.show(version)} writes it"
        ]
    missing = changelog.unnamed(section, groups)
    if missing:
        return [
            f"{layout.changelog}: the {versions.show(version)} section's `### Breaking` does "
            "not name (in backticks) these breaking changes:",
            *listing(missing, old_file, new_file),
        ]
    return []


def check(layout: Layout, differ: Differ | None) -> list[str]:
    released = snapshots(layout)
    if not released:
        return [f"{layout.released}: no released contract (X.Y.Z.yaml) to compare with"]
    current, problems = load(layout.spec), strict.problems(load(layout.spec))
    specs = {v: load(layout.snapshot(v)) for v in released[-2:]}
    for v, spec in specs.items():
        if versions.parse(spec["info"]["version"]) != v:
            problems.append(f"{layout.snapshot(v)}: info.version is {spec['info']['version']}")
    text = layout.changelog.read_text() if layout.changelog.exists() else ""
    noted = changelog.sections(text)
    problems += [
        f"{layout.changelog}: no section for release {versions.show(v)}"
        for v in released
        if versions.show(v) not in noted
    ]
    last = released[-1]
    if base_path(current) != base_path(specs[last]):
        problems.append(
            f"{layout.spec}: the servers' base path changed from "
            f"{sorted(base_path(specs[last]))}: a major version changes "
            "info.version, never the base path (/v2 is the Open Inference Protocol's)"
        )
    if len(released) > 1:
        problems += step(
            layout, released[-2], specs[released[-2]], layout.snapshot(last), specs[last], differ
        )
    return problems + step(layout, last, specs[last], layout.spec, current, differ)


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
    if why or strict.problems(current):
        return [
            why or "",
            *listing(groups, layout.snapshot(last), layout.spec),
            *strict.problems(current),
        ]
    layout.spec.write_text(set_version(layout.spec.read_text(), text))
    log = layout.changelog.read_text() if layout.changelog.exists() else "# Changelog\n\n"
    if text not in changelog.sections(log):
        layout.changelog.write_text(changelog.insert(log, changelog.render(text, day, groups)))
    layout.snapshot(version).write_text(layout.spec.read_text())
    breaking = sum(g.kind == BREAKING for g in groups)
    print(
        f"release {text}: {len(groups)} changes ({breaking} breaking) since "
        f"{versions.show(last)}; {layout.changelog} and {layout.snapshot(version)} written"
    )
    return []
