"""`specserve models sdk`: a typed client package for one model.

specserve models sdk NAME --lang python|typescript --out DIR [--version V]
                     [--url URL [--api-key KEY] | --model-dir DIR]

It reads the model's own OpenAPI document from a running service (`GET URL/models/NAME/
openapi.json`, the key from `--api-key` or `SPECSERVE_API_KEY`) or builds it from the model
store (the version loaded as a worker loads it), generates the SDK from it with the project's
own generators (`make generate-python-sdk` / `make generate-typescript-sdk` on the document),
and adds a client typed from the model's signature, rendered from sdk-templates/model/:

    Python:     from specserve_client.model import LoanClient
                LoanClient(base_url=..., api_key=...).predict(income=52000, city="lyon", age=None)
    TypeScript: import { LoanClient } from './DIR/src/index.js';
                new LoanClient({ baseUrl, apiKey })
                  .predict({ income: 52000, city: 'lyon', age: null })

A development tool, not part of the runtime image: it needs a source checkout with the `gen`
extra (`pip install -e '.[dev,gen]'`, or `make install`) and, for both languages, Node with
the project's Node tools (`make node-deps`).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import keyword
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from specserve.config import ROOT

LANGS = ("python", "typescript")
MARK = ".specserve-model-sdk"  # a folder this command wrote (it may write there again)
TEMPLATES = ROOT / "sdk-templates" / "model"
TARGETS = {"python": "generate-python-sdk", "typescript": "generate-typescript-sdk"}
PACKAGES = {"python": "python-client", "typescript": "typescript-client"}
PY_TYPES = {"number": "float", "integer": "int", "boolean": "bool", "string": "str"}
TS_TYPES = {"number": "number", "integer": "number", "boolean": "boolean", "string": "string"}


class Refused(Exception):
    """Why the SDK cannot be made, in one line."""


def register(actions: Any, common: argparse.ArgumentParser) -> None:
    """Add `sdk` to `specserve models`."""
    from specserve.cli.models import _model_name, _version

    sdk = actions.add_parser(
        "sdk",
        parents=[common],
        help="a typed client package for one model (development tool: gen extra and Node)",
        description=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sdk.add_argument("name", type=_model_name)
    sdk.add_argument("--lang", choices=LANGS, required=True)
    sdk.add_argument("--out", required=True, type=Path, help="the package's folder")
    sdk.add_argument(
        "--version", type=_version, help="one version's routes (default: the serving version)"
    )
    sdk.add_argument("--url", help="a running service's API base URL, e.g. http://host:8000/v1")
    sdk.add_argument("--api-key", help="with --url; default: SPECSERVE_API_KEY")
    sdk.set_defaults(func=cmd_sdk)


def cmd_sdk(args: argparse.Namespace) -> int:
    try:
        missing_tools(args.lang)
        out = _out_dir(args.out)
        doc = _from_service(args) if args.url else _from_store(args)
        write_sdk(doc, args.lang, out)
    except Refused as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote the {args.lang} SDK of {doc['info']['title']} to {out}")
    return 0


def missing_tools(lang: str) -> None:
    """Refuse, in one line, what this command needs and the machine lacks."""
    if not (ROOT / "Makefile").is_file() or not TEMPLATES.is_dir():
        raise Refused("needs a specserve source checkout (the generators and sdk-templates/)")
    if importlib.util.find_spec("openapi_python_client") is None:
        raise Refused("needs the gen extra: pip install -e '.[dev,gen]' (or make install)")
    if shutil.which("node") is None or shutil.which("make") is None:
        raise Refused("needs Node and make on PATH (a development tool: not in the image)")
    if not (ROOT / "sdk-templates" / "node_modules" / ".bin" / "openapi-ts").exists():
        raise Refused("needs the project's Node tools: make node-deps")


def _out_dir(out: Path) -> Path:
    out = out.resolve()
    if out.exists() and any(out.iterdir()) and not (out / MARK).exists():
        raise Refused(f"{out} is not empty (and holds no SDK this command wrote)")
    return out


# -- the document ------------------------------------------------------------------------------


def _from_service(args: argparse.Namespace) -> dict[str, Any]:
    key = args.api_key or os.environ.get("SPECSERVE_API_KEY")
    if not key:
        raise Refused("--url needs --api-key (or SPECSERVE_API_KEY): a key with models:read")
    route = f"/models/{args.name}" + (f"/versions/{args.version}" if args.version else "")
    url = args.url.rstrip("/") + route + "/openapi.json"
    request = urllib.request.Request(url, headers={"X-API-Key": key})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return dict(json.loads(response.read()))
    except urllib.error.HTTPError as exc:
        raise Refused(f"GET {url}: {exc.code} {_detail(exc)}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise Refused(f"GET {url}: {getattr(exc, 'reason', exc)}") from None


def _detail(exc: urllib.error.HTTPError) -> str:
    try:
        return str(json.loads(exc.read()).get("detail", exc.reason))
    except (ValueError, AttributeError):
        return str(exc.reason)


def _from_store(args: argparse.Namespace) -> dict[str, Any]:
    from specserve import spec
    from specserve.cli.models import load_named
    from specserve.serving.artifacts import ModelRefused
    from specserve.serving.contract import model_document

    try:
        model = load_named(args)
    except ModelRefused as exc:
        raise Refused(str(exc)) from None
    return model_document(spec.load().raw, model, versioned=bool(args.version))


# -- the package -------------------------------------------------------------------------------


def write_sdk(doc: dict[str, Any], lang: str, out: Path) -> None:
    """The generated SDK of `doc` in `out`, with the model's client."""
    with tempfile.TemporaryDirectory(prefix="model-sdk.") as work:
        spec_file = Path(work) / "openapi.json"
        spec_file.write_text(json.dumps(doc, indent=2), encoding="utf-8")
        generated = Path(work) / "generated"
        _make(TARGETS[lang], spec_file, generated)
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(generated / PACKAGES[lang], out)
    context = wrapper_context(doc)
    if lang == "python":
        _render("model_client.py.jinja", context, out / "specserve_client" / "model.py")
    else:
        _render("model_client.ts.jinja", context, out / "src" / "model.ts")
        _render("index.ts.jinja", context, out / "src" / "index.ts")
    (out / MARK).write_text(f"{doc['info']['title']}\n", encoding="utf-8")


def _make(target: str, spec_file: Path, generated: Path) -> None:
    command = ["make", "--no-print-directory", "-C", str(ROOT), target]
    command += [f"GEN_SPEC={spec_file}", f"GEN_OUT={generated}"]
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines() or ["(no output)"]
        raise Refused(f"make {target} failed: {lines[-1][:300]}")


def _render(template: str, context: dict[str, Any], target: Path) -> None:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    target.write_text(env.get_template(template).render(context), encoding="utf-8")


def wrapper_context(doc: dict[str, Any]) -> dict[str, Any]:
    """What the model client templates need, read from the model's document only."""
    model = doc["x-model"]
    named = doc["components"]["schemas"]["NamedFeatures"]
    required = set(named.get("required", []))
    inputs = [
        _input(name, schema, name in required) for name, schema in named["properties"].items()
    ]
    versioned = any("/versions/" in path for path in doc["paths"])
    suffix = "Version" if versioned else ""
    ops_ts = {
        "describe": f"getModel{suffix}",
        "predict": f"predictWithModel{suffix}",
        "batch": f"batchPredictWithModel{suffix}",
    }
    cls = _class_name(model["name"])
    types = {
        "predict_options": f"PredictWithModel{suffix}Options",
        "batch_options": f"BatchPredictWithModel{suffix}Options",
        "get_response": f"GetModel{suffix}Response",
        "predict_response": f"PredictWithModel{suffix}Response",
        "batch_response": f"BatchPredictWithModel{suffix}Response",
    }
    strings = [c for c in model["classes"] if isinstance(c, str)]
    return {
        "name": model["name"],
        "version": model["version"],
        "task": model["task"],
        "classes": ", ".join(strings),
        "cls": f"{cls}Client",
        "row": f"{cls}Features",
        "inputs": inputs,
        "ops": {k: _snake(v) for k, v in ops_ts.items()},
        "ops_ts": ops_ts,
        "types": types,
        "example": ", ".join(f"{i['py_name']}={i['sample']}" for i in inputs),
        "example_ts": "{ " + ", ".join(f"{i['name']}: {i['sample_ts']}" for i in inputs) + " }",
    }


def _input(name: str, schema: dict[str, Any], required: bool) -> dict[str, Any]:
    kind = schema.get("type", "number")
    values = [v for v in schema.get("enum", []) if v is not None]
    py_type, ts_type = PY_TYPES.get(kind, "float"), TS_TYPES.get(kind, "number")
    if values:
        ts_type = " | ".join(json.dumps(v) for v in values)
    if values and all(isinstance(v, str | int) for v in values):  # Literal takes no floats
        py_type = f"Literal[{', '.join(_py_literal(v) for v in values)}]"
    if not required:
        py_type, ts_type = f"{py_type} | None", f"{ts_type} | null"
    py_name = _identifier(name)
    first = values[0] if values else {"string": "text", "boolean": False}.get(kind, 0)
    return {
        "name": name,
        "py_name": py_name,
        "py_type": py_type,
        "ts_type": ts_type,
        "required": required,
        "sample": repr(first) if isinstance(first, bool) else json.dumps(first),
        "sample_ts": json.dumps(first),
    }


def _py_literal(value: str | int) -> str:
    if isinstance(value, bool):
        return repr(value)
    return json.dumps(value)


def _identifier(name: str) -> str:
    """An input name as a Python keyword argument (`petal length (cm)` -> `petal_length_cm`)."""
    text = re.sub(r"\W+", "_", name).strip("_") or "input"
    if text[0].isdigit():
        text = f"f_{text}"
    if keyword.iskeyword(text) or text in {"self", "probabilities", "scores"}:
        text += "_"
    return text


def _class_name(name: str) -> str:
    """`fraud-detector` -> `FraudDetector`."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", name) if w]
    text = "".join(w[:1].upper() + w[1:] for w in words) or "Model"
    return text if not text[0].isdigit() else f"Model{text}"


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
