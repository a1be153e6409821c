"""What ``concordance``, ``key-terms`` and ``check`` print stays what it was, byte for byte,
whatever is done to make them faster: their output for many queries and options, on the BBC
corpus and on small indexes (awkward texts, deleted documents, damaged files), is pinned in
``tests/data/research_pinned.json`` as the code printed it before (its SHA-256, and the text
itself where it is short, for a readable difference).

Set ``CORPUS_SEARCH_PIN_RECORD=1`` to record the pins anew (only ever from code whose output
is known right): the tests then write them and pass.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import BBC, SEEDS, needs_shared
from corpus_search import CorpusIndex, Document
from corpus_search.cli import cli
from corpus_search.cli import concordance as concordance_cli
from corpus_search.store.check import check_index
from corpus_search.store.files import META_FILENAME
from test_cli_printing import _printed  # (what a console like the CLI's prints)

PINS = Path(__file__).parent / "data" / "research_pinned.json"
RECORD = os.environ.get("CORPUS_SEARCH_PIN_RECORD") == "1"
#: outputs up to this long are pinned whole, longer ones by their digest alone
WHOLE = 3_000


def _pinned() -> dict[str, Any]:
    return json.loads(PINS.read_text(encoding="utf-8")) if PINS.exists() else {}


def _assert_pinned(group: str, outputs: dict[str, str]) -> None:
    """Each output of ``group`` is the one pinned for its case (or, recording, pin them)."""
    pins = _pinned()
    recorded = {
        case: {"sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "length": len(text),
               **({"text": text} if len(text) <= WHOLE else {})}
        for case, text in outputs.items()
    }
    if RECORD:
        pins[group] = recorded
        PINS.write_text(json.dumps(pins, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                        encoding="utf-8")
        return
    assert group in pins, f"no pins for {group}: record them (see the module notes)"
    assert sorted(pins[group]) == sorted(recorded)
    for case, now in recorded.items():
        was = pins[group][case]
        if "text" in was:
            assert now.get("text") == was["text"], case
        assert (now["length"], now["sha256"]) == (was["length"], was["sha256"]), case


def _invoked(args: list[str]) -> str:
    """What the command prints (standard output and error, piped) and its exit code."""
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return f"{result.output}[exit {result.exit_code}]\n"


# -- the BBC corpus ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bbc(bbc_folder: Path) -> Path:
    """The BBC corpus indexed by one process (the same segments on any machine): the
    session's (conftest.bbc_folder), which no test here changes."""
    return bbc_folder


CONCORDANCES = {
    "said, every place": ["said", "-n", "100000"],
    "Lib Dems, narrow": ["Lib Dems", "-n", "500", "-w", "30"],
    "Lib Dems by date": ["Lib Dems", "-n", "200", "--sort", "date"],
    "a quoted phrase": ['"interest rates"', "-n", "300", "-w", "80"],
    "a phrase with a dropped word": ['"Chancellor of the Exchequer"', "-n", "100"],
    "a name": ["Tony Blair", "-n", "300"],
    "a surname others share": ["Michael Howard", "-n", "300"],
    "a related term only": ["PLP", "-n", "100"],
    "a wildcard": ["privati*", "-n", "200"],
    "lower case lexicon": ["tories", "-n", "100", "-w", "45"],
    "an exclusion": ["Blair NOT Labour", "-n", "100"],
    "filtered": ["election", "-n", "150", "--party", "Labour"],
    "misspelt": ["Blare", "-n", "50"],
    "misspelt, exact": ["Blare", "-n", "50", "--exact"],
    "nothing": ["nothingatallhere", "-n", "5"],
    "only exclusions": ["NOT Labour"],
    "csv": ["Gordon Brown", "--csv", "-n", "200"],
    "json": ["Lib Dems", "--json", "-n", "40"],
    "truncated at one": ["Labour", "-n", "1"],
    "wide context": ["Kennedy", "-n", "60", "-w", "300"],
}

KEY_TERMS = {
    "said": ["said"],
    "Lib Dems": ["Lib Dems"],
    "Lib Dems, every term": ["Lib Dems", "-n", "100000", "--min-documents", "1"],
    "against Tories": ["Labour", "--against", "Tories", "-n", "40"],
    "against the filter's others": ["election", "--against", "*", "--party", "Labour"],
    "the filter's documents": ["*", "--party", "Conservative", "-n", "50"],
    "most documents": ["people", "-n", "200", "--min-documents", "2"],
    "a phrase, csv": ['"tuition fees"', "--csv", "--min-documents", "1"],
    "json": ["election", "--json", "-n", "25"],
    "misspelt": ["Blare"],
    "nothing": ["nothingatallhere"],
    "every document": ["*"],
    "few documents": ["Kilroy-Silk", "-n", "10"],
}


@needs_shared
def test_concordances_on_the_bbc_corpus_print_what_they_did(bbc: Path):
    _assert_pinned("bbc concordance", {
        case: _invoked(["concordance", *args, "--index", str(bbc)])
        for case, args in CONCORDANCES.items()})


@needs_shared
def test_key_terms_on_the_bbc_corpus_print_what_they_did(bbc: Path):
    _assert_pinned("bbc key-terms", {
        case: _invoked(["key-terms", *args, "--index", str(bbc)])
        for case, args in KEY_TERMS.items()})


def _segments_named_in_order(text: str) -> str:
    """``text`` with each segment's random name replaced by its place among them."""
    names: dict[str, str] = {}
    return re.sub(r"MAIN_[a-z0-9]{16}",
                  lambda m: names.setdefault(m.group(), f"SEGMENT{len(names) + 1}"), text)


def _checked(path: Path, *options: str) -> str:
    output = _invoked(["check", "--index", str(path), *options])
    # (the JSON escapes nothing in a temporary folder's path, nor in the checkout's; the
    # index records a folder resolved, so a path through a symbolic link is named both ways)
    shown = output
    for folder, name in ((path, "IX"), (SEEDS, "SEEDS"), (BBC, "BBC")):
        shown = shown.replace(str(folder.resolve()), name).replace(str(folder), name)
    return _segments_named_in_order(shown)


@needs_shared
def test_check_of_the_bbc_index_prints_what_it_did(bbc: Path):
    _assert_pinned("bbc check", {"text": _checked(bbc), "json": _checked(bbc, "--json")})


@needs_shared
def test_key_terms_and_check_of_the_bbc_index_with_deleted_documents_print_what_they_did(
    bbc: Path, tmp_path: Path
):
    path = tmp_path / "ix"
    shutil.copytree(bbc, path)
    with CorpusIndex(path) as ix:
        ix.delete([f"{folder}/{n:03}" for folder in ("politics", "business", "sport")
                   for n in range(1, 200, 3)])
    outputs = {" ".join(args): _invoked(["key-terms", *args, "--index", str(path)])
               for args in (["said"], ["Lib Dems", "-n", "60"], ["people", "-n", "300"],
                            ["election", "--against", "Labour"])}
    outputs["check"] = _checked(path)
    _assert_pinned("bbc with deleted documents", outputs)


@needs_shared
@pytest.mark.parametrize("terminal", [200, 120, 80, 41])
def test_concordances_on_a_terminal_print_what_they_did(
    bbc: Path, monkeypatch: pytest.MonkeyPatch, terminal: int
):
    outputs = {}
    with CorpusIndex(bbc) as ix:
        for query, width in (("Lib Dems", 60), ("Lib Dems", 20), ("said", 35),
                             ('"interest rates"', 150)):
            result = ix.concordance(query, limit=400, width=width)
            outputs[f"{query} {width}"] = _printed(monkeypatch, terminal,
                                                       concordance_cli._print_concordance, result)
    _assert_pinned(f"bbc concordance on a terminal {terminal} wide", outputs)


# -- small indexes: awkward texts, deleted documents, damaged files ---------------------------


AWKWARD = [
    "Budget [bold]row[/] deepens: the budget [red]said[/] no.",
    "Caf\u00e9 owners e\u0301lan and cafe\u0301 budget combining marks " * 3,
    "\u65e5\u672c\u8a9e\u306e\u8a18\u4e8b budget wide characters \u65e5\u672c\u8a9e " * 4,
    "Control \x1b[31mred\x1b[0m budget and \u202eoverride\tand a tab budget.",
    "x" * 130 + " budget " + "y" * 90,
    "Tories\tsaid  no to the\n\nbudget; the Lib-Dems said the budget's :smile: fine.",
    "Smart \u2019quotes\u2019 budget \u2014 dashes \u2013 budget\u2026 ellipsis " * 2,
]


@pytest.fixture(scope="module")
def awkward(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusIndex]:
    ix = CorpusIndex(tmp_path_factory.mktemp("awkward") / "ix")
    ix.add_documents([
        Document(id=f"d{n}\u65e5" if n == 2 else f"doc-{n}", title=f"Story {n}", body=body,
                 date=dt.date(2005, 1, 1 + n) if n % 2 else None)
        for n, body in enumerate(AWKWARD)])
    yield ix
    ix.close()


@pytest.mark.parametrize("terminal", [None, 160, 80, 50, 30])
def test_concordances_of_awkward_texts_print_what_they_did(
    awkward: CorpusIndex, monkeypatch: pytest.MonkeyPatch, terminal: int | None
):
    # (lines printed a few at a time, however many are given to a call of rich's print)
    monkeypatch.setattr(concordance_cli, "CONCORDANCE_LINES_PER_PRINT", 7)
    outputs = {}
    for query, width in (("budget", 60), ("budget", 10), ("said", 25), ("Lib Dems", 40),
                         ("budget", 120), ("nothingatallhere", 20)):
        result = awkward.concordance(query, limit=100, width=width)
        outputs[f"{query} {width}"] = _printed(monkeypatch, terminal,
                                                   concordance_cli._print_concordance, result)
    outputs["truncated"] = _printed(monkeypatch, terminal, concordance_cli._print_concordance,
                                        awkward.concordance("budget", limit=3, width=30))
    _assert_pinned(f"awkward concordance, terminal {terminal}", outputs)


@pytest.fixture(scope="module")
def with_deletions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The seed articles and the awkward texts, in two segments, some deleted."""
    path = tmp_path_factory.mktemp("deleted") / "ix"
    with CorpusIndex(path) as ix:
        ix.index_directory(SEEDS, procs=1)
        ix.add_documents([Document(id=f"extra-{n}", title=f"Extra {n}", body=body)
                          for n, body in enumerate(AWKWARD)])
        ix.delete(["extra-1", "extra-4", "001_15000ecfd68f1c3a"])
    yield path


def test_key_terms_and_check_of_an_index_with_deleted_documents_print_what_they_did(
    with_deletions: Path
):
    outputs = {" ".join(args): _invoked(["key-terms", *args, "--index", str(with_deletions)])
               for args in (["Labour", "--min-documents", "1", "-n", "100"],
                            ["budget", "--min-documents", "1"],
                            ["*", "--min-documents", "1", "-n", "5"],
                            ["the", "--min-documents", "1"],
                            ["budget OR Labour", "--min-documents", "1", "-n", "100"],
                            ["said OR Corbyn", "--min-documents", "1", "-n", "100"],
                            ["Corbyn", "--min-documents", "1", "--against", "*"],
                            ["Labour", "--min-documents", "2", "--json"])}
    outputs["check"] = _checked(with_deletions)
    _assert_pinned("deleted documents", outputs)


def _parts(seg: Path) -> dict[str, tuple[int, int]]:
    """The files inside a compound segment: the end of each name (``.pst``), its offset and
    length in ``seg`` (their order in it is not the same from one build to the next)."""
    from whoosh.filedb.compound import CompoundStorage
    from whoosh.filedb.filestore import FileStorage

    parts = CompoundStorage(FileStorage(str(seg.parent)).open_file(seg.name), use_mmap=False)
    found = {name.rsplit(".", 1)[-1]: (entry["offset"], entry["length"])
             for name, entry in parts._dir.items()}
    parts.close()
    return found


def _zero_first_posting_block(path: Path, fieldname: str) -> None:
    """Zeros over the first block of the first posting list of ``fieldname`` stored apart
    from its term (as tests/test_reliability_damage.py does it)."""
    with CorpusIndex(path) as ix:
        leaf = ix.searcher().reader().leaf_readers()[0][0]
        seg = path / f"{leaf.segment().segment_id()}.seg"
        _text, info = next((text, info) for text, info in leaf._terms.items()
                           if text[0] == fieldname and not info.is_inlined())
        offset, _length = info.extent()
    data = bytearray(seg.read_bytes())
    block = _parts(seg)["pst"][0] + offset + 8
    data[block: block + 16] = bytes(16)
    seg.write_bytes(bytes(data))


def _bytes_changed(part: str, fraction: float, count: int, value: int
                   ) -> Callable[[Path], None]:
    """Damage: ``count`` bytes at ``fraction`` of the file ``part`` (``pst``: postings,
    ``trm``: the term dictionary) of each segment set to ``value``."""
    def damage(path: Path) -> None:
        for seg in sorted(path.glob("*.seg")):
            data = bytearray(seg.read_bytes())
            offset, length = _parts(seg)[part]
            at = offset + int(length * fraction)
            data[at: at + count] = bytes([value]) * count
            seg.write_bytes(bytes(data))
    return damage


def _term_bytes_changed(key: bytes, count: int, value: int) -> Callable[[Path], None]:
    """Damage: ``count`` bytes just after the first ``key`` in the term dictionary of each
    segment that holds it, set to ``value``. Found by content, not by where in the file: the
    dictionary also holds the indexed folder's path, whose length shifts everything after it
    from one checkout to another."""
    def damage(path: Path) -> None:
        for seg in sorted(path.glob("*.seg")):
            data = bytearray(seg.read_bytes())
            offset, length = _parts(seg)["trm"]
            at = data.find(key, offset, offset + length)
            if at >= 0:
                at += len(key)
                data[at: at + count] = bytes([value]) * count
                seg.write_bytes(bytes(data))
    return damage


def _truncated(fraction: float) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        for seg in sorted(path.glob("*.seg")):
            seg.write_bytes(seg.read_bytes()[: int(seg.stat().st_size * fraction)])
    return damage


DAMAGE: dict[str, Callable[[Path], None]] = {
    "a body posting block zeroed": lambda path: _zero_first_posting_block(path, "body"),
    "an id posting block zeroed": lambda path: _zero_first_posting_block(path, "id"),
    "a words posting block zeroed": lambda path: _zero_first_posting_block(path, "words"),
    **{f"{part} bytes at {f} set to {v}": _bytes_changed(part, f, n, v)
       for part, f, n, v in (("pst", 0.05, 40, 0), ("pst", 0.2, 7, 255), ("pst", 0.35, 64, 1),
                             ("pst", 0.5, 3, 9), ("pst", 0.65, 200, 0), ("pst", 0.8, 11, 128),
                             ("pst", 0.97, 5, 0))},
    **{f"trm bytes after {key.decode()} set to {v}": _term_bytes_changed(key, n, v)
       for key, n, v in ((b"budget", 30, 0), (b"labour", 4, 255), (b"minist", 9, 7))},
    "truncated by half": _truncated(0.5),
    "missing its last byte": _truncated(0.999),
    "segment deleted": lambda path: [seg.unlink() for seg in path.glob("*.seg")],
    "metadata not JSON": lambda path: (path / META_FILENAME).write_bytes(b"{not json"),
    "table of contents deleted": lambda path: [toc.unlink() for toc in path.glob("*.toc")],
}


def test_check_of_damaged_indexes_prints_what_it_did(with_deletions: Path, tmp_path: Path):
    outputs = {}
    for name, damage in DAMAGE.items():
        path = tmp_path / re.sub(r"\W+", "-", name)
        shutil.copytree(with_deletions, path)
        damage(path)
        outputs[name] = _checked(path)
        outputs[f"{name}, json"] = _checked(path, "--json")
        assert not check_index(path).healthy or " bytes " in name, name
    _assert_pinned("damaged", outputs)
