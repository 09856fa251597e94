"""Write the TypeScript SDK's high-level client from the spec: `SpecserveClient`, one method
per operation (named by its operationId), every parameter typed from the types
@hey-api/openapi-ts generates (`<Op>Data`, `<Op>Response` in gen/types.gen.ts).

    python scripts/typescript_client.py --spec SPEC --out specserve.ts \
        [--package TEMPLATE.json OUT.json]

A method takes the path parameters in path order (camelCase), then the body (optional when
the spec says so, or when every required property has a `default`, which the client
sends), then its options: the query parameters, under their own names, with the per-call
options of `RequestOptions`. `--package` writes the npm package.json with the spec's
`info.version`. Output is deterministic; `make generate` stamps the "do not edit" header.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from specserve.spec import Operation, parse_operations, resolve  # noqa: E402  (the one reader)

# Short names kept for the existing public surface: alias -> operationId.
ALIASES = {"health": "healthCheck", "models": "listModels", "model": "getModel"}
WIDTH = 110
OPTION_NAMES = {"timeoutMs", "maxRetries", "headers", "signal"}  # RequestOptions' own


@dataclass(frozen=True)
class HighLevel:
    """An operation whose method also takes plain rows and routes them to its siblings by
    `model`/`version` (predictions.ts), returning a `Prediction`-like result."""

    param: str  # the plain form's parameter and type
    body: str  # the body built from it
    key: str  # the body property that tells a request body from plain input
    result: str
    convert: str
    routes: tuple[str, str, str]  # the default model's, a model's, a version's operation
    doc: str


HIGH_LEVEL = {
    "predict": HighLevel(
        "features: Features",
        "{ features: input as Features }",
        "features",
        "Prediction",
        "toPrediction",
        ("predict", "predictWithModel", "predictWithModelVersion"),
        "One prediction: `features` a row (numbers in the model's input order, or an object keyed"
        " by input name), scored by the default model, `options.model`, or its `options.version`."
        " The body form below is the operation as generated.",
    ),
    "batchPredict": HighLevel(
        "rows: Features[]",
        "{ requests: (input as Features[]).map((features) => ({ features })) }",
        "requests",
        "BatchPrediction",
        "toBatchPrediction",
        ("batchPredict", "batchPredictWithModel", "batchPredictWithModelVersion"),
        "Many predictions in one request: `rows` plain rows (each as `predict` takes them), scored"
        " by the default model, `options.model`, or its `options.version`. The body form below is"
        " the operation as generated.",
    ),
}

HEADER = """\
// The high-level client, written from the spec by scripts/typescript_client.py: one method
// per operation; the shared behaviour (retries, errors, deprecation warnings) is base.ts.
import { SpecserveBase, queryOf } from './base.js';
import type { APIPromise, RequestOptions, WithDefaults } from './base.js';
import * as gen from './gen/sdk.gen.js';
"""

HIGH_LEVEL_IMPORTS = """\
import { isRequestBody, routed, toBatchPrediction, toPrediction } from './predictions.js';
import type { BatchPrediction, Features, Prediction, PredictionOptions } from './predictions.js';
"""


@dataclass(frozen=True)
class Method:
    op: Operation
    raw: dict[str, Any]  # the operation object as written

    @property
    def type_name(self) -> str:
        return self.op.operation_id[0].upper() + self.op.operation_id[1:]

    @property
    def path_names(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.op.template)

    @property
    def query_names(self) -> list[str]:
        return [p["name"] for p in self.op.parameters if p["in"] == "query"]


def camel(name: str) -> str:
    head, *rest = re.split(r"[_\-]", name)
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def body_info(spec: dict[str, Any], method: Method) -> tuple[bool, dict[str, Any]] | None:
    """Whether the body is required, and the defaults of its required properties."""
    node = method.raw.get("requestBody")
    if node is None:
        return None
    body = resolve(spec, node)
    media = next(iter(body.get("content", {}).values()), {})
    schema = resolve(spec, media.get("schema", {}))
    props = schema.get("properties", {})
    defaults = {
        name: resolve(spec, props[name])["default"]
        for name in schema.get("required", [])
        if name in props and "default" in resolve(spec, props[name])
    }
    all_defaulted = set(defaults) == set(schema.get("required", []))
    return bool(body.get("required")) and not all_defaulted, defaults


def also_ok(spec: dict[str, Any], method: Method) -> list[int]:
    """Error statuses the spec answers with the success schema (an unhealthy `/health`)."""
    schemas: dict[str, Any] = {}
    for code, node in method.raw["responses"].items():
        content = resolve(spec, node).get("content", {})
        schemas[str(code)] = [m.get("schema") for m in content.values()]
    ok = [s for code, s in schemas.items() if code.startswith("2") and s]
    return [int(c) for c, s in schemas.items() if c.isdigit() and int(c) >= 300 and s and s in ok]


def body_parts(spec: dict[str, Any], method: Method) -> tuple[str, str] | None:
    """The body parameter, and how the generated function gets it (with the defaults)."""
    info = body_info(spec, method)
    if info is None:
        return None
    required, defaults = info
    body_type = f"{method.type_name}Data['body']"
    if not defaults:
        return f"body{'' if required else '?'}: {body_type}", "body"
    keys = " | ".join(json.dumps(k) for k in defaults)
    param = f"body: WithDefaults<{body_type}, {keys}>{'' if required else ' = {}'}"
    fill = ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in defaults.items())
    return param, f"body: {{ {fill}, ...body }}"


def signature(spec: dict[str, Any], method: Method) -> tuple[list[str], list[str]]:
    """The method's parameters, and the properties of the generated function's options."""
    data = f"{method.type_name}Data"
    params = [f"{camel(n)}: {data}['path']['{n}']" for n in method.path_names]
    props = []
    if method.path_names:
        pairs = (n if camel(n) == n else f"{n}: {camel(n)}" for n in method.path_names)
        props.append(f"path: {{ {', '.join(pairs)} }}")
    if method.query_names:
        props.append(f"...queryOf(options, {json.dumps(method.query_names)} as const)")
    body = body_parts(spec, method)
    if body is not None:
        params.append(body[0])
        props.append(body[1])
    options = f"{method.type_name}Options" if method.query_names else "RequestOptions"
    params.append(f"options?: {options}")
    return params, props


def deprecation_note(raw: dict[str, Any]) -> str:
    """What the spec says of a deprecated operation (`x-deprecated-at`, `x-sunset`)."""
    note = "The service marks this operation deprecated"
    if raw.get("x-deprecated-at"):
        note += f" since {raw['x-deprecated-at']}"
    if raw.get("x-sunset"):
        note += f"; it may stop answering after {raw['x-sunset']}"
    return note + "."


def doc_lines(method: Method) -> list[str]:
    """The method's JSDoc: summary, route, the description's first sentence, deprecation."""
    op = method.op
    words = " ".join(method.raw.get("description", "").split()).replace("*/", "*\\/")
    first = re.split(r"(?<=\.)\s", words)[0] if words else ""
    body = textwrap.wrap(first, WIDTH - 8) if first else []
    if method.raw.get("deprecated"):
        body += textwrap.wrap(f"@deprecated {deprecation_note(method.raw)}", WIDTH - 8)
    head = f"{op.summary} (`{op.method} {op.template}`)."
    return ["  /**", f"   * {head}", *(f"   * {line}" for line in body), "   */"]


def method_ts(spec: dict[str, Any], method: Method, high: HighLevel | None = None) -> list[str]:
    op = method.op
    params, props = signature(spec, method)
    if high is not None:
        return high_level_ts(spec, method, high, params, props)
    call = (
        f"gen.{op.operation_id}({{ ...o, {', '.join(props)} }})"
        if props
        else f"gen.{op.operation_id}(o)"
    )
    extra = also_ok(spec, method)
    tail = [json.dumps(extra)] if extra else []
    doc = doc_lines(method)
    return [
        *doc,
        *wrap(f"  {op.operation_id}(", params, f"): APIPromise<{method.type_name}Response> {{"),
        *wrap(
            "    return this.send(",
            [f"'{op.operation_id}'", f"(o) => {call}", "options", *tail],
            ");",
        ),
        "  }",
        "",
    ]


def high_level_ts(
    spec: dict[str, Any], method: Method, high: HighLevel, params: list[str], props: list[str]
) -> list[str]:
    """The plain-input overload, the operation's own overload, and one body serving both."""
    op = method.op
    name, result = op.operation_id, f"APIPromise<{method.type_name}Response>"
    body_type, options_type = f"{method.type_name}Data['body']", f"{method.type_name}Options"
    latest, by_model, by_version = high.routes
    doc = ["  /**", *(f"   * {line}" for line in textwrap.wrap(high.doc, WIDTH - 8)), "   */"]
    call = f"gen.{op.operation_id}({{ ...o, {', '.join(props)} }})"
    return [
        *doc,
        f"  {name}({high.param}, options?: PredictionOptions): APIPromise<{high.result}>;",
        *doc_lines(method),
        *wrap(f"  {name}(", params, f"): {result};"),
        f"  {name}(",
        f"    input: {high.param.split(': ')[1]} | {body_type},",
        f"    options?: PredictionOptions | {options_type},",
        f"  ): APIPromise<{high.result}> | {result} {{",
        f"    if (!isRequestBody(input, '{high.key}')) {{",
        f"      return routed<{body_type}, {method.type_name}Response, {high.result}>(",
        f"        {high.body},",
        "        options as PredictionOptions,",
        "        {",
        f"          latest: (body, o) => this.{latest}(body, o),",
        f"          model: (model, body, o) => this.{by_model}(model, body, o),",
        "          version: (model, version, body, o) =>",
        f"            this.{by_version}(model, version, body, o),",
        "        },",
        f"        {high.convert},",
        "      );",
        "    }",
        f"    const body = input as {body_type};",
        f"    const opts = options as {options_type} | undefined;",
        f"    return this.send<{method.type_name}Response>(",
        f"      '{op.operation_id}',",
        f"      (o) => {call.replace('queryOf(options', 'queryOf(opts')},",
        "      opts,",
        "    );",
        "  }",
        "",
    ]


def wrap(head: str, items: list[str], tail: str) -> list[str]:
    """`head(items)tail` on one line, or one item a line when that is too long."""
    line = f"{head}{', '.join(items)}{tail}"
    if len(line) <= WIDTH:
        return [line]
    indent = " " * (len(head) - len(head.lstrip()) + 2)
    return [head, *(f"{indent}{item}," for item in items), f"{indent[:-2]}{tail}"]


def alias_ts(methods: dict[str, Method]) -> list[str]:
    lines = []
    for alias, target in ALIASES.items():
        if target not in methods:
            continue
        method = methods[target]
        names = [camel(n) for n in method.path_names]
        params = [
            f"{n}: {method.type_name}Data['path']['{p}']"
            for n, p in zip(names, method.path_names, strict=True)
        ]
        args = ", ".join([*names, "options"])
        result = f"): APIPromise<{method.type_name}Response> {{"
        lines += [
            f"  /** Short name of `{target}`. */",
            *wrap(f"  {alias}(", [*params, "options?: RequestOptions"], result),
            f"    return this.{target}({args});",
            "  }",
            "",
        ]
    return lines


def options_ts(method: Method) -> list[str]:
    clash = OPTION_NAMES & set(method.query_names)
    if clash:
        sys.exit(
            f"{method.op.operation_id}: query parameter {sorted(clash)} clashes with RequestOptions"
        )
    name = method.type_name
    return [
        f"/** Options of `{method.op.operation_id}`: query parameters and per-call options. */",
        f"export type {name}Options = RequestOptions &",
        f"  NonNullable<{name}Data['query']>;",
        "",
    ]


def check_supported(method: Method) -> None:
    other = [
        f"{p['in']} {p['name']}" for p in method.op.parameters if p["in"] not in ("path", "query")
    ]
    if other:
        sys.exit(
            f"{method.op.operation_id}: parameters the TypeScript client cannot pass yet: {other}"
        )


def client_ts(spec: dict[str, Any]) -> str:
    methods = {
        op.operation_id: Method(op, spec["paths"][op.template][op.method.lower()])
        for op in parse_operations(spec).values()
    }
    for method in methods.values():
        check_supported(method)
    types = sorted(
        {f"{m.type_name}Response" for m in methods.values()}
        | {
            f"{m.type_name}Data"
            for m in methods.values()
            if m.path_names or m.query_names or "requestBody" in m.raw
        }
    )
    high_level = {
        name: high
        for name, high in HIGH_LEVEL.items()
        if all(route in methods for route in high.routes)
    }
    lines = [
        HEADER.rstrip("\n"),
        *([HIGH_LEVEL_IMPORTS.rstrip("\n")] if high_level else []),
        "import type {",
        *(f"  {t}," for t in types),
        "} from './gen/types.gen.js';",
        "",
    ]
    for method in methods.values():
        if method.query_names:
            lines += options_ts(method)
    lines += [
        "/** The specserve API: one method per operation of the spec. */",
        "export class SpecserveClient extends SpecserveBase {",
    ]
    for method in methods.values():
        lines += method_ts(spec, method, high_level.get(method.op.operation_id))
    lines += alias_ts(methods)
    lines[-1] = "}"
    return "\n".join(lines) + "\n"


def package_json(spec: dict[str, Any], template: Path) -> str:
    """The template's package.json with `version` from the spec's `info.version`."""
    package = json.loads(template.read_text(encoding="utf-8"))
    ordered = {}
    for key, value in package.items():
        ordered[key] = value
        if key == "name":
            ordered["version"] = str(spec["info"]["version"])
    return json.dumps(ordered, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", required=True, type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--package", nargs=2, type=Path, metavar=("TEMPLATE", "OUT"))
    args = parser.parse_args()
    spec = yaml.safe_load(args.spec.read_text(encoding="utf-8"))
    if args.out:
        args.out.write_text(client_ts(spec), encoding="utf-8")
    if args.package:
        args.package[1].write_text(package_json(spec, args.package[0]), encoding="utf-8")


if __name__ == "__main__":
    main()
