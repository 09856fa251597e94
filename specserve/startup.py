"""What start-up checks before a worker exists: the contract is valid and every operation has
its handler. Each problem is one line (the YAML line of a spec error; the operation, its
method and path and the function to define for a handler), and start-up stops with exit
status 2.

gunicorn's master runs this module in a child process (`python -m specserve.startup`), so the
master never imports the handlers and their numerical stack; `make handler-stubs` writes
the missing handlers (`scripts/handler_stubs.py`).
"""

from __future__ import annotations

import importlib
import re
import sys
import warnings
from pathlib import Path
from typing import Any

import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from referencing.exceptions import Unresolvable

from specserve import spec
from specserve.config import ROOT, fail
from specserve.http import deprecation
from specserve.spec import Operation

LONGEST = 300  # characters of a validator's message kept on the line


class ContractError(Exception):
    """The contract names something the source tree lacks (one line: what to define)."""


def spec_problem(path: Path = spec.SPEC_PATH) -> str | None:
    """The validator's first finding as `file:line: message`, or None for a valid spec."""
    text = path.read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text)
        validate(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return f"{path}:{line}: not YAML: {getattr(exc, 'problem', exc)}"
    except Unresolvable as exc:
        ref = str(getattr(exc, "ref", None) or exc)
        ref = ref if ref.startswith("#") else f"#{ref}"
        return f"{path}:{_line_of_ref(text, ref)}: can't resolve $ref {ref!r}"
    except OpenAPIValidationError as exc:
        line = _line_of_path(text, list(exc.absolute_path))
        pointer = "".join(
            f"/{str(p).replace('~', '~0').replace('/', '~1')}" for p in exc.absolute_path
        )
        message = exc.message.split("\n\n")[0]
        return f"{path}:{line}: {_short(message)} (at #{pointer})"
    return None


def handler_problems(contract: spec.Contract) -> list[str]:
    """One line per operation whose handler is missing, not `async def` or cannot take the
    operation's inputs."""
    if str(ROOT) not in sys.path:  # `handlers` lives in the source tree
        sys.path.append(str(ROOT))
    problems = []
    for operation in contract.operations.values():
        handler, problem = find_handler(operation)
        if problem is None:  # (imported here: the operations app imports this module)
            from specserve.http.operations import signature_problem

            problem = signature_problem(operation, handler)
        if problem is not None:
            problems.append(f"{describe(operation)}: {problem}")
    return problems


def find_handler(operation: Operation) -> tuple[Any, str | None]:
    """The operation's handler function, or what is missing in one phrase."""
    module_name, _, function = operation.handler.rpartition(".")
    source = module_name.replace(".", "/") + ".py"
    want = f"define `async def {function}(...)` in {source}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            return None, f"{source} cannot import {exc.name!r}"
        return None, f"no module {module_name}: {want}"
    except Exception as exc:  # noqa: BLE001 - any import failure is reported as one line
        return None, f"{source} fails to import: {type(exc).__name__}: {_short(str(exc))}"
    handler = getattr(module, function, None)
    if handler is None:
        return None, f"no function {function} in {source}: {want}"
    return handler, None


def access_problems(raw: dict[str, Any]) -> list[str]:
    """Every operation that is not public offers an `OAuth2: [scope]` alternative naming a
    scope the spec defines (OpenAPI 3.0 gives scopes only to OAuth2 requirements; the other
    alternatives stay `[]`), or says with `x-any-scope` why any valid credential may call it.
    A deleted scope line would otherwise let every key call the operation."""
    schemes = raw.get("components", {}).get("securitySchemes", {})
    defined = set(
        schemes.get("OAuth2", {}).get("flows", {}).get("clientCredentials", {}).get("scopes", {})
    )
    found = []
    for operation in spec.parse_operations(raw).values():
        op = raw["paths"][operation.template][operation.method.lower()]
        security = op.get("security", raw.get("security", []))
        where = describe(operation)
        for requirement in security:
            for scheme, scopes in requirement.items():
                if scheme != "OAuth2" and scopes:
                    found.append(f"{where}: {scheme} takes no scopes (only OAuth2 does): []")
                unknown = sorted(set(scopes) - defined) if scheme == "OAuth2" else []
                if unknown:
                    found.append(f"{where}: scope(s) {', '.join(unknown)} not defined in OAuth2")
        if operation.public or op.get("x-any-scope"):
            continue
        if not any(requirement.get("OAuth2") for requirement in security):
            found.append(
                f"{where}: no `OAuth2: [scope]` alternative, so any valid key may call it; "
                "name the scope it needs (or `x-any-scope: <why>`)"
            )
    return found


def describe(operation: Operation) -> str:
    return f"operation {operation.operation_id} ({operation.method} {operation.path})"


def problems(path: Path = spec.SPEC_PATH, *, handlers: bool = True) -> list[str]:
    """The spec's validity, then its access rules, then (`handlers`) every handler."""
    problem = spec_problem(path)
    if problem is not None:
        return [problem]
    try:
        contract = spec.load(path)
    except (KeyError, IndexError, TypeError) as exc:  # valid OpenAPI, not what we read
        return [f"{path}: the service reads {exc} from the contract (specserve/spec.py)"]
    found = access_problems(contract.raw) + deprecation.problems(contract.raw)
    return found + handler_problems(contract) if handlers else found


def _short(message: str) -> str:
    line = " ".join(message.split())
    return line if len(line) <= LONGEST else line[: LONGEST - 1] + "…"


def _line_of_path(text: str, path: list[Any]) -> int:
    """The 1-based YAML line of the node at `path` (its nearest existing ancestor)."""
    node = yaml.compose(text)
    for part in path:
        child = _child(node, part)
        if child is None:
            break
        node = child
    return int(node.start_mark.line) + 1 if node is not None else 1


def _child(node: Any, part: Any) -> Any:
    if isinstance(node, yaml.MappingNode):
        return next((v for k, v in node.value if k.value == str(part)), None)
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    return None


def _line_of_ref(text: str, ref: str) -> int:
    pattern = re.compile(r"\$ref\W+" + re.escape(ref) + r"['\"]?\s*$")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.search(line):
            return number
    return 1


def main(argv: list[str] | None = None) -> None:
    """`python -m specserve.startup [--contract-only] [SPEC...]`: exit 2, one line a problem
    (`--contract-only`, for `make lint-spec`: the spec and its access rules, no handlers).
    Without SPEC: every contract the service mounts."""
    # Connexion imports Starlette's test client, which warns about httpx (as in gunicorn.conf)
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    args = sys.argv[1:] if argv is None else argv
    handlers = "--contract-only" not in args
    paths = [a for a in args if a != "--contract-only"]
    specs = [Path(p) for p in paths] or [spec.SPEC_PATH, spec.INFERENCE_SPEC_PATH]
    found = [problem for path in specs for problem in problems(path, handlers=handlers)]
    if found:
        fail(found)


if __name__ == "__main__":
    main()
