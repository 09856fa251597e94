"""One version for the API and both SDKs: `info.version`, MAJOR.MINOR.PATCH and nothing more.

MAJOR: a breaking change; MINOR: a compatible contract change; PATCH: the contract is
unchanged (an SDK-only or docs-only release). No suffixes: npm semver sorts `1.2.0-1` before
`1.2.0` (a pre-release) while PEP 440 reads it as `1.2.0.post1`, after it.
"""

from __future__ import annotations

import re

FORMAT = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
Version = tuple[int, int, int]


def parse(text: object) -> Version | None:
    match = FORMAT.match(str(text))
    return (int(match[1]), int(match[2]), int(match[3])) if match else None


def show(version: Version) -> str:
    return ".".join(map(str, version))


def next_version(last: Version, level: str) -> Version:
    major, minor, patch = last
    if level == "major":
        return (major + 1, 0, 0)
    return (major, minor + 1, 0) if level == "minor" else (major, minor, patch + 1)


def problem(last: Version, new: Version, level: str) -> str | None:
    """Why `new` cannot follow `last` for changes of this level; None when it can."""
    if new == last:
        return None if level == "patch" else f"info.version is still {show(last)}"
    if new < last:
        return f"{show(new)} is older than the last release, {show(last)}"
    if level == "major" and new[0] == last[0]:
        return f"{show(new)} keeps major version {last[0]}"
    if level == "minor" and new[:2] == last[:2]:
        return f"{show(new)} is a patch version (only for an unchanged contract)"
    return None
