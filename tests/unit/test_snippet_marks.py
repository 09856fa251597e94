"""How the docs' code blocks are marked (tests/snippets.py): every block runs unless it says
why not, continuations follow a block that runs, and the sections other tests relied on keep
their shape. The blocks themselves run in tests/integration/test_snippets.py."""

from __future__ import annotations

from tests.snippets import MARKDOWN, ROOT, all_blocks, chains, markdown_blocks, programs


def test_every_block_runs_or_says_why_not():
    blocks = all_blocks()
    for block in blocks:
        assert block.not_run is None or block.not_run.strip(), block.where
        assert not block.not_run or not block.not_run.startswith("unmarked"), block.not_run
        if block.not_run is None:
            assert block.lang in ("sh", "python", "ts"), block.where
    running = [b for b in blocks if b.not_run is None]
    assert len(running) > len(blocks) // 2


def test_sdk_readmes_are_templates_without_template_code_in_blocks():
    for rel in MARKDOWN[-2:]:
        for block in markdown_blocks(rel):
            assert "{{" not in block.code and "{%" not in block.code, block.where


def test_continuations_follow_a_block_that_runs():
    for rel in MARKDOWN:
        blocks = markdown_blocks(rel)
        chains(blocks)  # raises on a continuation with nothing before it
        for before, block in zip(blocks, blocks[1:], strict=False):
            if block.continues:
                assert before.not_run is None, f"{block.where} continues a block that does not run"


def test_consecutive_python_blocks_of_a_chain_are_one_program():
    readme = [c for c in chains(markdown_blocks("README.md"))]
    walkthrough = next(c for c in readme if c.blocks[0].heading.endswith("to a prediction"))
    kinds = [b.lang for b in walkthrough.blocks]
    assert kinds.count("sh") >= 2 and "python" in kinds and "ts" in kinds, kinds
    assert all(len(p) == 1 for p in programs(walkthrough))  # no two Python blocks in a row


def test_the_v2_section_shows_curl_and_tritonclient():
    v2 = [b for b in markdown_blocks("README.md") if b.heading == "## Open Inference Protocol (V2)"]
    assert [b.lang for b in v2].count("sh") >= 3
    python = [b.code for b in v2 if b.lang == "python"]
    assert len(python) == 1 and "from tritonclient.http import" in python[0]
    assert 'headers={"X-API-Key"' not in python[0] and "headers=headers" in python[0]
    assert "/v2/docs" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_integration_examples_have_one_example_per_client():
    blocks = markdown_blocks("docs/integration-examples.md")
    python = [b.code for b in blocks if b.lang == "python"]
    assert len(python) == 2 and "SpecserveClient" in python[0] and "tritonclient.http" in python[1]
    assert len([b for b in blocks if b.lang == "ts"]) == 1
    assert any("curl" in b.code for b in blocks if b.lang == "sh")
