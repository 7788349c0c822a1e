"""params.yaml stays short and the reference of every key stays true: the committed page is
what the settings classes generate, and every key in it says what it means."""

from __future__ import annotations

import yaml

from tests.helpers.project import REPO_ROOT
from tools.params_reference import REFERENCE, reference

MAX_PARAMS_KEYS = 40  # the issue "The lean template": a team reads params.yaml in five minutes


def _leaves(node: object) -> int:
    return sum(_leaves(value) for value in node.values()) if isinstance(node, dict) else 1


def test_the_committed_reference_is_what_the_settings_generate() -> None:
    committed = (REPO_ROOT / REFERENCE).read_text(encoding="utf-8")
    assert committed == reference(), "docs/reference/params.md is stale: run `make params-reference`"


def test_every_key_of_the_reference_says_what_it_means() -> None:
    unexplained = [line.split("|")[1].strip() for line in reference().splitlines() if line.endswith("|  |")]
    assert not unexplained, f"keys without a description in src/adclick/config/: {unexplained}"


def test_params_yaml_holds_only_the_keys_a_team_changes() -> None:
    keys = _leaves(yaml.safe_load((REPO_ROOT / "params.yaml").read_text(encoding="utf-8")))
    assert keys <= MAX_PARAMS_KEYS, f"params.yaml has {keys} keys (at most {MAX_PARAMS_KEYS}; defaults live in code)"
