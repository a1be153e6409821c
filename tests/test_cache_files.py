"""Specification: the cache files that spare later processes work (the compiled lexicon, the
Snowball stems) never change a result. A cache for another lexicon, another analyzer or
another stemmer is not used; a damaged one is ignored and written again; one that cannot be
written costs only time. (Timings are in benchmarks/bench_cli.py, not here.)"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import loaded_after
from corpus_search.analysis import cachefiles, compiled_cache, lexicon, lexicon_compile, stemming
from corpus_search.analysis.analyzer import political_analyzer
from corpus_search.analysis.lexicon import load_lexicon


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cachefiles.CACHE_ENV, str(folder))
    monkeypatch.setattr(lexicon, "_CACHE", {})
    return folder


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the lexicon compilations from now on."""
    calls: list[int] = []
    real = lexicon._compile

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(lexicon, "_compile", counted)
    return calls


def _same_lexicon(a, b) -> None:
    assert a.fingerprint == b.fingerprint
    assert a.trie == b.trie
    assert dict(a.spelling) == dict(b.spelling)
    assert dict(a.context) == dict(b.context)
    assert a.entries == b.entries and a.stopwords == b.stopwords
    assert a.protected == b.protected and a.ambiguous_starts == b.ambiguous_starts


# -- the cache file format ----------------------------------------------------------------------


def test_a_cache_file_gives_back_what_was_written_for_its_key(cache: Path):
    assert cachefiles.write_cached("thing", "k1", b"payload\n\0bytes")
    assert cachefiles.read_cached("thing", "k1") == b"payload\n\0bytes"
    assert cachefiles.read_cached("thing", "k2") is None
    assert cachefiles.read_cached("other", "k1") is None


@settings(max_examples=40, deadline=None)
@given(cut=st.integers(min_value=0, max_value=200), flip=st.integers(min_value=0, max_value=200))
def test_a_damaged_cache_file_is_never_read(tmp_path_factory, cut: int, flip: int):
    folder = tmp_path_factory.mktemp("cache")
    before = os.environ.get(cachefiles.CACHE_ENV)
    os.environ[cachefiles.CACHE_ENV] = str(folder)
    try:
        payload = bytes(range(256)) * 2
        cachefiles.write_cached("thing", "key", payload)
        whole = (folder / "thing").read_bytes()
        (folder / "thing").write_bytes(whole[: len(whole) - 1 - cut % len(whole)])
        assert cachefiles.read_cached("thing", "key") is None
        flipped = bytearray(whole)
        flipped[flip % len(whole)] ^= 0x20  # in the header, the checksum or the payload
        (folder / "thing").write_bytes(bytes(flipped))
        assert cachefiles.read_cached("thing", "key") is None
    finally:
        if before is None:
            del os.environ[cachefiles.CACHE_ENV]
        else:
            os.environ[cachefiles.CACHE_ENV] = before


def test_a_cache_file_an_earlier_release_wrote_is_read_and_written_again_in_this_form(
        cache: Path):
    # earlier releases checked a file by the SHA-256 of its payload; this one by its CRC-32
    # (cheaper for the ~1.8 MB a search reads): an upgrade keeps the
    # user's caches, each read once the old way, then written in the new form
    import hashlib

    payload = b"stems\n\0of 30,000 words"
    cache.mkdir()
    digest = hashlib.sha256(payload).hexdigest().encode()
    (cache / "thing").write_bytes(b"corpus-search-cache 1 key " + digest + b"\n" + payload)
    assert cachefiles.read_cached("thing", "key") == payload
    assert (cache / "thing").read_bytes().startswith(b"corpus-search-cache 2 key ")
    assert cachefiles.read_cached("thing", "key") == payload
    (cache / "thing").write_bytes(b"corpus-search-cache 1 key " + digest + b"\n" + payload[1:])
    assert cachefiles.read_cached("thing", "key") is None  # damaged: ignored, as before


def test_an_unwritable_cache_folder_costs_nothing_but_time(tmp_path: Path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cachefiles.CACHE_ENV, str(blocker / "cache"))
    assert cachefiles.write_cached("thing", "key", b"x") is False
    assert cachefiles.read_cached("thing", "key") is None


def test_an_empty_cache_setting_turns_the_cache_off(tmp_path: Path, monkeypatch):
    monkeypatch.setenv(cachefiles.CACHE_ENV, "")
    assert cachefiles.cache_dir() is None
    assert cachefiles.write_cached("thing", "key", b"x") is False
    assert cachefiles.read_cached("thing", "key") is None


# -- the compiled lexicon -----------------------------------------------------------------------


@pytest.mark.skipif(sys.platform != "linux", reason="found without platformdirs on Linux only")
@settings(max_examples=30, deadline=None)
@given(
    xdg=st.sampled_from(["", "   ", "relative/cache", "/abs/cache", "/abs/cache/", "~/cache"]),
    home=st.sampled_from([None, "", "/home/someone", "/home/someone/", "relative/home", "/"]),
)
def test_the_cache_folder_is_the_one_platformdirs_names(xdg: str, home: str | None):
    """On Linux the folder is found without importing platformdirs (~2 ms of a search):
    the same folder, whatever $XDG_CACHE_HOME and $HOME say."""
    import platformdirs

    env = {"XDG_CACHE_HOME": xdg, "HOME": home}
    saved = {name: os.environ.get(name) for name in (*env, cachefiles.CACHE_ENV)}
    try:
        os.environ.pop(cachefiles.CACHE_ENV, None)
        for name, value in env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        expected = platformdirs.user_cache_dir("corpus-search", appauthor=False)
        assert cachefiles.cache_dir() == Path(expected)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def test_the_lexicon_is_compiled_once_then_read_from_the_cache(cache: Path, monkeypatch):
    compiles = _compiles(monkeypatch)
    first = load_lexicon()
    assert len(compiles) == 1
    monkeypatch.setattr(lexicon, "_CACHE", {})  # a new process, as far as loading goes
    second = load_lexicon()
    assert len(compiles) == 1
    assert second is not first
    _same_lexicon(first, second)


def _described(value, seen: dict[int, int] | None = None):
    """``value`` as comparable data that tells apart what ``==`` does not: the kind of each
    string (a ``BegunTerm`` with its words), read-only mappings, and which nodes, children
    and outputs of the tries are one object (numbered as first met)."""
    seen = {} if seen is None else seen
    if isinstance(value, (list, dict, tuple, frozenset, MappingProxyType)) and id(value) in seen:
        return ("same as", seen[id(value)])
    if isinstance(value, (list, dict, tuple, MappingProxyType)):
        seen[id(value)] = len(seen)
    if isinstance(value, (dict, MappingProxyType)):
        items = [(k, _described(v, seen)) for k, v in value.items()]
        return (type(value).__name__, items)
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_described(v, seen) for v in value])
    if type(value) is lexicon.BegunTerm:
        return ("begun", str(value), value.words)
    return value


def test_the_lexicon_read_from_the_cache_is_the_one_compiled_field_by_field(
    cache: Path, monkeypatch
):
    compiled = load_lexicon()
    monkeypatch.setattr(lexicon, "_CACHE", {})
    compiles = _compiles(monkeypatch)
    read = load_lexicon()
    assert read is not compiled and compiles == []  # (read from the cache)
    # (all fields at once: the tries share nodes, numbered the same way in both)
    names = [f.name for f in dataclasses.fields(lexicon.Lexicon) if f.name not in lexicon._CACHES]
    assert _described([getattr(read, n) for n in names]) == \
        _described([getattr(compiled, n) for n in names])
    assert any(type(t) is lexicon.BegunTerm for node in _nodes(read.trie) if node[lexicon.OUTPUT]
               for t in node[lexicon.OUTPUT])


def _nodes(trie: list) -> list[list]:
    found, stack, seen = [], [trie], set()
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            found.append(node)
            stack.extend([*node[lexicon.LOWER].values(), *node[lexicon.CASED].values()])
    return found


def _leaf_children(trie: list) -> list[dict]:
    """The (empty) children dicts of every node of ``trie`` that has none."""
    found, stack, seen = [], [trie], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for slot in (lexicon.LOWER, lexicon.CASED):
            if node[slot]:
                stack.extend(node[slot].values())
            else:
                found.append(node[slot])
    return found


def test_the_trie_read_from_the_cache_has_one_empty_dict_for_every_childless_node(
    cache: Path, monkeypatch
):
    """Unpickling ~20,000 empty dicts was a third of the time a search spent loading the
    lexicon; the frozen trie is only read, so its childless nodes share one (its alike
    nodes are one node too, which leaves ~6,000 childless slots)."""
    load_lexicon()
    monkeypatch.setattr(lexicon, "_CACHE", {})
    lex = load_lexicon()
    empties = _leaf_children(lex._strict_trie)
    assert len(empties) > 5_000
    assert len({id(d) for d in empties}) == 1
    # the trie with the ambiguous forms shares the rest of it (its own nodes are copies)
    shared = sum(d is empties[0] for d in _leaf_children(lex.trie))
    assert shared > 0.95 * len(empties)


def _shape(node: list) -> tuple:
    """What a reader of the trie can tell of ``node``: its children (by identity) under
    their words, in order, and its output, each term with its words if it is begun."""
    return (tuple((k, id(c)) for k, c in node[lexicon.LOWER].items()),
            tuple((k, id(c)) for k, c in node[lexicon.CASED].items()),
            None if node[lexicon.OUTPUT] is None else
            tuple((t, getattr(t, "words", None)) for t in node[lexicon.OUTPUT]))


def test_the_frozen_trie_s_alike_nodes_are_one_node_compiled_and_read(cache: Path, monkeypatch):
    """The ~9,400 forms end in ~1,500 different outputs: a frozen trie, only ever read, makes
    nodes that are alike (same children, same output) one node, and the cache reads ~4,700
    nodes where it read ~13,200 (callgrind, its two tries: ~23M -> ~14M instructions)."""
    for lex in (load_lexicon(), _reloaded(monkeypatch)):
        nodes = _nodes(lex._strict_trie)
        alike: dict[tuple, list] = {}
        for node in nodes:
            alike.setdefault(_shape(node), []).append(node)
        # no two nodes alike, but for the few copies that keep ALL-CAPS keys apart (see
        # the next test), which share their children and output
        twins = [same for same in alike.values() if len(same) > 1]
        assert len(twins) < 20 and all(
            all(a is b for a, b in zip(same[0], other, strict=True))
            for same in twins for other in same)
        leaves = [n for n in nodes if not n[lexicon.LOWER] and not n[lexicon.CASED]]
        outputs = [n[lexicon.OUTPUT] for n in nodes if n[lexicon.OUTPUT] is not None]
        assert len({id(o) for o in outputs}) == len({_shape([{}, {}, o]) for o in outputs})
        assert len(nodes) < 6_000 and len(leaves) < 2_000
        assert sum(len(e.forms) for e in lex.entries) > 6_000


def _reloaded(monkeypatch) -> lexicon.Lexicon:
    """The built-in lexicon as a new process reads it: from the cache."""
    monkeypatch.setattr(lexicon, "_CACHE", {})
    compiles = _compiles(monkeypatch)
    lex = load_lexicon()
    assert compiles == []
    return lex


def test_a_shared_node_reads_every_form_that_passes_through_it(cache: Path):
    """Sharing changes no reading: "Lib Dems" and "Liberal Democrats" end alike, in one node,
    and each still reads as the party; so do the plurals and respellings of other forms."""
    lex = load_lexicon()
    lower = lex._strict_trie[lexicon.LOWER]
    ends = [lower["lib"][lexicon.LOWER]["dems"], lower["liberal"][lexicon.LOWER]["democrats"]]
    assert ends[0] is ends[1] and ends[0][lexicon.OUTPUT] == ("lib_dem",)
    analyzer = political_analyzer(lex)
    terms = [t.text for t in analyzer("Lib Dems, Liberal Democrats, the Lib Dem conference",
                                      mode="index")]
    assert terms == ["lib_dem", "lib", "dem", "lib_dem", "liber", "democrat",
                     "lib_dem_conference", "lib_dem", "party_conference", "lib", "dem", "confer"]


def _unshared(node: list) -> list:
    """A trie frozen without making alike nodes one (outputs as tuples, nothing else)."""
    for slot in (lexicon.LOWER, lexicon.CASED):
        for child in node[slot].values():
            _unshared(child)
    if isinstance(node[lexicon.OUTPUT], list):
        node[lexicon.OUTPUT] = tuple(node[lexicon.OUTPUT])
    return node


def _valued(node):
    """A trie as values: what a reader gets from it, whichever nodes are one object."""
    return ([{k: _valued(c) for k, c in node[slot].items()}
             for slot in (lexicon.LOWER, lexicon.CASED)],
            None if node[lexicon.OUTPUT] is None else
            tuple((t, getattr(t, "words", None)) for t in node[lexicon.OUTPUT]))


def _capitals_sharing(node, found=None) -> list[bool]:
    """For each case-sensitive key with an ALL-CAPS key beside it: do they share a node?"""
    found = [] if found is None else found
    cased = node[lexicon.CASED]
    for key, child in cased.items():
        if key.upper() != key and key.upper() in cased:
            found.append(cased[key.upper()] is child)
    for slot in (lexicon.LOWER, lexicon.CASED):
        for child in node[slot].values():
            _capitals_sharing(child, found)
    return found


def test_alike_nodes_made_one_change_no_reading_of_the_trie_nor_of_a_resolved_one(
    cache: Path, monkeypatch
):
    """The lexicon compiled with alike nodes one and without reads the same, value for value,
    with the ambiguous forms, resolved for none, some or all of them; and an ALL-CAPS key
    shares a word's node exactly where it did (``with_paths`` follows the capitals only
    there: "ALEVEL" shares "Alevel"'s node, not "ALevel"'s, though those are alike)."""
    files = lexicon._builtin_files()
    shared = lexicon._compile(files, "x", ())
    monkeypatch.setattr(lexicon_compile, "_freeze", _unshared)
    plain = lexicon._compile(files, "x", ())
    assert _valued(shared._strict_trie) == _valued(plain._strict_trie)
    assert _valued(shared.trie) == _valued(plain.trie)
    assert _capitals_sharing(shared._strict_trie) == _capitals_sharing(plain._strict_trie)
    assert not all(_capitals_sharing(plain._strict_trie))  # (some capitals have their own)
    ambiguous = sorted(shared.context)
    for confirmed in ([], ambiguous[::7], ambiguous[1::3], ambiguous):
        assert _valued(shared.resolved(frozenset(confirmed)).trie) == \
            _valued(plain.resolved(frozenset(confirmed)).trie)


def test_resolving_ambiguous_forms_never_writes_into_the_shared_empty_children(cache: Path):
    lex = load_lexicon()
    shared = _leaf_children(lex._strict_trie)[0]
    resolved = lex.resolved(frozenset(lex.context))
    assert shared == {} and lexicon_compile._NO_CHILDREN == {}
    assert resolved.trie != lex._strict_trie  # the confirmed forms were added (to copies)


def test_loading_the_built_in_lexicon_imports_no_zipfile():
    """The built-in files are read from the package's folder, not through
    importlib.resources (which imports zipfile to read them)."""
    code = "from corpus_search.analysis.lexicon import load_lexicon\nload_lexicon()"
    assert loaded_after(code, ["zipfile", "importlib.resources"]) == []


def test_a_lexicon_read_compiled_imports_neither_the_parser_nor_the_compiler(cache: Path):
    """Only a lexicon the cache does not hold is parsed and compiled: a search that reads it
    compiled imports neither module."""
    code = "from corpus_search.analysis.lexicon import load_lexicon\nload_lexicon()"
    watch = ["corpus_search.analysis.lexicon_parse", "corpus_search.analysis.lexicon_compile"]
    assert loaded_after(code, watch) == watch  # the first compiles it, and saves it compiled
    assert loaded_after(code, watch) == []


def test_the_code_digest_covers_every_module_that_compiles_the_lexicon():
    """A lexicon compiled by other code is not read: the key covers the source of each module
    the compiler runs (the cache's own modules apart)."""
    here = Path(compiled_cache.__file__).parent
    code = "import corpus_search.analysis.lexicon, corpus_search.analysis.lexicon_compile"
    loaded = loaded_after(code, [f"corpus_search.analysis.{p.stem}" for p in here.glob("*.py")])
    files = {name.rsplit(".", 1)[1] + ".py" for name in loaded}
    assert files - set(compiled_cache.CODE_MODULES) == {"compiled_cache.py", "cachefiles.py"}


def test_an_edited_user_lexicon_file_is_compiled_afresh(cache: Path, tmp_path: Path, monkeypatch):
    user = tmp_path / "mine.tsv"
    user.write_text("[terms]\nflange_policy\tflange policy\n", encoding="utf-8")
    compiles = _compiles(monkeypatch)
    before = load_lexicon(user)
    user.write_text("[terms]\nwidget_policy\twidget policy\n", encoding="utf-8")
    monkeypatch.setattr(lexicon, "_CACHE", {})
    after = load_lexicon(user)
    assert len(compiles) == 2
    assert before.fingerprint != after.fingerprint
    assert "widget_policy" in after.concepts and "flange_policy" not in after.concepts


def test_another_analyzer_or_lexicon_code_compiles_afresh(cache: Path, monkeypatch):
    compiles = _compiles(monkeypatch)
    load_lexicon()
    monkeypatch.setattr(lexicon, "_CACHE", {})
    monkeypatch.setattr(compiled_cache, "code_digest", lambda paths=None: "another-version")
    monkeypatch.setattr(compiled_cache, "code_stamps", lambda paths=None: "another-version")
    load_lexicon()
    assert len(compiles) == 2


def test_the_code_digest_covers_the_analyzer_version(tmp_path: Path):
    here = Path(compiled_cache.__file__).parent
    copies = []
    for name in compiled_cache.CODE_MODULES:
        copy = tmp_path / name
        copy.write_bytes((here / name).read_bytes())
        copies.append(copy)
    before = compiled_cache.code_digest(copies), compiled_cache.code_stamps(copies)
    analyzer = tmp_path / "analyzer.py"
    text = analyzer.read_text(encoding="utf-8")
    assert 'ANALYZER_VERSION = "' in text
    analyzer.write_text(text.replace('ANALYZER_VERSION = "', 'ANALYZER_VERSION = "x'), "utf-8")
    compiled_cache._code_digest_memo.clear()
    after = compiled_cache.code_digest(copies), compiled_cache.code_stamps(copies)
    assert after[0] != before[0] and after[1] != before[1]


def test_a_damaged_lexicon_cache_is_rebuilt_silently(cache: Path, monkeypatch):
    reference = load_lexicon()
    (cache / "lexicon").write_bytes(b"corpus-search-cache 1 garbage\nnot a pickle")
    monkeypatch.setattr(lexicon, "_CACHE", {})
    compiles = _compiles(monkeypatch)
    again = load_lexicon()
    assert len(compiles) == 1
    _same_lexicon(reference, again)
    monkeypatch.setattr(lexicon, "_CACHE", {})
    load_lexicon()
    assert len(compiles) == 1  # written again, whole


def test_a_pickle_of_something_else_is_not_taken_for_a_lexicon(cache: Path, monkeypatch):
    load_lexicon()
    payload = cachefiles.read_cached("lexicon", _builtin_key())
    assert payload is not None
    cachefiles.write_cached("lexicon", _builtin_key(), b"\x80\x04K\x01.")  # pickle of 1
    monkeypatch.setattr(lexicon, "_CACHE", {})
    compiles = _compiles(monkeypatch)
    load_lexicon()
    assert len(compiles) == 1


def test_entries_the_reader_cannot_make_again_are_not_taken_for_a_lexicon(cache: Path):
    """The entries are saved as plain tuples, with the name of their class: a reader that
    names no class for them, or another one, compiles the lexicon afresh."""
    load_lexicon()
    key = _builtin_key()
    read = compiled_cache.read_compiled(key, (), lexicon.BegunTerm.of, {"entries": lexicon.Entry})
    assert read is not None and type(read["entries"][0]) is lexicon.Entry
    assert read["entries"] == load_lexicon().entries
    assert compiled_cache.read_compiled(key, (), lexicon.BegunTerm.of) is None
    assert compiled_cache.read_compiled(key, (), lexicon.BegunTerm.of, {"entries": tuple}) is None


def _builtin_key() -> str:
    key = compiled_cache.stamped_key(lexicon._DATA, (), ())
    assert key is not None
    return key


def test_an_edited_built_in_lexicon_file_is_compiled_afresh(
    cache: Path, tmp_path: Path, monkeypatch
):
    """The built-in files are known by their sizes and modification times, not read (as
    Python knows a module's source): an edit, which changes its time, makes another key."""
    data = tmp_path / "lexicon"
    shutil.copytree(lexicon._DATA, data)
    monkeypatch.setattr(lexicon, "_DATA", data)
    compiles = _compiles(monkeypatch)
    before = load_lexicon()
    monkeypatch.setattr(lexicon, "_CACHE", {})
    assert load_lexicon().fingerprint == before.fingerprint and len(compiles) == 1
    edited = data / "government.tsv"
    stamp = edited.stat().st_mtime_ns + 10**9
    edited.write_text(edited.read_text(encoding="utf-8") + "\n[terms]\nwidget_policy\twidget "
                      "policy\n", encoding="utf-8")
    os.utime(edited, ns=(stamp, stamp))
    monkeypatch.setattr(lexicon, "_CACHE", {})
    after = load_lexicon()
    assert len(compiles) == 2 and after.fingerprint != before.fingerprint
    assert "widget_policy" in after.concepts


# -- the Snowball stems -----------------------------------------------------------------------


def _snowball(word: str) -> str:
    return stemming._snowball_stemmer()(word)


def test_saved_stems_are_snowballs_and_come_back(cache: Path, monkeypatch):
    monkeypatch.setattr(stemming, "_STEMS", {})
    monkeypatch.setattr(stemming, "_LEARNED", {})
    monkeypatch.setattr(stemming, "_LOADED", True)
    lex = load_lexicon()
    words = ["elections", "generously", "negotiating", "railways"]
    stems = [stemming.stem_word(w, lex) for w in words]
    assert stems == [_snowball(w) for w in words]
    stemming.save_learned_stems()
    saved = stemming._saved_stems()
    assert {w: saved[w] for w in words} == dict(zip(words, stems, strict=True))


def test_stems_saved_for_another_stemmer_are_not_used(cache: Path, monkeypatch):
    monkeypatch.setattr(stemming, "_STEMS", {})
    monkeypatch.setattr(stemming, "_LEARNED", {"elections": "elect"})
    stemming.save_learned_stems()
    assert stemming._saved_stems() == {"elections": "elect"}
    monkeypatch.setattr(stemming, "_stemmer_key", lambda: "another-nltk")
    assert stemming._saved_stems() == {}


def _fresh_stems(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process's stems forgotten, as in a new process."""
    for name, value in (("_STEMS", {}), ("_LEARNED", {}), ("_LOADED", False),
                        ("_TABLE", None), ("_LOOKUPS", 0)):
        monkeypatch.setattr(stemming, name, value)


@given(st.dictionaries(st.text(st.characters(categories=["L"]), min_size=1, max_size=12),
                       st.text(st.characters(categories=["L"]), min_size=1, max_size=12),
                       max_size=40),
       st.text(st.characters(categories=["L"]), max_size=12))
@settings(max_examples=200, deadline=None)
def test_the_saved_stems_table_finds_each_word_it_holds_and_no_other(stems, other):
    table = stemming._SortedStems.of(stemming._SortedStems.payload_of(stems))
    assert table is not None
    assert table.as_dict() == stems
    assert all(table.get(word) == stem for word, stem in stems.items())
    assert table.get(other) == stems.get(other)


def test_a_few_words_are_looked_up_in_the_saved_stems_without_reading_them_all(
        cache: Path, monkeypatch: pytest.MonkeyPatch):
    """A search stems a handful of words: each is looked up in the saved table (sorted, so
    by bisection), and the table is not made into a dictionary of every word; a process that
    stems many (a build) reads it whole after :data:`stemming._LOOKUPS_BEFORE_LOAD`."""
    lex = load_lexicon()
    _fresh_stems(monkeypatch)
    letters = "abcdefghijklmnopqrstuvwxy"
    words = [f"zq{a}{b}{c}" for a in letters for b in letters for c in letters[:4]]
    assert len(words) > stemming._LOOKUPS_BEFORE_LOAD + 2
    saved = {w: w.upper() for w in words}  # (stems no stemmer gives: they come from the file)
    monkeypatch.setattr(stemming, "_LEARNED", dict(saved))
    stemming.save_learned_stems()
    _fresh_stems(monkeypatch)
    assert [stemming.stem_word(w, lex) for w in ("zqahb", "zqtyd")] == ["ZQAHB", "ZQTYD"]
    assert stemming._STEMS == {"zqahb": "ZQAHB", "zqtyd": "ZQTYD"}
    assert not stemming._LOADED
    assert [stemming.stem_word(w, lex) for w in words] == [w.upper() for w in words]
    assert stemming._LOADED and saved == stemming._STEMS


def test_a_stem_known_before_the_saved_ones_are_read_whole_is_kept(
        cache: Path, monkeypatch: pytest.MonkeyPatch):
    """Reading the saved stems whole adds them to those this process knows already (learned,
    or sent by a writer process): a known stem is never replaced by the file's."""
    _fresh_stems(monkeypatch)
    monkeypatch.setattr(stemming, "_LEARNED", {"zqaa": "SAVED", "zqbb": "ZQBB"})
    stemming.save_learned_stems()
    _fresh_stems(monkeypatch)
    monkeypatch.setattr(stemming, "_STEMS", {"zqaa": "KNOWN", "zqcc": "ZQCC"})
    stemming._load_all()
    assert stemming._STEMS == {"zqaa": "KNOWN", "zqbb": "ZQBB", "zqcc": "ZQCC"}


def test_stems_saved_by_an_earlier_release_are_read_once_into_the_new_file(
        cache: Path, monkeypatch: pytest.MonkeyPatch):
    """The file of earlier releases (every word, then every stem) is not lost on upgrade:
    the first process that wants a stem writes it in the new form, and no word of it is
    stemmed afresh."""
    _fresh_stems(monkeypatch)
    key = stemming._stemmer_key()
    assert key is not None
    assert cachefiles.write_cached("snowball-stems", key, b"elections\nrailways\0elect\nrailway")
    monkeypatch.setattr(stemming, "_snowball_stemmer", lambda: pytest.fail("NLTK not needed"))
    assert stemming._snowball("railways") == "railway"
    assert cachefiles.read_cached("snowball-stems-sorted", key) is not None
    assert stemming._saved_stems() == {"elections": "elect", "railways": "railway"}


def test_a_search_of_indexed_words_does_not_import_nltk(tmp_path: Path, small_corpus: Path):
    """The build saves the stems it computed (in its writer processes too); a later search
    process reads them instead of importing NLTK, and finds the same documents. A query of
    two words also stems their closed-up form ("hospitalrailways": is it an indexed compound?),
    which no document holds: the first such search imports NLTK and saves the stem."""
    env = dict(os.environ, CORPUS_SEARCH_CACHE=str(tmp_path / "cache"))
    code = (
        "import json, sys\n"
        "from corpus_search import CorpusIndex\n"
        "ix = CorpusIndex(sys.argv[1])\n"
        "if sys.argv[2] == 'build':\n"
        "    ix.index_directory(sys.argv[3], procs=2)\n"
        "else:\n"
        "    ids = [h.id for h in ix.search(sys.argv[3]).hits]\n"
        "    print(json.dumps([ids, 'nltk' in sys.modules]))\n"
        "ix.close()\n"
    )

    def search(query: str, cache_env: dict[str, str] = env) -> tuple[list[str], bool]:
        out = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / "ix"), "search", query],
            env=cache_env, capture_output=True, text=True, check=True,
        ).stdout
        ids, nltk_loaded = json.loads(out)
        return ids, nltk_loaded

    subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "ix"), "build", str(small_corpus)],
        env=env, capture_output=True, text=True, check=True,
    )
    ids, nltk_loaded = search("railways")
    assert ids and not nltk_loaded
    assert search("hospital railways")[1] is True
    again = search("hospital railways")
    assert again[1] is False
    no_cache = dict(os.environ, CORPUS_SEARCH_CACHE="")
    assert search("railways", no_cache) == (ids, True)
    assert search("hospital railways", no_cache) == (again[0], True)
