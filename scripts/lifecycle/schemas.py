"""Two versions of one schema compared in the direction data flows.

In a request the client writes and the service validates: a narrower schema refuses what old
clients send (breaking), a wider one accepts more (changed). In a response the service writes
and clients read: a wider schema sends what old clients never expected (breaking), a narrower
one promises more (changed). A removed enum value breaks both: a client can no longer send it,
or waits for a value that never comes. An added enum value and an added optional property are
additions (the SDKs keep unknown values and properties; see strict.py for the
seed's client, which does not).
"""

from __future__ import annotations

from typing import Any

from scripts.lifecycle.findings import ADDED, BREAKING, CHANGED, Finding, Where
from scripts.lifecycle.spec import Spec, escape, resolve

UPPER = ("maxItems", "maxLength", "maximum", "maxProperties")
LOWER = ("minItems", "minLength", "minimum", "minProperties")


class Compare:
    """Compares the schemas of one place (an operation's request, response or parameter)."""

    def __init__(self, old: Spec, new: Spec, where: Where) -> None:
        self.old, self.new, self.where = old, new, where
        self.found: list[Finding] = []
        self.seen: set[tuple[str, str]] = set()

    def note(self, kind: str, what: str, subject: str, at: str) -> None:
        self.found.append(Finding(kind, what, subject, at, self.where))

    def widened(self) -> str:
        """What a wider schema means here."""
        return BREAKING if self.where.direction == "response" else CHANGED

    def narrowed(self) -> str:
        return CHANGED if self.where.direction == "response" else BREAKING

    def schemas(self, old: Any, new: Any, old_at: str, new_at: str, name: str) -> None:
        old, old_at = resolve(self.old, old, old_at)
        new, new_at = resolve(self.new, new, new_at)
        if (old_at, new_at) in self.seen or not isinstance(old, dict) or not isinstance(new, dict):
            return
        self.seen.add((old_at, new_at))
        side = f"{self.where.direction} `{name}`"
        if self.became_alternatives(old, new, old_at, new_at, name):
            return
        self.types(old, new, new_at, side, name)
        self.enums(old, new, old_at, new_at, side)
        self.bounds(old, new, new_at, side, name)
        self.objects(old, new, old_at, new_at, name)
        if isinstance(old.get("items"), dict) and isinstance(new.get("items"), dict):
            self.schemas(old["items"], new["items"], old_at + "/items", new_at + "/items", name)
        for key in ("oneOf", "anyOf", "allOf"):
            self.alternatives(old.get(key) or [], new.get(key) or [], key, old_at, new_at, name)

    def types(
        self, old: dict[str, Any], new: dict[str, Any], at: str, side: str, name: str
    ) -> None:
        before, after = old.get("type"), new.get("type")
        if before != after:
            wider = {("integer", "number"): "request", ("number", "integer"): "response"}
            kind = CHANGED if wider.get((before, after)) == self.where.direction else BREAKING
            self.note(kind, f"{side}: type {before} -> {after}", name, "new" + at)
        if bool(old.get("nullable")) != bool(new.get("nullable")):
            kind = self.widened() if new.get("nullable") else self.narrowed()
            now = "nullable" if new.get("nullable") else "no longer nullable"
            self.note(kind, f"{side}: {now}", name, "new" + at)
        for key in ("format", "pattern"):
            if old.get(key) != new.get(key):
                change = f"{side}: {key} {old.get(key)!r} -> {new.get(key)!r}"
                kind = self.widened() if new.get(key) is None else BREAKING
                self.note(kind, change, name, "new" + at)

    def enums(self, old: dict[str, Any], new: dict[str, Any], old_at: str, new_at: str, side: str):
        if "enum" not in old and "enum" not in new:
            return
        before, after = old.get("enum") or [], new.get("enum") or []
        for value in before if "enum" in new else []:
            if value not in after:
                what = f"{side}: enum value `{value}` removed"
                self.note(BREAKING, what, str(value), "old" + old_at + "/enum")
        for value in after:
            if "enum" in old and value not in before:
                what = f"{side}: enum value `{value}` added"
                self.note(ADDED, what, str(value), "new" + new_at + "/enum")
        if "enum" in old and "enum" not in new:
            self.note(self.widened(), f"{side}: enum dropped (any value)", side, "new" + new_at)
        if "enum" in new and "enum" not in old:
            self.note(self.narrowed(), f"{side}: now an enum", side, "new" + new_at)

    def bounds(self, old: dict[str, Any], new: dict[str, Any], at: str, side: str, name: str):
        for key in UPPER + LOWER:
            before, after = old.get(key), new.get(key)
            if before == after:
                continue
            upper = key in UPPER
            if before is None or after is None:
                tighter = after is not None
            else:
                tighter = after < before if upper else after > before
            kind = self.narrowed() if tighter else self.widened()
            self.note(kind, f"{side}: {key} {before} -> {after}", name, f"new{at}/{key}")

    def objects(self, old: dict[str, Any], new: dict[str, Any], old_at: str, new_at: str, name):
        before, after = old.get("properties") or {}, new.get("properties") or {}
        required_old, required_new = set(old.get("required") or []), set(new.get("required") or [])
        direction = self.where.direction
        # A request that still allows unknown properties accepts a removed one: ignored.
        removed = (
            CHANGED
            if direction == "request" and new.get("additionalProperties") is not False
            else BREAKING
        )
        for prop in before:
            if prop not in after:
                what = f"{direction} property `{prop}` removed"
                self.note(removed, what, prop, f"old{old_at}/properties/{escape(prop)}")
        for prop in after:
            at = f"new{new_at}/properties/{escape(prop)}"
            if prop not in before:
                required = prop in required_new and direction == "request"
                how = " (required)" if required else " (optional)" * (direction == "request")
                what = f"{direction} property `{prop}` added{how}"
                self.note(BREAKING if required else ADDED, what, prop, at)
                continue
            if (prop in required_old) != (prop in required_new):
                now = "required" if prop in required_new else "optional"
                tighter = (prop in required_new) == (direction == "request")
                kind = BREAKING if tighter else CHANGED
                self.note(kind, f"{direction} property `{prop}` now {now}", prop, at)
            old_prop, new_prop = before[prop], after[prop]
            self.schemas(old_prop, new_prop, f"{old_at}/properties/{escape(prop)}", at[3:], prop)
        self.additional(old, new, old_at, new_at, name)

    def additional(self, old: dict[str, Any], new: dict[str, Any], old_at: str, new_at: str, name):
        before, after = old.get("additionalProperties", True), new.get("additionalProperties", True)
        if isinstance(before, dict) and isinstance(after, dict):
            at = "/additionalProperties"
            self.schemas(before, after, old_at + at, new_at + at, name)
        elif (before is False) != (after is False):
            kind = self.narrowed() if after is False else self.widened()
            now = "refuses" if after is False else "allows"
            what = f"{self.where.direction} `{name}`: now {now} unknown properties"
            self.note(kind, what, name, f"new{new_at}/additionalProperties")

    def became_alternatives(
        self, old: dict[str, Any], new: dict[str, Any], old_at: str, new_at: str, name: str
    ) -> bool:
        """A schema that became one of the `oneOf`/`anyOf` alternatives of its successor: the
        old schema is compared with that alternative, and the other alternatives widen it.
        False when that is not what happened."""
        key = next((k for k in ("oneOf", "anyOf") if k in new and k not in old), None)
        if key is None or "type" not in old or "type" in new:
            return False
        for i, alternative in enumerate(new[key]):
            resolved, _ = resolve(self.new, alternative, f"{new_at}/{key}/{i}")
            if isinstance(resolved, dict) and resolved.get("type") == old["type"]:
                self.schemas(old, alternative, old_at, f"{new_at}/{key}/{i}", name)
                what = f"{self.where.direction} `{name}`: now one of {len(new[key])} schemas"
                self.note(self.widened(), what, name, f"new{new_at}/{key}")
                return True
        return False

    def alternatives(self, old: list[Any], new: list[Any], key: str, old_at, new_at, name):
        for i in range(min(len(old), len(new))):
            self.schemas(old[i], new[i], f"{old_at}/{key}/{i}", f"{new_at}/{key}/{i}", name)
        if len(old) != len(new):
            wider = (len(new) > len(old)) != (key == "allOf")
            kind = self.widened() if wider else self.narrowed()
            what = f"{self.where.direction} `{name}`: {key} {len(old)} -> {len(new)} schemas"
            self.note(kind, what, name, f"new{new_at}/{key}")
