"""The template's promise, held for each fork example: a team's data in at most two files and
60 hand-written lines on top of `adclick init-schema`'s draft (`make fork-check` then runs every
layer on each; this layer only counts, in seconds)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from adclick.data.draft import draft
from adclick.errors import ConfigError
from tests.helpers.project import REPO_ROOT
from tools.forks import MAX_FILES, MAX_HAND_LINES, PARAMS, SCHEMA_MODULE, apply_example, examples, set_keys

pytestmark = pytest.mark.ml_test_score("data-6")

EXAMPLES = examples(REPO_ROOT)


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """The two files a fork edits, as the template has them."""
    for name in (SCHEMA_MODULE, PARAMS):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO_ROOT / name, tmp_path / name)
    return tmp_path


def test_there_are_at_least_two_fork_examples() -> None:
    assert len(EXAMPLES) >= 2, [p.name for p in EXAMPLES]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_each_fork_example_changes_at_most_two_files_and_sixty_lines_by_hand(example: Path, template: Path) -> None:
    change = apply_example(example, template)
    print(change.line())
    assert set(change.files) <= {str(SCHEMA_MODULE), str(PARAMS)}
    assert len(change.files) <= MAX_FILES, change.line()
    assert change.hand_lines <= MAX_HAND_LINES, change.line()


def test_setting_a_params_key_keeps_its_comment_and_every_other_line() -> None:
    text = "data:\n  source: synthetic # where\n  n_rows: 5\ngates:\n  min_roc_auc: 0.75\n"
    changed = set_keys(text, {"data": {"source": "data/x.csv"}})
    assert changed == "data:\n  source: data/x.csv # where\n  n_rows: 5\ngates:\n  min_roc_auc: 0.75\n"


def test_an_example_may_only_set_keys_the_template_has() -> None:
    with pytest.raises(ConfigError, match=r"no key gates\.min_roc_acu"):
        set_keys("gates:\n  min_roc_auc: 0.75\n", {"gates": {"min_roc_acu": 0.8}})


def test_the_count_is_the_lines_written_on_top_of_the_draft(template: Path, tmp_path: Path) -> None:
    """A made-up example that adds one line to the drafted schema and sets one params key: counted
    as git counts (`--numstat`), one line added, and one removed plus one added for the key."""
    example = tmp_path / "example"
    example.mkdir()
    (example / "source.py").write_text(
        "from pathlib import Path\n"
        'FILE, LABEL, POSITIVE = "data/source/tiny.csv", "y", "yes"\n'
        "def export(path: Path) -> Path:\n"
        "    path.parent.mkdir(parents=True, exist_ok=True)\n"
        '    path.write_text("size,y\\n1,yes\\n2,no\\n3,yes\\n4,no\\n")\n'
        "    return path\n"
    )
    drafted = draft(pd.DataFrame({"size": [1, 2, 3, 4], "y": ["yes", "no", "yes", "no"]}), "data/source/tiny.csv",
                    label="y", positive="yes")  # fmt: skip
    (example / "specs.py").write_text(drafted.schema_module + 'DIRECTIONS = {"size": 1}\n')
    (example / "params.yaml").write_text("gates:\n  min_roc_auc: 0.8\n")
    change = apply_example(example, template)
    assert change.hand_lines == 3, change.line()
    assert change.files == [str(SCHEMA_MODULE), str(PARAMS)]


def test_the_draft_of_init_schema_is_git_ignored() -> None:
    """A draft is a starting point copied by hand, never a file of the project (docs/fork.md)."""
    import subprocess

    ignored = subprocess.run(["git", "check-ignore", "-q", "drafts/specs.py"], cwd=REPO_ROOT, check=False)
    assert ignored.returncode == 0, "drafts/ is not in .gitignore"
