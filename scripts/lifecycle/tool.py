"""The npm `openapi-diff` as a second opinion (it reads JSON only).

It judges whole request and response bodies (any wider response is "breaking"), and is blind
to parameters and enum values. Its verdicts count only where our rules see nothing: a place
it flags that the rules explain (an opt-in property, an optional response property) follows
the rules; a place only it flags is reported as it says.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from scripts.lifecycle.findings import BREAKING, CHANGED, Finding, Where
from scripts.lifecycle.spec import METHODS, Spec, escape

LOCATION = re.compile(
    rf"^paths\.(?P<path>/.*?)(?:\.(?P<method>{'|'.join(METHODS)})(?:\.(?P<rest>.*))?)?$"
)


@dataclass(frozen=True)
class Difference:
    type: str  # "breaking", "non-breaking" or "unclassified"
    code: str  # "response.body.scope.add"
    location: str  # "paths./predict.post.responses.200.content.application/json.schema"


def run(old: Spec, new: Spec, command: Path) -> list[Difference]:
    """openapi-diff on two contracts, written to JSON in a temporary folder."""
    with tempfile.TemporaryDirectory() as folder:
        files = [Path(folder, "old.json"), Path(folder, "new.json")]
        for file, spec in zip(files, (old, new), strict=True):
            file.write_text(json.dumps(spec, default=str))
        # To a file, not a pipe: node exits before a pipe takes more than 64 KiB.
        out = Path(folder, "out.txt")
        with out.open("w") as sink:
            done = subprocess.run([str(command), *map(str, files)], stdout=sink, stderr=sink)
        output = out.read_text()
    if done.returncode not in (0, 1) or (done.returncode == 1 and "{" not in output):
        raise RuntimeError(f"openapi-diff failed ({done.returncode}): {output.strip()[-500:]}")
    return parse(output)


def parse(output: str) -> list[Difference]:
    if "{" not in output:
        return []  # "No changes found between the two specifications"
    report = json.loads(output[output.index("{") :])
    found = []
    for key in ("breakingDifferences", "nonBreakingDifferences", "unclassifiedDifferences"):
        for diff in report.get(key) or []:
            details = diff.get("destinationSpecEntityDetails") or diff.get(
                "sourceSpecEntityDetails"
            )
            location = details[0]["location"] if details else diff.get("entity", "")
            found.append(Difference(diff["type"], diff["code"], location))
    return found


def place(location: str) -> tuple[str, str, str]:
    """(path, method, area) of a location: area "request", "response 200", ... or ""."""
    match = LOCATION.match(location)
    if not match:
        return "", "", ""
    rest = (match["rest"] or "").split(".")
    area = {"requestBody": "request", "parameters": "parameters"}.get(rest[0], "")
    if rest[0] == "responses" and len(rest) > 1:
        area = f"response {rest[1]}"
    return match["path"], (match["method"] or "").upper(), area


def as_pointer(location: str) -> str:
    """The location as a JSON pointer into the new contract."""
    match = LOCATION.match(location)
    if not match:
        return "new#/" + location
    tokens = ["paths", match["path"], match["method"] or "", *(match["rest"] or "").split(".")]
    return "new#" + "".join("/" + escape(t) for t in tokens if t)


def unexplained(differences: list[Difference], ours: list[Finding]) -> list[Finding]:
    """The tool's findings at places where our rules found nothing."""
    seen = {(f.where.operation, f.where.area) for f in ours}
    paths = {f.where.operation.split(" ", 1)[1] for f in ours}
    found = []
    for diff in differences:
        path, method, area = place(diff.location)
        explained = (f"{method} {path}", area) in seen if method else path in paths
        if explained or diff.type == "unclassified" and not path:
            continue
        kind = BREAKING if diff.type == "breaking" else CHANGED
        operation = f"{method} {path}".strip()
        what = f"openapi-diff: {diff.code} (not explained by the rules: check it by hand)"
        where = Where(operation or diff.location, area or "operation", "response")
        found.append(
            Finding(kind, what, operation or diff.location, as_pointer(diff.location), where)
        )
    return found
