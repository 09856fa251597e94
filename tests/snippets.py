"""Every code block of the docs, found and run as written (tests/integration/test_snippets.py).

Where blocks come from: README.md, docs/*.md, both SDK READMEs (their sources,
`sdk-templates/python/README.md.jinja` and `sdk-templates/typescript/README.md`), and the
samples the HTML references show for every operation (scripts/code_samples.py for
docs/api.html, scripts/inference_samples.py for docs/inference-v2.html).

How a markdown block is marked, on the line right before its fence (none: the block runs):

    <!-- not run: REASON -->   not usage to run (an output listing, a config file, a diagram,
                               a command that starts the server or builds an image): skipped,
                               the reason saying why
    <!-- continues -->         runs after the block before it, in the same folder, with the
                               shell variables that block set; consecutive Python (or
                               TypeScript) blocks of a chain are one program, run together

What running "as written" allows: `make serve`'s address (127.0.0.1:8000) becomes the live
service's, a key written `ssk_...` (a placeholder) the test's key, and the environment holds
what the docs say a reader has set: SPECSERVE_BASE_URL, SPECSERVE_V2_URL, SPECSERVE_API_KEY
(a key with the default scopes), SPECSERVE_ADMIN_KEY (a key with `admin`, for the blocks that
say they need one), SPECSERVE_KEYS_FILE (the CLI's key store is the service's); the folder
holds `.venv` and `models/` as a checkout does. Output a block shows (`# ...` lines after a
shell command, `print(...)  # ...` or `console.log(...); // ...`) must be what it printed,
`...` standing for what differs from run to run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
FENCE = re.compile(r"^```(\S*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)
MARKER = re.compile(r"^<!-- (?:(continues)|not run: (.+?)) -->$")
HEADING = re.compile(r"^#{1,6} .*$", re.M)
LANGUAGES = {"sh": "sh", "python": "python", "ts": "ts"}
MARKDOWN = [
    "README.md",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md")),
    "sdk-templates/python/README.md.jinja",
    "sdk-templates/typescript/README.md",
]

ADDRESS = "127.0.0.1:8000"  # `make serve`'s, as the docs write it
KEY_PLACEHOLDER = "ssk_..."
PUBLISHED = re.compile(r"\bmodels add \S+ --name (\S+)")
ROLLOUT = re.compile(r"\bmodels (?:pin|unpin|shadow|unshadow|canary|promote|abort) (\S+)")


@dataclass
class Block:
    """One code block: where it is, what it is, and whether it runs."""

    file: str  # relative to the repository, or "docs/api.html (scripts/code_samples.py)"
    line: int  # of the opening fence (1-based); 0 for a generated sample
    lang: str  # the fence's info string: sh, python, ts, or anything else
    code: str
    heading: str = ""  # the nearest heading above it (markdown)
    continues: bool = False
    not_run: str | None = None  # why not
    name: str = ""  # a generated sample: "<operationId> (<label>)"

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else f"{self.file} {self.name}"


@dataclass
class Chain:
    """Blocks that run one after another in one folder (a block and its continuations)."""

    blocks: list[Block] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.blocks[0].where


def _headings(text: str) -> list[tuple[int, str]]:
    """(line, heading) of the markdown headings, outside code blocks."""
    out, fenced = [], False
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and HEADING.fullmatch(line):
            out.append((number, line))
    return out


def markdown_blocks(rel: str) -> list[Block]:
    text = (ROOT / rel).read_text(encoding="utf-8")
    headings = _headings(text)
    blocks = []
    for m in FENCE.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        before = text[: m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        marker = MARKER.match(before)
        heading = next((h for n, h in reversed(headings) if n < line), "")
        block = Block(rel, line, m[1], m[2], heading)
        if marker:
            block.continues = marker[1] is not None
            block.not_run = marker[2]
        if block.not_run is None and m[1] not in LANGUAGES:
            block.not_run = f"unmarked block of language {m[1]!r}: mark it or give it sh/python/ts"
            block.lang = "unknown"
        blocks.append(block)
    return blocks


def _spec_samples(
    file: str, spec_path: Path, with_samples: Callable[[dict[str, Any]], dict[str, Any]]
) -> list[Block]:
    from scripts.spec_operations import METHODS

    spec = with_samples(yaml.safe_load(spec_path.read_text(encoding="utf-8")))
    lang = {"curl": "sh", "Python": "python", "JavaScript": "ts"}
    return [
        Block(
            file,
            0,
            lang[s["label"]],
            s["source"] + "\n",
            name=f"{op['operationId']} ({s['label']})",
        )
        for item in spec["paths"].values()
        for method in METHODS
        if (op := item.get(method))
        for s in op["x-codeSamples"]
    ]


def sample_blocks() -> list[Block]:
    """The samples of both HTML references, as `make generate` renders them."""
    from scripts import code_samples, inference_samples
    from specserve import spec as contract

    return [
        *_spec_samples(
            "docs/api.html (scripts/code_samples.py)",
            ROOT / "openapi" / "openapi.yaml",
            code_samples.with_samples,
        ),
        *_spec_samples(
            "docs/inference-v2.html (scripts/inference_samples.py)",
            contract.INFERENCE_SPEC_PATH,
            inference_samples.with_samples,
        ),
    ]


def all_blocks() -> list[Block]:
    return [b for rel in MARKDOWN for b in markdown_blocks(rel)] + sample_blocks()


def chains(blocks: list[Block]) -> list[Chain]:
    """Blocks that run, each with the blocks that continue it."""
    out: list[Chain] = []
    for block in blocks:
        if block.not_run is not None:
            continue
        if block.continues:
            assert out and out[-1].blocks[0].file == block.file, (
                f"{block.where}: marked `continues`, but no block before it runs"
            )
            out[-1].blocks.append(block)
        else:
            out.append(Chain([block]))
    return out


def programs(chain: Chain) -> Iterator[list[Block]]:
    """The chain's steps in order: a shell block alone; consecutive Python (or TypeScript)
    blocks together, as one program."""
    run: list[Block] = []
    for block in chain.blocks:
        if run and (block.lang != run[-1].lang or block.lang == "sh"):
            yield run
            run = []
        run.append(block)
    if run:
        yield run


# -- what a block shows it prints --------------------------------------------------------

OUTPUT = {
    "python": re.compile(r"^\s*print\(.*\)  # (.*)$"),
    "ts": re.compile(r"^\s*console\.log\(.*\); // (.*)$"),
}
CONTINUED = re.compile(r"^#  \S")


@dataclass
class Step:
    """One shell command of a block and the output the block shows for it."""

    command: str
    expected: list[str]


def shell_steps(code: str) -> list[Step]:
    """Commands (a line and its `\\` continuations) and the `# ` lines right under each (no
    blank line between): the output it shows; a line of `#`, two spaces and text continues
    the output line above it (a long JSON line wrapped), where `#` and three spaces is an
    output line that starts with two. A comment after a blank line is prose, not output."""
    steps: list[Step] = []
    lines = iter(code.splitlines())
    under = False  # right under a command or its output (no blank line, no prose between)
    for line in lines:
        if not line.strip():
            under = False
            continue
        if line.startswith("#"):
            if not under:
                continue
            shown = steps[-1].expected
            if CONTINUED.match(line) and shown:
                shown[-1] += line[3:]
            else:
                shown.append(line[2:])
            continue
        command = [line]
        while command[-1].endswith("\\"):
            command.append(next(lines))
        steps.append(Step("\n".join(command), []))
        under = True
    return steps


def shell_script_steps(code: str) -> list[Step]:
    """A shell block with output shown is run command by command (each checked); one
    without is run whole (its comments and control flow as written)."""
    steps = shell_steps(code)
    if any(step.expected for step in steps):
        return steps
    return [Step(code, [])]


def printed(code: str, lang: str) -> list[str]:
    """The output a Python or TypeScript snippet shows beside its print calls, in order."""
    return [m[1] for line in code.splitlines() if (m := OUTPUT[lang].match(line))]


def matches(expected: list[str], output: str) -> bool:
    """Line for line, `...` standing for any text within a line."""
    lines = output.strip("\n").splitlines()
    if len(lines) != len(expected):
        return False
    for shown, line in zip(expected, lines, strict=True):
        pattern = ".*?".join(map(re.escape, shown.split("...")))
        if not re.fullmatch(pattern, line):
            return False
    return True


# -- running -----------------------------------------------------------------------------

NODE_MODULES = ROOT / "sdk-templates" / "node_modules"
TSC = NODE_MODULES / ".bin" / "tsc"
TS_SDK = ROOT / "generated" / "typescript-client"
PY_SDK = ROOT / "generated" / "python-client"
MYPY = Path(sys.executable).parent / "mypy"
# Packages the Python blocks import that ship no type information: mypy --strict takes
# them as untyped (Any) instead of refusing the import; everything else is checked.
UNTYPED = ["tritonclient.*", "skops.*", "sklearn.*", "pandas.*"]
# What a reader's shell starts with: never carried from one block to the next.
SAVE_SHELL = r"""
for __v in $(compgen -v); do
  case " $SNIPPET_BASE_VARS " in *" $__v "*) ;; *) declare -p "$__v" ;; esac
done > "$SNIPPET_STATE"
"""


class SnippetFailed(AssertionError):
    pass


@dataclass
class Runner:
    """Runs chains in folders of their own, against one live service."""

    env: dict[str, str]
    address: str  # host:port of the live service
    key: str
    work: Path  # a folder for this runner's folders and caches
    model_dir: Path
    count: int = 0

    def folder(self) -> Path:
        self.count += 1
        here = self.work / f"chain{self.count}"
        (here / "node_modules" / "@types").mkdir(parents=True)
        (here / ".venv").symlink_to(ROOT / ".venv")
        (here / "models").symlink_to(self.model_dir)
        (here / "node_modules" / "specserve-client").symlink_to(TS_SDK)
        (here / "node_modules" / "@types" / "node").symlink_to(NODE_MODULES / "@types" / "node")
        (here / "package.json").write_text('{"type": "module"}\n')
        return here

    def as_written(self, code: str) -> str:
        return code.replace(ADDRESS, self.address).replace(KEY_PLACEHOLDER, self.key)

    def run(
        self, command: list[str], folder: Path, where: str, env: dict[str, str] | None = None
    ) -> str:
        out = subprocess.run(
            command,
            cwd=folder,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if out.returncode != 0:
            raise SnippetFailed(
                f"{where}: {' '.join(command[:2])} exited {out.returncode}\n"
                f"stdout:\n{out.stdout[-3000:]}\nstderr:\n{out.stderr[-3000:]}"
            )
        return out.stdout

    def run_chain(self, chain: Chain) -> dict[str, str]:
        """Runs every step; returns each program's output by its first block's place."""
        folder = self.folder()
        state = folder / ".shell-state"
        base = subprocess.run(
            ["bash", "-c", "compgen -v"], capture_output=True, text=True, env=self.env
        ).stdout.split()
        env = {
            **self.env,
            "SNIPPET_STATE": str(state),
            "SNIPPET_BASE_VARS": " ".join([*base, "__v", "SNIPPET_STATE", "SNIPPET_BASE_VARS"]),
        }
        state.write_text("")
        outputs: dict[str, str] = {}
        for program in programs(chain):
            where = ", ".join(b.where for b in program)
            lang = program[0].lang
            code = "".join(self.as_written(b.code) for b in program)
            if lang == "sh":
                outputs[program[0].where] = self.run_shell(code, folder, env, where)
            elif lang == "python":
                outputs[program[0].where] = self.run_python(code, folder, env, where)
            else:
                outputs[program[0].where] = self.run_typescript(code, folder, env, where)
        return outputs

    def run_shell(self, code: str, folder: Path, env: dict[str, str], where: str) -> str:
        output = ""
        for step in shell_script_steps(code):
            script = f'source "$SNIPPET_STATE"\n{step.command}\n{SAVE_SHELL}'
            # one pin, shadow or canary command: wait for the service to apply it (a step
            # of several, such as a pin and its undo, leaves nothing to wait for)
            changes = ROLLOUT.findall(step.command)
            rollout = changes[0] if len(changes) == 1 else None
            before = self.describe(rollout) if rollout else None
            out = self.run(["bash", "-euo", "pipefail", "-c", script], folder, where, env)
            if step.expected and not matches(step.expected, out):
                raise SnippetFailed(
                    f"{where}: {step.command}\nprinted:\n{out}\nthe docs show:\n"
                    + "\n".join(step.expected)
                )
            output += out
            if published := PUBLISHED.search(step.command):
                self.wait_until_served(published[1], where)
            if rollout:
                self.wait_until_changed(rollout, before, where)
        return output

    def describe(self, model: str) -> str:
        url = f"{self.env['SPECSERVE_BASE_URL']}/models/{model}"
        return httpx.get(url, headers={"X-API-Key": self.key}, timeout=5).text

    def wait_until_changed(self, model: str, before: str | None, where: str) -> None:
        """What a reader waits for after a pin, shadow or canary command: the service's next
        poll of the store, seen as `GET /models/{model}` answering otherwise."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.describe(model) != before:
                return
            time.sleep(0.1)
        raise SnippetFailed(f"{where}: {model} did not change within 30 s of the command")

    def wait_until_served(self, model: str, where: str, timeout: float = 30) -> None:
        """What a reader waits for after `models add` (the service's next poll of the store,
        SPECSERVE_MODEL_POLL_SECONDS)."""
        url = f"{self.env['SPECSERVE_BASE_URL']}/models/{model}/openapi.json"
        headers = {"X-API-Key": self.key}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if httpx.get(url, headers=headers, timeout=5).status_code == 200:
                return
            time.sleep(0.1)
        raise SnippetFailed(f"{where}: {model} did not serve within {timeout} s of `models add`")

    def run_python(self, code: str, folder: Path, env: dict[str, str], where: str) -> str:
        """`mypy --strict`, then run; a first line `# PYTHONPATH=DIR` (a package beside the
        installed one) is honoured by both."""
        source = folder / f"snippet{self.count}_{abs(hash(code)) % 10**8}.py"
        source.write_text(code, encoding="utf-8")
        path = re.match(r"# PYTHONPATH=(\S+)\n", code)
        # mypy does not follow the editable install's import hook: the SDK's source tree
        mypy_path = [str(PY_SDK)]
        extra = {"PYTHONPATH": str(folder / path[1])} if path else {}
        if path:
            mypy_path.insert(0, str(folder / path[1]))
        extra["MYPYPATH"] = ":".join(mypy_path)
        config = self.work / "mypy.ini"
        if not config.exists():
            overrides = "".join(f"[mypy-{m}]\nignore_missing_imports = True\n" for m in UNTYPED)
            config.write_text(f"[mypy]\nstrict = True\n{overrides}")
        self.run(
            [
                str(MYPY),
                "--strict",
                "--config-file",
                str(config),
                "--cache-dir",
                str(self.work / ".mypy_cache"),
                "--no-error-summary",
                source.name,
            ],
            folder,
            f"{where} (mypy --strict)",
            {**env, **extra},
        )
        output = self.run([sys.executable, source.name], folder, where, {**env, **extra})
        shown = printed(code, "python")
        if shown and not matches(shown, output):
            raise SnippetFailed(f"{where}\nprinted:\n{output}\nthe docs show:\n" + "\n".join(shown))
        return output

    def run_typescript(self, code: str, folder: Path, env: dict[str, str], where: str) -> str:
        """`tsc --strict` against the built SDK's declarations, then Node runs it."""
        source = folder / f"snippet{self.count}.ts"
        source.write_text(code, encoding="utf-8")
        (folder / "tsconfig.json").write_text(
            json.dumps(
                {
                    "compilerOptions": {
                        "target": "ES2022",
                        "module": "ESNext",
                        "moduleResolution": "bundler",
                        "strict": True,
                        "lib": ["ES2022", "DOM"],
                        "types": ["node"],
                        "outDir": "out",
                    },
                    "files": [source.name],
                }
            )
        )
        self.run([str(TSC), "-p", "tsconfig.json"], folder, f"{where} (tsc --strict)", env)
        node = shutil.which("node") or "node"
        output = self.run([node, f"out/{source.stem}.js"], folder, where, env)
        shown = printed(code, "ts")
        if shown and not matches(shown, output):
            raise SnippetFailed(f"{where}\nprinted:\n{output}\nthe docs show:\n" + "\n".join(shown))
        return output


def snippet_env(
    base_url: str, address: str, key: str, admin_key: str, keys_file: Path
) -> dict[str, str]:
    return {
        **os.environ,
        "SPECSERVE_BASE_URL": base_url,
        "SPECSERVE_V2_URL": f"http://{address}/v2",
        "SPECSERVE_API_KEY": key,
        "SPECSERVE_ADMIN_KEY": admin_key,
        "SPECSERVE_KEYS_FILE": str(keys_file),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
