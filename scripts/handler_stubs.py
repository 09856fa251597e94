"""Write a stub for every operation of the contract that has no handler yet.

`make handler-stubs`: each missing `handlers.<tag>.<operation>` gets an `async def` taking the
operation's path parameters (and `request_id`) that answers 501 `not_implemented` in the
error shape, so the service starts and the new operation can be filled in. Existing modules
are appended to; nothing already defined is touched.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from specserve import spec  # noqa: E402
from specserve.startup import find_handler  # noqa: E402

HEADER = '''"""Tag `{tag}`."""

from connexion.lifecycle import ConnexionResponse

from specserve.errors import NotImplementedYet
'''

STUB = '''

async def {function}({params}) -> ConnexionResponse:
    """{method} {path}: {summary} (a stub from `make handler-stubs`: answers 501)."""
    raise NotImplementedYet()
'''


def stub(operation: spec.Operation) -> str:
    function = operation.handler.rpartition(".")[2]
    path_params = [p["name"] for p in operation.parameters if p["in"] == "path"]
    params = ", ".join(f"{name}: str" for name in [*path_params, "request_id"])
    summary = operation.summary or "not described"
    return STUB.format(
        function=function,
        params=params,
        method=operation.method,
        path=operation.path,
        summary=summary.rstrip("."),
    )


def write_stubs(contract: spec.Contract, root: Path) -> list[str]:
    """The stubs written (`module.function`), one per operation without a handler."""
    written = []
    for operation in contract.operations.values():
        handler, problem = find_handler(operation)
        if handler is not None or problem is None or "define `async def" not in problem:
            continue  # defined, or a module that fails to import: a person must look
        module, _, _ = operation.handler.rpartition(".")
        source = root / (module.replace(".", "/") + ".py")
        text = source.read_text(encoding="utf-8") if source.exists() else ""
        if not text:
            tag = module.rpartition(".")[2].title()
            text = HEADER.format(tag=tag)
        elif "NotImplementedYet" not in text:
            text = text.replace("\n\n", "\nfrom specserve.errors import NotImplementedYet\n\n", 1)
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_text(text + stub(operation), encoding="utf-8")
        written.append(operation.handler)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spec", type=Path, default=spec.SPEC_PATH)
    args = parser.parse_args()
    for name in write_stubs(spec.load(args.spec), ROOT):
        print(f"wrote a stub for {name}")


if __name__ == "__main__":
    main()
