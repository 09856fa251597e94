"""A model version's signature: the named inputs it takes, their types, and the checks that
hold a request to them before the model is called.

`metadata.json` holds it as `"inputs"`:

    [{"name": "income", "type": "number", "nullable": false, "minimum": 0},
     {"name": "city", "type": "string", "categories": ["lyon", "paris"]}, ...]

and `"layout"` says what the model is called with: `array` (a 2-D array in signature order),
`frame` (a pandas DataFrame with the signature's columns: the model was fitted on one) or
`text` (one column of strings, as a text pipeline such as `TfidfVectorizer` takes it).
A version without `"inputs"` (every version published before signatures) takes `n_features`
numbers named by `feature_names`, or `f0..fN-1`.

A request sends `features` either positionally (a list of numbers, in signature order: the
only form a numeric model had, kept byte for byte) or named (an object keyed by input
name). Either way the rows become one matrix: float64 when every input is numeric (a missing
value is NaN), else an object array (a missing string is None), and every value the model
cannot take is refused first with a 422 naming its JSON path (`$.features.city`) and one of
the stable codes below. Nothing a client sends reaches the model unchecked.

Categories: an input whose encoder refuses unknown values (`handle_unknown="error"`) has a
closed set (`categories`, enforced: `unknown_category`); one whose encoder ignores them
lists what it knows in `categories` with `"open": true` (published, not enforced). A set
larger than `MAX_ENUM` values is published as a string with its length cap, not an enum.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from specserve.errors import ApiError

TYPES = ("number", "integer", "boolean", "string")
LAYOUTS = ("array", "frame", "text")
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\- ]{0,127}$")
MAX_ENUM = 1000  # a larger category set is published as a string, not an enum
MAX_STRING = 100_000  # the spec's cap on one string value (`maxLength`)
FLOAT32_MAX = float(np.finfo(np.float32).max)
SHOWN = 20  # allowed values quoted in a message
SHOWN_KEY = 130  # characters of an unknown key quoted (a valid name is at most 128)

# The stable codes of an input the model cannot take (all 422; declared in the spec).
UNKNOWN_INPUT = "unknown_input"
MISSING_INPUT = "missing_input"
INVALID_TYPE = "invalid_input_type"
NOT_NULLABLE = "input_not_nullable"
UNKNOWN_CATEGORY = "unknown_category"
OUT_OF_RANGE = "input_out_of_range"
NAMED_REQUIRED = "named_features_required"
CODES = (
    UNKNOWN_INPUT,
    MISSING_INPUT,
    INVALID_TYPE,
    NOT_NULLABLE,
    UNKNOWN_CATEGORY,
    OUT_OF_RANGE,
    NAMED_REQUIRED,
)


class InputRefused(ApiError):
    """A feature the model cannot take."""

    status, code = 422, INVALID_TYPE


class SignatureInvalid(ValueError):
    """A signature in metadata.json (or `--inputs`) that does not hold together."""


@dataclass(frozen=True)
class Input:
    name: str
    type: str = "number"
    nullable: bool = False
    categories: tuple[Any, ...] | None = None
    open: bool = False  # categories known, not enforced (the encoder ignores others)
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    description: str | None = None
    redact: bool = False  # logged as "[redacted]" by the prediction log (`specserve.predlog`)

    @property
    def numeric(self) -> bool:
        return self.type != "string"

    @property
    def closed(self) -> frozenset[Any] | None:
        """The enforced category set, or None."""
        return frozenset(self.categories) if self.categories and not self.open else None

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"name": self.name, "type": self.type, "nullable": self.nullable}
        if self.categories is not None:
            body["categories"] = list(self.categories)
            if self.open:
                body["open"] = True
        for key in ("minimum", "maximum", "max_length", "description"):
            if getattr(self, key) is not None:
                body[key] = getattr(self, key)
        return body

    def schema(self) -> dict[str, Any]:
        """This input's JSON Schema (OpenAPI 3.0 dialect: `nullable`)."""
        body: dict[str, Any] = {"type": self.type}
        if self.categories is not None:
            if self.open or len(self.categories) > MAX_ENUM:
                body["example"] = self.categories[0]
            else:
                body["enum"] = list(self.categories)
        if self.type == "string":
            body["maxLength"] = self.max_length or MAX_STRING
        for key, value in (("minimum", self.minimum), ("maximum", self.maximum)):
            if value is not None:
                body[key] = value
        if self.nullable:
            body["nullable"] = True
            if "enum" in body:
                body["enum"] = [*body["enum"], None]
        body["description"] = self.describe()
        return body

    def describe(self) -> str:
        parts = [self.description] if self.description else []
        if self.categories is not None and (self.open or len(self.categories) > MAX_ENUM):
            known = ", ".join(map(str, self.categories[:SHOWN]))
            if self.open:
                parts.append(f"Known values include: {known}; others are accepted.")
            else:  # a closed set too large for an enum: still enforced
                parts.append(
                    f"One of {len(self.categories)} values, among them: {known}; others are "
                    "refused (unknown_category)."
                )
        if self.nullable:
            parts.append("null (or leaving it out) is a missing value.")
        return " ".join(parts) or f"The model's input `{self.name}`."


@dataclass(frozen=True)
class Signature:
    inputs: tuple[Input, ...]
    layout: str = "array"
    # what a missing string is to the model: NaN (pandas' marker, what SimpleImputer
    # looks for by default) or None (a model trained with `missing_values=None`)
    missing_string: str = "nan"
    names: tuple[str, ...] = field(init=False)
    numeric: bool = field(init=False)
    constrained: bool = field(init=False)  # a positional row needs more than a range check

    def __post_init__(self) -> None:
        names = tuple(i.name for i in self.inputs)
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "numeric", all(i.numeric for i in self.inputs))
        object.__setattr__(
            self,
            "constrained",
            any(
                i.closed is not None
                or i.minimum is not None
                or i.maximum is not None
                or i.type in ("integer", "boolean")
                for i in self.inputs
            ),
        )
        object.__setattr__(self, "_index", {name: k for k, name in enumerate(names)})
        # each enforced set built once, not per value checked (a set of thousands of
        # categories, rebuilt for every value of a batch, costs seconds)
        object.__setattr__(self, "_closed", {i.name: i.closed for i in self.inputs})

    def __len__(self) -> int:
        return len(self.inputs)

    @property
    def plain(self) -> bool:
        """Numbers only, called with the matrix as it is (no frame, no text)."""
        return self.numeric and self.layout == "array"

    @property
    def plain_numbers(self) -> bool:
        """A positional row needs only the count and range checks."""
        return self.numeric and not self.constrained

    # -- metadata.json --------------------------------------------------------------------

    @classmethod
    def positional(cls, names: Sequence[str], layout: str = "array") -> Signature:
        """The signature of a model that takes numbers only."""
        return cls(tuple(Input(str(n)) for n in names), layout)

    @classmethod
    def from_metadata(cls, md: dict[str, Any], width: int | None = None) -> Signature:
        """The version's signature; one without `inputs` takes `width` numbers."""
        layout = str(md.get("layout", "array"))
        if layout not in LAYOUTS:
            raise SignatureInvalid(f"layout {layout!r} ({', '.join(LAYOUTS)})")
        if md.get("inputs") is not None:
            missing = str(md.get("missing_string", "nan"))
            if missing not in ("nan", "none"):
                raise SignatureInvalid(f"missing_string {missing!r} (nan or none)")
            return cls(parse_inputs(md["inputs"]), layout, missing)
        names = [str(f) for f in md.get("feature_names") or []]
        n = int(md.get("n_features") or len(names) or width or 0)
        if len(names) != n:
            names = [f"f{i}" for i in range(n)]
        return cls.positional(names, layout)

    def to_json(self) -> list[dict[str, Any]]:
        return [i.to_json() for i in self.inputs]

    # -- what is published ----------------------------------------------------------------

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of the named `features` object."""
        return {
            "type": "object",
            "additionalProperties": False,
            "required": [i.name for i in self.inputs if not i.nullable],
            "properties": {i.name: i.schema() for i in self.inputs},
        }

    # -- requests -------------------------------------------------------------------------

    def matrix(self, rows: Sequence[Any], where: str) -> np.ndarray:
        """Every row (positional lists or named objects) as one matrix, or the first value
        the model cannot take, refused with its path (`where` formats `{row}`)."""
        width = len(self.inputs)
        if self.numeric:
            x = np.empty((len(rows), width), dtype=np.float64)
        else:
            x = np.empty((len(rows), width), dtype=object)
        for r, row in enumerate(rows):
            at = where.format(row=r)
            if isinstance(row, dict):
                x[r] = self._named(row, at)
            else:
                x[r] = self._positional(row, at)
        return x

    def _positional(self, row: list[Any], at: str) -> list[Any]:
        if not self.numeric:
            strings = [i.name for i in self.inputs if not i.numeric]
            which = f"{', '.join(strings)} {'is a string' if len(strings) == 1 else 'are strings'}"
            raise InputRefused(
                f"This model takes named features ({which}): send "
                '"features" as an object keyed by input name.',
                code=NAMED_REQUIRED,
                errors=[{"path": at, "message": "send named features (an object)"}],
            )
        if len(row) != len(self.inputs):
            from specserve.errors import FeatureCountMismatch

            raise FeatureCountMismatch(
                f"The model expects {len(self.inputs)} features, got {len(row)}.",
                errors=[
                    {"path": at, "message": f"expected {len(self.inputs)} features, got {len(row)}"}
                ],
            )
        if self.constrained:
            for k, value in enumerate(row):
                spec = self.inputs[k]
                if spec.type == "boolean" and value in (0, 1):
                    continue  # a list holds numbers: 0 and 1 are false and true
                self._check(spec, value, f"{at}[{k}]")
        return row

    def _named(self, row: dict[str, Any], at: str) -> list[Any]:
        index = self._index  # type: ignore[attr-defined]
        for key in row:
            if key not in index:
                known = ", ".join(self.names[:SHOWN])
                shown = key[:SHOWN_KEY]  # a client's key is quoted, never echoed whole
                raise InputRefused(
                    f"Unknown input {shown!r}; this model takes: {known}.",
                    code=UNKNOWN_INPUT,
                    errors=[{"path": _path(at, shown), "message": f"unknown input; takes {known}"}],
                )
        out: list[Any] = []
        for spec in self.inputs:
            value = row.get(spec.name)
            if value is None and spec.name not in row and not spec.nullable:
                raise InputRefused(
                    f"Input {spec.name!r} is required ({_expected(spec)}).",
                    code=MISSING_INPUT,
                    errors=[
                        {"path": _path(at, spec.name), "message": f"required: {_expected(spec)}"}
                    ],
                )
            out.append(self._check(spec, value, _path(at, spec.name)))
        return out

    def _check(self, spec: Input, value: Any, path: str) -> Any:
        """The value as the model takes it (NaN or None for a missing one), or a refusal."""
        if value is None:
            if not spec.nullable:
                raise _refuse(NOT_NULLABLE, spec, path, f"{spec.name!r} cannot be null")
            return math.nan if spec.numeric else None
        kind = spec.type
        if kind == "string":
            if not isinstance(value, str):
                raise _refuse(INVALID_TYPE, spec, path, f"{spec.name!r} must be a string")
            if spec.max_length is not None and len(value) > spec.max_length:
                raise _refuse(
                    OUT_OF_RANGE,
                    spec,
                    path,
                    f"{spec.name!r} is longer than {spec.max_length} characters",
                )
        elif kind == "boolean":
            if not isinstance(value, bool):
                raise _refuse(INVALID_TYPE, spec, path, f"{spec.name!r} must be true or false")
            value = float(value) if self.numeric else value
        else:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise _refuse(INVALID_TYPE, spec, path, f"{spec.name!r} must be a {kind}")
            if kind == "integer" and not float(value).is_integer():
                raise _refuse(INVALID_TYPE, spec, path, f"{spec.name!r} must be an integer")
            if abs(value) > FLOAT32_MAX:  # what a float32 graph cannot hold, as positionally
                raise InputRefused(
                    f"Feature values must lie within ±{FLOAT32_MAX:.7g}.",
                    code="feature_out_of_range",
                    errors=[{"path": path, "message": f"beyond ±{FLOAT32_MAX:.7g}"}],
                )
            if (spec.minimum is not None and value < spec.minimum) or (
                spec.maximum is not None and value > spec.maximum
            ):
                raise _refuse(OUT_OF_RANGE, spec, path, f"{spec.name!r} is out of range")
            value = float(value)
        closed = self._closed[spec.name]  # type: ignore[attr-defined]
        if closed is not None and value not in closed:
            shown = value[:SHOWN_KEY] if isinstance(value, str) else value
            what = f"{shown!r} is not a category of {spec.name!r}"
            raise _refuse(UNKNOWN_CATEGORY, spec, path, what)
        return value

    # -- probes ---------------------------------------------------------------------------

    def example_rows(self) -> list[dict[str, Any]]:
        """Valid rows that together show every category and, where nullable, a missing
        value in each column: what a version is probed with at load and at `add`."""
        base = {i.name: example_value(i) for i in self.inputs}
        rows = [base]
        for spec in self.inputs:
            for category in (spec.categories or ())[1:MAX_ENUM]:
                rows.append({**base, spec.name: category})
            if spec.nullable:
                rows.append({**base, spec.name: None})
        return rows


def example_value(spec: Input) -> Any:
    if spec.categories:
        return spec.categories[0]
    if spec.type == "string":
        return "example"
    if spec.type == "boolean":
        return False
    low, high = spec.minimum, spec.maximum
    value = 0.0 if low is None else low
    if high is not None and value > high:
        value = high
    return int(value) if spec.type == "integer" else float(value)


def _path(at: str, name: str) -> str:
    return f"{at}.{name}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else f"{at}[{name!r}]"


def _expected(spec: Input) -> str:
    if spec.closed is not None:
        shown = ", ".join(repr(c) for c in list(spec.categories or ())[:SHOWN])
        more = " ..." if len(spec.categories or ()) > SHOWN else ""
        return f"one of {shown}{more}"
    bounds = []
    if spec.minimum is not None:
        bounds.append(f">= {spec.minimum}")
    if spec.maximum is not None:
        bounds.append(f"<= {spec.maximum}")
    if spec.max_length is not None:
        bounds.append(f"at most {spec.max_length} characters")
    kind = {"number": "a number", "integer": "an integer", "boolean": "true or false"}.get(
        spec.type, "a string"
    )
    return kind + (f" ({', '.join(bounds)})" if bounds else "")


def _refuse(code: str, spec: Input, path: str, what: str) -> InputRefused:
    expected = _expected(spec)
    return InputRefused(
        f"{what}; expected {expected}.",
        code=code,
        errors=[{"path": path, "message": f"expected {expected}"}],
    )


def parse_inputs(raw: Any) -> tuple[Input, ...]:
    """`inputs` from metadata.json or `--inputs FILE`; refuses one that does not hold."""
    if not isinstance(raw, list) or not raw:
        raise SignatureInvalid("inputs must be a non-empty list")
    found: list[Input] = []
    seen: set[str] = set()
    for k, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise SignatureInvalid(f"inputs[{k}] needs a name")
        name = item["name"]
        if not NAME.fullmatch(name) or name in seen:
            raise SignatureInvalid(f"inputs[{k}]: name {name!r} invalid or repeated")
        seen.add(name)
        unknown = set(item) - {
            "name",
            "type",
            "nullable",
            "categories",
            "open",
            "minimum",
            "maximum",
            "max_length",
            "description",
            "redact",
        }
        if unknown:
            raise SignatureInvalid(f"inputs[{k}] ({name}): unknown keys {sorted(unknown)}")
        kind = item.get("type", "number")
        if kind not in TYPES:
            raise SignatureInvalid(f"inputs[{k}] ({name}): type {kind!r} ({', '.join(TYPES)})")
        bad = _bad_fields(item)
        if bad:
            raise SignatureInvalid(f"inputs[{k}] ({name}): {bad}")
        categories = item.get("categories")
        if categories is not None:
            if not isinstance(categories, list) or not categories:
                raise SignatureInvalid(f"inputs[{k}] ({name}): categories must be a list")
            categories = tuple(categories)
        spec = Input(
            name=name,
            type=kind,
            nullable=bool(item.get("nullable", False)),
            categories=categories,
            open=bool(item.get("open", False)),
            minimum=item.get("minimum"),
            maximum=item.get("maximum"),
            max_length=item.get("max_length"),
            description=item.get("description"),
            redact=bool(item.get("redact", False)),
        )
        for value in spec.categories or ():
            try:
                Signature((Input(name, kind),))._check(Input(name, kind), value, "$")
            except InputRefused:
                raise SignatureInvalid(
                    f"inputs[{k}] ({name}): category {value!r} is not a {kind}"
                ) from None
            if isinstance(value, int) and not -(2**63) <= value < 2**63:
                raise SignatureInvalid(f"inputs[{k}] ({name}): category {value} beyond 64 bits")
        found.append(spec)
    return tuple(found)


def _bad_fields(item: dict[str, Any]) -> str | None:
    """What is wrong with an input's optional fields' types, or None: each is compared with
    every request's values (and published), so a wrong one must not load."""
    for key in ("nullable", "open", "redact"):
        if key in item and not isinstance(item[key], bool):
            return f"{key} must be true or false"
    for key in ("minimum", "maximum"):
        value = item.get(key)
        if value is not None and (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or abs(value) > FLOAT32_MAX
        ):
            return f"{key} must be a number within ±{FLOAT32_MAX:.7g}"
    length = item.get("max_length")
    if length is not None and (
        isinstance(length, bool) or not isinstance(length, int) or length < 0
    ):
        return "max_length must be a whole number >= 0"
    if item.get("description") is not None and not isinstance(item["description"], str):
        return "description must be a string"
    return None
