"""Operation by operation: which were added or removed, their parameters and bodies."""

from __future__ import annotations

from typing import Any

from scripts.lifecycle.findings import ADDED, BREAKING, CHANGED, Finding, Where
from scripts.lifecycle.schemas import Compare
from scripts.lifecycle.spec import Spec, escape, operations, parameters, pointer, resolve


def compare(old: Spec, new: Spec) -> list[Finding]:
    """Every difference our rules see between two contracts, one finding per operation."""
    found: list[Finding] = []
    old_ops = [(m, p) for m, p, _ in operations(old)]
    new_ops = [(m, p) for m, p, _ in operations(new)]
    for method, path in old_ops:
        where = Where(f"{method} {path}", "operation", "request")
        if (method, path) not in new_ops:
            at = "old" + pointer("paths", path, method.lower())
            found.append(Finding(BREAKING, "operation removed", where.operation, at, where))
            continue
        found += _parameters(old, new, method, path)
        found += _request(old, new, method, path)
        found += _responses(old, new, method, path)
    for method, path in [op for op in new_ops if op not in old_ops]:
        where = Where(f"{method} {path}", "operation", "request")
        at = "new" + pointer("paths", path, method.lower())
        found.append(Finding(ADDED, "operation added", where.operation, at, where))
    return found


def _parameters(old: Spec, new: Spec, method: str, path: str) -> list[Finding]:
    before, after = parameters(old, path, method), parameters(new, path, method)
    where = Where(f"{method} {path}", "parameters", "request")
    cmp = Compare(old, new, where)
    for key, (_, at) in before.items():
        kind = BREAKING if key[0] in ("query", "path") else CHANGED
        if key not in after:
            cmp.note(kind, f"{key[0]} parameter `{key[1]}` removed", key[1], "old" + at)
    for key, (param, at) in after.items():
        required = bool(param.get("required"))
        if key not in before:
            kind, how = (BREAKING, "required") if required else (ADDED, "optional")
            cmp.note(kind, f"{key[0]} parameter `{key[1]}` added ({how})", key[1], "new" + at)
            continue
        old_param, old_at = before[key]
        if required != bool(old_param.get("required")):
            kind, now = (BREAKING, "required") if required else (CHANGED, "optional")
            cmp.note(kind, f"{key[0]} parameter `{key[1]}` now {now}", key[1], "new" + at)
        cmp.schemas(
            old_param.get("schema"), param.get("schema"), old_at + "/schema", at + "/schema", key[1]
        )
    return cmp.found


def _body(spec: Spec, node: Any, at: str) -> tuple[dict[str, Any], str]:
    body, at = resolve(spec, node, at)
    return (body if isinstance(body, dict) else {}), at


def _content(
    cmp: Compare, old: tuple[dict[str, Any], str], new: tuple[dict[str, Any], str], name: str
) -> None:
    (before, old_at), (after, new_at) = old, new
    old_media, new_media = before.get("content") or {}, after.get("content") or {}
    for media in old_media.keys() - new_media.keys():
        at = f"old{old_at}/content/{escape(media)}"
        cmp.note(BREAKING, f"{name}: media type {media} removed", name, at)
    for media in new_media.keys() - old_media.keys():
        cmp.note(
            ADDED, f"{name}: media type {media} added", name, f"new{new_at}/content/{escape(media)}"
        )
    for media in old_media.keys() & new_media.keys():
        suffix = f"/content/{escape(media)}/schema"
        cmp.schemas(
            old_media[media].get("schema"),
            new_media[media].get("schema"),
            old_at + suffix,
            new_at + suffix,
            name,
        )


def _request(old: Spec, new: Spec, method: str, path: str) -> list[Finding]:
    at = pointer("paths", path, method.lower(), "requestBody")
    before = _body(old, old["paths"][path][method.lower()].get("requestBody"), at)
    after = _body(new, new["paths"][path][method.lower()].get("requestBody"), at)
    cmp = Compare(old, new, Where(f"{method} {path}", "request", "request"))
    if after[0].get("required") and not before[0].get("required"):
        cmp.note(BREAKING, "request body now required", "request body", "new" + after[1])
    _content(cmp, before, after, "body")
    return cmp.found


def _responses(old: Spec, new: Spec, method: str, path: str) -> list[Finding]:
    before = old["paths"][path][method.lower()].get("responses") or {}
    after = new["paths"][path][method.lower()].get("responses") or {}
    found: list[Finding] = []
    for status in before.keys() | after.keys():
        cmp = Compare(old, new, Where(f"{method} {path}", f"response {status}", "response"))
        at = pointer("paths", path, method.lower(), "responses", status)
        if status not in after:
            kind = BREAKING if str(status).startswith("2") else CHANGED
            cmp.note(kind, f"response {status} removed", str(status), "old" + at)
        elif status not in before:
            cmp.note(ADDED, f"response {status} added", str(status), "new" + at)
        else:
            _content(cmp, _body(old, before[status], at), _body(new, after[status], at), "body")
            _headers(cmp, old, new, before[status], after[status], at)
        found += cmp.found
    return found


def _headers(cmp: Compare, old: Spec, new: Spec, before: Any, after: Any, at: str) -> None:
    """A response header added is a compatible addition (clients ignore headers they do not
    know); one removed breaks a client when it was `required`, else it is a change to read.
    Named by the header; placed where its definition lives, so a header shared by many
    operations (`$ref: '#/components/headers/...'`) is one entry."""
    old_headers = resolve(old, before, "#" + at)[0].get("headers") or {}
    new_headers = resolve(new, after, "#" + at)[0].get("headers") or {}
    for name in new_headers.keys() - old_headers.keys():
        where = resolve(new, new_headers[name], "#" + at + "/headers/" + escape(name))[1]
        cmp.note(ADDED, f"response header `{name}` added", name, "new" + where)
    for name in old_headers.keys() - new_headers.keys():
        header, where = resolve(old, old_headers[name], "#" + at + "/headers/" + escape(name))
        kind = BREAKING if header.get("required") else CHANGED
        cmp.note(kind, f"response header `{name}` removed", name, "old" + where)
