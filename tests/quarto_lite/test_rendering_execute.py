"""Kernel output becomes the same markdown whatever its timing: the kernel cuts what a cell prints
into `stream` outputs wherever its flush timer fires, and stdout and stderr interleave as they
happen to be flushed. These feed the conversion artificially split outputs (no kernel)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quarto_lite.execute import _chunk_markdown, merge_streams
from quarto_lite.qmd import Chunk, SourceLine


def out(text: str, name: str = "stdout") -> dict:
    return {"output_type": "stream", "name": name, "text": text}


def md(text: str) -> dict:
    return {
        "output_type": "display_data",
        "metadata": {},
        "data": {"text/plain": "<Markdown>", "text/markdown": text},
    }


def markdown(outputs: list, tmp_path: Path, **options) -> str:
    chunk = Chunk("python", options, "", SourceLine("```{python}", tmp_path / "x.qmd", 1))
    return _chunk_markdown(chunk, outputs, 1, tmp_path, [], tmp_path)


PARAGRAPH = "Of the 120 social workers in post,\n80 were women.\n\nA second paragraph.\n"
SPLITS = {
    "one output": [out(PARAGRAPH)],
    "cut mid-word": [
        out("Of the 1"),
        out("20 social workers in post,\n80 were women.\n\nA"),
        out(" second paragraph.\n"),
    ],
    "cut at each line": [out(line) for line in PARAGRAPH.splitlines(keepends=True)],
    "print's newline apart": [
        out("Of the 120 social workers in post,"),
        out("\n"),
        out("80 were women."),
        out("\n"),
        out("\n"),
        out("A second paragraph."),
        out("\n"),
    ],
    "stderr between": [
        out("Of the 120 social workers in post,\n"),
        out("warn", "stderr"),
        out("80 were women.\n\nA second"),
        out("ing\n", "stderr"),
        out(" paragraph.\n"),
    ],
    "stderr first": [out("warning\n", "stderr"), out(PARAGRAPH)],
    "stderr last": [out(PARAGRAPH), out("warn", "stderr"), out("ing\n", "stderr")],
}


@pytest.mark.parametrize(
    "options",
    [{"output": "asis"}, {"echo": True}, {"output": True}],
    ids=["asis", "echo", "output-true"],
)
@pytest.mark.parametrize("split", list(SPLITS), ids=list(SPLITS))
def test_split_streams_give_the_same_markdown(tmp_path, options, split):
    assert markdown(SPLITS[split], tmp_path, **options) == markdown(
        SPLITS["one output"], tmp_path, **options
    )


def test_asis_paragraph_is_not_split_where_the_kernel_cut_it(tmp_path):
    assert markdown([out("a"), out("bc\n")], tmp_path, output="asis") == "abc"
    assert markdown([out("First line,\n"), out("second line.\n")], tmp_path, output="asis") == (
        "First line,\nsecond line."
    )


def test_trailing_newline_does_not_depend_on_the_cut(tmp_path):
    whole = markdown([out("abc\n")], tmp_path, output="asis")
    assert markdown([out("abc"), out("\n")], tmp_path, output="asis") == whole
    assert markdown([out("abc\n"), out("")], tmp_path, output="asis") == whole


def test_streams_merge_per_name_and_keep_their_place_among_displays():
    outputs = [
        out("a"),
        out("w", "stderr"),
        out("b\n"),
        md("TABLE"),
        out("c"),
        out("d\n"),
        out("x\n", "stderr"),
    ]
    assert merge_streams(outputs) == [
        out("ab\n"),
        out("w", "stderr"),
        md("TABLE"),
        out("cd\n"),
        out("x\n", "stderr"),
    ]
    # The same text arriving in another interleaving merges to the same outputs.
    other = [
        out("w", "stderr"),
        out("a"),
        out("b\n"),
        md("TABLE"),
        out("x\n", "stderr"),
        out("cd\n"),
    ]
    assert merge_streams(other) == merge_streams(outputs)
    assert merge_streams([out(["a", "b"]), out("c")]) == [out("abc")]  # nbformat's list form


def test_text_around_a_display_stays_in_the_authors_order(tmp_path):
    outputs = [out("Before"), out(" the table.\n"), md("| a |\n|---|\n| 1 |"), out("After.\n")]
    assert markdown(outputs, tmp_path, output="asis") == (
        "Before the table.\n\n| a |\n|---|\n| 1 |\n\nAfter."
    )


def test_cells_to_rerun_follows_what_each_cell_reads_and_sets():
    """Hand-worked: after `story` is remade, re-run the cells that read it, directly or through
    a helper or a name set from it, and nothing else."""
    from quarto_lite.execute import cells_to_rerun

    cells = [
        "import pandas as pd\nstory = load()\ndef words(t):\n    return story.x + t\n"
        "def plain(t):\n    return t",                     # 0 made story: not re-run
        "print(snap)",                                      # 1 unrelated
        "lines = [words(1)]\nprint(lines)",                 # 2 through the helper
        "print(lines)",                                     # 3 reads what 2 set
        "lines = []\nlines.append(plain(1))\nprint(lines)",  # 4 sets its own `lines` first
        "import pandas as pd\nprint(pd, story)",            # 5 reads story
        "print(pd.DataFrame())",                            # 6 an import again changes nothing
        "def later():\n    return story\n",                 # 7 defines a helper that reads it
        "print(later())",                                   # 8 so this re-runs
        "%matplotlib inline",                               # 9 not plain Python: always re-runs
        "def show():\n    print(story)\nshow()",            # 10 calls its own helper
    ]
    assert cells_to_rerun(cells, {"story"}) == [2, 3, 5, 8, 9, 10]
