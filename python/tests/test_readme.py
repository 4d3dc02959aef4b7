"""The Python code blocks of README.md's "From Python" section run as written."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def python_blocks():
    text = README.read_text()
    section = text.split("## From Python", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_the_section_has_the_dataloader_numpy_and_randaugment_examples():
    blocks = python_blocks()
    assert len(blocks) == 3
    assert "DataLoader" in blocks[0] and len(blocks[0].strip().splitlines()) <= 13


@pytest.mark.parametrize("index", [0, 1, 2])
def test_block_runs(index, capsys):
    if index == 0:
        pytest.importorskip("torch")
    exec(compile(python_blocks()[index], "README.md", "exec"), {"__name__": "readme"})
    if index == 1:
        assert capsys.readouterr().out.startswith("(64, 10) [")
    if index == 2:
        assert capsys.readouterr().out.startswith("[AppliedOp(op='")
