"""Unified diffs as git and GitHub write them become FileChanges with the right added lines."""

from __future__ import annotations

import pytest
from conftest import SAMPLES

from bot.diff import added_lines_from_patch, parse_diff
from bot.errors import DiffError


def by_path(text: str):
    return {c.path: c for c in parse_diff(text)}


def test_every_kind_of_change_git_writes():
    changes = by_path((SAMPLES / "git-all-kinds.diff").read_text())
    assert changes["bin.dat"].is_binary
    assert changes["gone.py"].status == "deleted"
    assert changes["mode.sh"].status == "modified" and changes["mode.sh"].added_lines == frozenset()
    assert changes["n.py"].status == "added" and changes["n.py"].added_lines == {1, 2}
    renamed = changes["ren2.py"]
    assert (renamed.status, renamed.old_path, renamed.added_lines) == ("renamed", "ren.py", {5})
    # The last hunk ends with "\ No newline at end of file".
    assert changes["x.py"].added_lines == {2, 4}


def test_crlf_diff_parses_like_lf():
    lf = (SAMPLES / "git-all-kinds.diff").read_text()
    crlf = lf.replace("\n", "\r\n")
    assert by_path(crlf)["x.py"].added_lines == by_path(lf)["x.py"].added_lines


def test_empty_diff_has_no_changes():
    assert parse_diff("") == []


@pytest.mark.parametrize(
    "text",
    [
        "this is not a diff\n",
        # A hunk that promises five lines and is cut off after two.
        "diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -1,5 +1,5 @@\n-a\n+b\n",
    ],
)
def test_malformed_diff_is_a_clear_error(text):
    with pytest.raises(DiffError):
        parse_diff(text)


def test_github_hunks_only_patch():
    patch = "@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n\\ No newline at end of file"
    assert added_lines_from_patch(patch) == {2, 4}


def test_github_patch_with_several_hunks():
    patch = "@@ -1,2 +1,2 @@\n-a\n+A\n b\n@@ -10,2 +10,3 @@ def f():\n x\n+y\n z"
    assert added_lines_from_patch(patch) == {1, 11}
