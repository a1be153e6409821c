"""Bad files: binary, Latin-1, empty, huge, unreadable, broken links, FIFOs and odd names never
abort an indexing run; each is indexed or skipped with a reason in the report (library and
command line)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import corpus_search_command
from corpus_search import CorpusIndex
from corpus_search.ingest.model import DEFAULT_MAX_BYTES
from reliability_helpers import become_nobody, fork_child

GOOD = "Good article\n\nThe Liberal Democrats won the by-election.\n"

ODD_NAMES = [
    "with space.txt", "quote'single.txt", 'quote"double.txt', "-leading-dash.txt",
    "$(touch pwned).txt", "back\\slash.txt", "new\nline.txt", "tab\tname.txt",
    "[bold red]markup.txt", "émigré café.txt", "中文.txt", "emoji 🙂.txt", "UPPER.TXT",
    "semi;colon.txt", "a..b.txt", " leading space.txt", "x" * 200 + ".txt",
]


def _bad_folder(root: Path) -> dict[str, str | None]:
    """Write a folder of awkward files; return {relative path: expected skip reason or None}."""
    root.mkdir(parents=True)
    expected: dict[str, str | None] = {"good.txt": None}
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 50)
    expected["binary.txt"] = "binary"
    (root / "nul.md").write_bytes(b"Title\n\nText with a \x00 byte in it.\n")
    expected["nul.md"] = None  # (a stray NUL is removed, with a warning)
    (root / "latin1.txt").write_bytes("Prices\n\nThe café cost \xa3300.\n".encode("latin-1"))
    expected["latin1.txt"] = None
    (root / "utf16.txt").write_text("Sixteen\n\nWide Labour text.\n", encoding="utf-16")
    expected["utf16.txt"] = None
    (root / "empty.txt").write_bytes(b"")
    expected["empty.txt"] = "empty"
    (root / "blank.md").write_text("\n   \n\t\n", encoding="utf-8")
    expected["blank.md"] = "empty"
    with open(root / "huge.txt", "wb") as fh:  # 50 MB, sparse: cheap to make
        fh.truncate(50 * 2**20)
    expected["huge.txt"] = "larger than"
    (root / "broken-link.txt").symlink_to(root / "does-not-exist.txt")
    expected["broken-link.txt"] = "broken symbolic link"
    (root / "loop-a.txt").symlink_to(root / "loop-b.txt")
    (root / "loop-b.txt").symlink_to(root / "loop-a.txt")
    expected["loop-a.txt"] = "loop"
    expected["loop-b.txt"] = "loop"
    os.mkfifo(root / "pipe.txt")
    expected["pipe.txt"] = "not a regular file"
    (root / "bad.jsonl").write_text(  # bad JSON, and an escaped lone surrogate (not Unicode)
        '{"title": "One", "body": "Fine."}\n{nope\n{"title": "Two \\udc80", "body": "Odd."}\n',
        encoding="utf-8",
    )
    expected["bad.jsonl"] = None
    (root / "bad.csv").write_text("no,header,here\n1,2,3\n", encoding="utf-8")
    expected["bad.csv"] = "header"
    # saved web pages: the same rules
    (root / "page.html").write_text("<title>Saved page</title><p>Labour won.</p>", "utf-8")
    expected["page.html"] = None
    (root / "binary.html").write_bytes(bytes(range(256)) * 50)
    expected["binary.html"] = "binary"
    with open(root / "huge.htm", "wb") as fh:
        fh.truncate(50 * 2**20)
    expected["huge.htm"] = "larger than"
    (root / "scripts.html").write_text("<script>var labour = 1;</script><nav>Home</nav>")
    expected["scripts.html"] = "no text"
    (root / "unclosed.html").write_text("<p" * 100_000)  # took minutes: now read at once
    expected["unclosed.html"] = None
    (root / "marked.htm").write_text("<![if-]><p>Labour</p>")  # the parser raised on it
    expected["marked.htm"] = None
    (root / "latin1-page.html").write_bytes("<p>The café cost £300.</p>".encode("latin-1"))
    expected["latin1-page.html"] = None
    (root / "folder.txt").mkdir()  # a folder whose name looks like a file
    (root / "folder.txt" / "inside.txt").write_text(GOOD, encoding="utf-8")
    expected["folder.txt/inside.txt"] = None
    for name in ODD_NAMES:
        (root / name).write_text(f"Odd name {name!r}\n\nText about Labour.\n", encoding="utf-8")
        expected[name] = None
    raw = os.fsencode(root) + b"/not-utf8-\xff\xfe.txt"
    with open(raw, "wb") as fh:
        fh.write(GOOD.encode())
    expected["not-utf8-\\xff\\xfe.txt"] = None  # (indexed under that name, with a warning)
    return expected


def _check_report(report: dict, expected: dict[str, str | None]) -> None:
    skipped = {item["path"]: item["reason"] for item in report["skipped"]}
    for rel, reason in expected.items():
        if reason is None:
            assert rel not in skipped, f"{rel!r} was skipped: {skipped.get(rel)}"
        else:
            match = [r for p, r in skipped.items() if p == rel or p == _printable(rel)]
            assert match, f"{rel!r} was not reported as skipped ({sorted(skipped)})"
            assert reason in match[0], f"{rel!r}: {match[0]!r} does not say {reason!r}"
    assert report["indexed"] == sum(1 for r in expected.values() if r is None)


def _printable(rel: str) -> str:
    return os.fsencode(rel).decode("utf-8", "replace")


def test_every_awkward_file_is_indexed_or_skipped_with_a_reason(tmp_path: Path):
    """One indexing run over binary, Latin-1, UTF-16, empty, 50 MB, broken-link, link-loop,
    FIFO, malformed JSONL/CSV and oddly named files completes; good files are searchable and
    every skipped file has its reason."""
    corpus = tmp_path / "corpus"
    expected = _bad_folder(corpus)
    assert DEFAULT_MAX_BYTES < 50 * 2**20
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(corpus)
        _check_report(report.to_dict(), expected)
        assert ix.get("latin1") is not None and "£300" in ix.get("latin1").body
        assert ix.get("émigré café") is not None
        assert ix.search("Labour", limit=100).total >= len(ODD_NAMES)
        assert any("latin1.txt" in w for w in report.warnings)
        assert json.dumps(report.to_dict(), ensure_ascii=False)


def test_the_index_command_reports_awkward_files_without_failing(
    tmp_path: Path, cli_env: dict[str, str]
):
    """``corpus-search index`` over the same folder exits 0, prints each skip with its reason
    (odd names printed literally, not as markup), and its JSON report is valid."""
    corpus = tmp_path / "corpus"
    expected = _bad_folder(corpus)
    command = [*corpus_search_command(), "index", str(corpus), "--index", str(tmp_path / "ix")]
    text = subprocess.run(command, env=cli_env, capture_output=True, text=True, timeout=120,
                          errors="replace")
    assert text.returncode == 0, text.stderr
    assert "Traceback" not in text.stdout + text.stderr
    assert "skipped binary.txt: binary file" in text.stdout
    as_json = subprocess.run([*command, "--rebuild", "--json"], env=cli_env,
                             capture_output=True, timeout=120)
    assert as_json.returncode == 0, as_json.stderr.decode(errors="replace")
    report = json.loads(as_json.stdout)["reports"][0]
    _check_report(report, expected)


def test_a_file_without_read_permission_is_skipped_with_a_reason(tmp_path: Path):
    """A file the indexing user may not read is skipped as "permission denied". As root,
    where chmod 000 does not stop reading, the run happens in a child process that has
    dropped to an unprivileged user."""
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="cs-perm-"))  # outside root-only pytest folders
    try:
        os.chmod(base, 0o777)
        corpus = base / "corpus"
        corpus.mkdir()
        (corpus / "good.txt").write_text(GOOD, encoding="utf-8")
        (corpus / "secret.txt").write_text("Secret\n\nNot for you.\n", encoding="utf-8")
        (corpus / "secret.txt").chmod(0o000)
        (corpus / "closed").mkdir()
        (corpus / "closed" / "inside.txt").write_text(GOOD, encoding="utf-8")
        (corpus / "closed").chmod(0o000)
        index = base / "ix"

        def target(report) -> None:
            become_nobody()
            with CorpusIndex(index) as ix:
                result = ix.index_directory(corpus)
            report(json.dumps(result.to_dict()))

        child = fork_child(target)
        assert child.join() == 0, "the indexing run failed"
        report = json.loads(child.lines[0])
    finally:
        for path in (base / "corpus" / "closed", base / "corpus" / "secret.txt"):
            path.chmod(0o755)
        import shutil

        shutil.rmtree(base)
    assert {"path": "secret.txt", "reason": "permission denied"} in report["skipped"]
    assert report["indexed"] == 1


@pytest.mark.parametrize("size", [0, 1, 2 * 2**20])
def test_large_single_line_and_tiny_files_are_handled(tmp_path: Path, size: int):
    """A one-byte file and a 2 MB file with no line breaks are indexed or skipped, not fatal."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD, encoding="utf-8")
    (corpus / "odd.txt").write_text("Labour " * (size // 7) if size else "x", encoding="utf-8")
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(corpus)
        assert report.indexed + len(report.skipped) == 2
        assert ix.get("good") is not None
