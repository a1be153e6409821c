"""Specification of the test suite's own setup (tests/conftest.py, docs/testing.md): what a
fresh checkout without the shared material sees."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).parent
#: a test that reads the shared material (the BBC corpus)
SHARED_TEST = ("test_tagging_check.py::"
               "test_party_tags_on_the_labelled_bbc_sample_are_at_least_98_percent_precise")


def test_without_the_shared_material_its_tests_skip_naming_the_variable_that_finds_it(
    tmp_path: Path,
):
    env = {**os.environ, "CORPUS_SEARCH_SHARED": str(tmp_path / "absent"), "COLUMNS": "400"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:randomly", "-p",
         "no:cacheprovider", SHARED_TEST],
        env=env, capture_output=True, text=True, cwd=TESTS, timeout=300,
    )
    assert "1 skipped" in result.stdout, result.stdout + result.stderr
    assert (f"needs the BBC corpus and eval collection in {tmp_path / 'absent'} (absent on this "
            "checkout; set CORPUS_SEARCH_SHARED to the folder that holds corpora/bbc and eval)"
            ) in " ".join(result.stdout.split())
