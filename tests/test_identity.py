"""Identity and the user's index: document ids across folders, the demo index of the bundled
seeds, and several indexes searched as one (docs/ingest.md "Ids", docs/user-guide.md)."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, SEEDS, SMALL_CORPUS, corpus_search_command, write_corpus
from corpus_search import (
    CorpusIndex,
    IndexVersionError,
    MultiIndex,
    QueryError,
    Ranking,
    open_indexes,
    rebuild_index,
)
from corpus_search.index import open_demo_index
from corpus_search.indexing import FolderNaming, folder_naming
from corpus_search.search.execute import search
from corpus_search.store.generations import default_index_path, demo_index_path

FIXTURE_ARTICLES = REPO / "tests" / "fixtures" / "articles"


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*corpus_search_command(), *args], env=env, capture_output=True, text=True,
        timeout=180, stdin=subprocess.DEVNULL,
    )


def ids_of(ix: CorpusIndex | MultiIndex) -> dict[str, str]:
    """Every document of the index: id -> title."""
    return {hit.id: hit.title for hit in ix.list_documents(limit=1000).hits}


@pytest.fixture
def two_collections(tmp_path: Path) -> tuple[Path, Path]:
    """Two folders holding the same relative file names with different articles."""
    a = write_corpus(tmp_path / "collA", {
        "x.txt": "Alpha on Labour\n\nLabour held the seat at the by-election.\n",
        "news/y.txt": "Alpha on Wales\n\nPlaid Cymru made gains in Wales.\n",
    })
    b = write_corpus(tmp_path / "collB", {
        "x.txt": "Beta on the Tories\n\nThe Conservatives lost the by-election.\n",
        "news/y.txt": "Beta on Kent\n\nThe Liberal Democrats campaigned in Kent.\n",
        "z.txt": "Beta only\n\nA story only collB tells, about the Commons.\n",
    })
    return a, b


# -- ids of documents from several folders --------------------------------------------------


def test_two_folders_with_the_same_file_names_keep_every_document_under_distinct_ids(
    tmp_path: Path, two_collections: tuple[Path, Path]
):
    a, b = two_collections
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(a)
        report = ix.index_directory(b)
        assert ids_of(ix) == {
            "x": "Alpha on Labour", "news/y": "Alpha on Wales",
            "collB/x": "Beta on the Tories", "collB/news/y": "Beta on Kent", "z": "Beta only",
        }
        assert any(w.startswith("2 documents would have ids that documents of another "
                                "folder have, so their ids start with this folder's name")
                   and "collB/" in w for w in report.warnings)


def test_one_document_renamed_for_another_folder_s_id_is_told_in_the_singular(
    tmp_path: Path, two_collections: tuple[Path, Path]
):
    # (the report said "1 document(s) would have ids ... their ids start")
    a, b = two_collections
    (b / "news" / "y.txt").unlink()
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(a)
        report = ix.index_directory(b)
    assert [w for w in report.warnings if "another folder" in w] == [
        "1 document would have an id that a document of another folder has, so its id starts "
        "with this folder's name (e.g. collB/x); --id-prefix gives the folder a prefix of "
        "your choice"]


def test_reindexing_one_folder_never_removes_or_renames_the_other_folders_documents(
    tmp_path: Path, two_collections: tuple[Path, Path]
):
    a, b = two_collections
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(a)
        ix.index_directory(b)
        before = ids_of(ix)
        assert ix.index_directory(a).unchanged == 2
        (a / "x.txt").write_text("Alpha on Labour, updated\n\nLabour held it again.\n")
        assert ix.index_directory(a).updated == 1
        (b / "x.txt").write_text("Beta on the Tories, updated\n\nThey lost again.\n")
        assert ix.index_directory(b).updated == 1
        after = ids_of(ix)
        assert set(after) == set(before)
        assert after["x"] == "Alpha on Labour, updated"
        assert after["collB/x"] == "Beta on the Tories, updated"


def test_a_folder_indexed_first_keeps_the_bare_ids_whichever_folder_that_is(
    tmp_path: Path, two_collections: tuple[Path, Path]
):
    a, b = two_collections
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(b)
        ix.index_directory(a)
        ids = ids_of(ix)
    assert ids["x"] == "Beta on the Tories" and ids["collA/x"] == "Alpha on Labour"


def test_a_document_keeps_its_id_when_the_document_it_collided_with_is_gone(
    tmp_path: Path, two_collections: tuple[Path, Path]
):
    a, b = two_collections
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(a)
        ix.index_directory(b)
        (a / "x.txt").unlink()
        assert ix.index_directory(a).deleted == 1
        (b / "x.txt").write_text("Beta on the Tories, updated\n\nStill the same id.\n")
        ix.index_directory(b)
        assert ids_of(ix)["collB/x"] == "Beta on the Tories, updated"
        assert "x" not in ids_of(ix)


@pytest.mark.parametrize("order", ["as indexed", "reversed"])
def test_a_rebuild_keeps_every_documents_id_in_whichever_order_the_folders_are_given(
    tmp_path: Path, two_collections: tuple[Path, Path], order: str
):
    a, b = two_collections
    index = tmp_path / "ix"
    with CorpusIndex(index) as ix:
        ix.index_directory(a)
        ix.index_directory(b)
        before = ids_of(ix)
    rebuild_index(index, [a, b] if order == "as indexed" else [b, a])
    with CorpusIndex.open(index) as ix:
        assert ids_of(ix) == before


def test_a_rebuild_of_two_new_colliding_folders_keeps_both(
    tmp_path: Path, two_collections: tuple[Path, Path]
):
    a, b = two_collections
    reports = rebuild_index(tmp_path / "ix", [a, b])
    assert [r.documents for r in reports] == [2, 3]
    with CorpusIndex.open(tmp_path / "ix") as ix:
        assert len(ix) == 5 and "collB/x" in ids_of(ix)


def test_records_with_the_same_id_in_two_folders_are_both_kept(tmp_path: Path):
    a = write_corpus(tmp_path / "speeches", {
        "s.jsonl": json.dumps({"id": "speech-1", "title": "Budget speech", "body": "Taxes."})})
    b = write_corpus(tmp_path / "archive", {
        "t.jsonl": json.dumps({"id": "speech-1", "title": "Old speech", "body": "Rates."})})
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(a)
        ix.index_directory(b)
        assert ids_of(ix) == {"speech-1": "Budget speech", "archive/speech-1": "Old speech"}
        assert ix.get("archive/speech-1").body == "Rates."


def test_stats_count_each_folders_files_even_when_their_names_are_the_same(
    tmp_path: Path, two_collections: tuple[Path, Path]
):
    a, b = two_collections
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(a)
        ix.index_directory(b)
        stats = ix.stats()
    assert (stats.documents, stats.files) == (5, 5)
    assert stats.folders == {
        str(a.resolve()): {"documents": 2, "files": 2},
        str(b.resolve()): {"documents": 3, "files": 3},
    }


def test_the_documented_ids_of_the_evaluation_collection_come_out_of_a_folder_and_the_seeds(
    tmp_path: Path,
):
    """``politics/001`` for a folder laid out like the BBC corpus, ``seeds/<stem>`` for the
    seeds indexed with --id-prefix seeds/ (shared/eval/README.md)."""
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(FIXTURE_ARTICLES)
        ix.index_directory(SEEDS, id_prefix="seeds/")
        ids = set(ids_of(ix))
    assert "politics/001" in ids and "seeds/001_15000ecfd68f1c3a" in ids
    assert not any(i.startswith(("articles/", "seeds/seeds/")) for i in ids)


FILE_NAMES = st.sampled_from(["a.txt", "b.txt", "news/a.txt", "news/c.md"])


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    folders=st.lists(st.sets(FILE_NAMES, min_size=1), min_size=2, max_size=3),
    order=st.randoms(use_true_random=False),
)
def test_however_folders_overlap_and_in_whatever_order_they_are_indexed_every_file_stays(
    tmp_path_factory: pytest.TempPathFactory, folders: list[set[str]], order
):
    """Every file of every folder is a document with an id of its own, and indexing any folder
    again renames nothing."""
    root = tmp_path_factory.mktemp("overlap")
    paths = []
    for n, names in enumerate(folders):
        paths.append(write_corpus(root / f"f{n}", {
            name: f"Folder {n} {name}\n\nText of {name} in folder {n}.\n" for name in names}))
    with CorpusIndex(root / "ix") as ix:
        sequence = list(paths)
        order.shuffle(sequence)
        for folder in sequence:
            ix.index_directory(folder)
        ids = ids_of(ix)
        assert len(ix) == sum(len(names) for names in folders) == len(ids)
        assert sorted(ids.values()) == sorted(
            f"Folder {n} {name}" for n, names in enumerate(folders) for name in names)
        for folder in paths:
            ix.index_directory(folder)
        assert ids_of(ix) == ids
        assert ix.stats().files == len(ids)


# -- the id prefix of a folder ---------------------------------------------------------------


def test_a_new_id_prefix_renames_the_folders_documents_and_a_missing_one_keeps_it(
    tmp_path: Path, small_corpus: Path
):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(small_corpus)
        report = ix.index_directory(small_corpus, id_prefix="news/")
        # (read again and renamed, but no file changed: re-read, not updated)
        assert (report.reread, report.updated, report.unchanged) == (len(SMALL_CORPUS), 0, 0)
        assert all(i.startswith("news/") for i in ids_of(ix)) and len(ix) == len(SMALL_CORPUS)
        assert ix.index_directory(small_corpus).unchanged == len(SMALL_CORPUS)
        assert "news/labour/plp" in ids_of(ix)
        ix.index_directory(small_corpus, id_prefix="")
        assert "labour/plp" in ids_of(ix) and len(ix) == len(SMALL_CORPUS)


RECORD = {"id_prefix": "news/", "source": "BBC News", "ids": {"news/a": "corpus/news/a"}}


@pytest.mark.parametrize(("id_prefix", "source", "naming"), [
    # nothing given: the record's prefix, publisher and ids
    (None, None, FolderNaming("news/", "BBC News", {"news/a": "corpus/news/a"}, False)),
    # the same given: as recorded
    ("news/", " BBC News ", FolderNaming("news/", "BBC News", {"news/a": "corpus/news/a"}, False)),
    # another prefix: documents named afresh, so no id the record keeps is reserved
    ("", None, FolderNaming("", "BBC News", {}, True)),
    # another publisher, or none (""): the ids stay, the files are read again
    (None, "", FolderNaming("news/", "", {"news/a": "corpus/news/a"}, True)),
])
def test_a_folder_is_read_with_the_prefix_and_publisher_given_else_those_it_recorded(
    id_prefix: str | None, source: str | None, naming: FolderNaming
):
    assert folder_naming(RECORD, id_prefix, source) == naming
    # a folder not recorded yet: what is given, else nothing
    assert folder_naming({}, id_prefix, source).prefix == (id_prefix or "")


def test_an_incremental_run_and_a_rebuild_keep_the_recorded_prefix_and_publisher(
    tmp_path: Path, small_corpus: Path
):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(small_corpus, id_prefix="news/", source="BBC News")
        assert ix.index_directory(small_corpus).unchanged == len(SMALL_CORPUS)
    rebuild_index(tmp_path / "ix", [small_corpus])
    with CorpusIndex(tmp_path / "ix") as ix:
        assert all(i.startswith("news/") for i in ids_of(ix))
        assert ix.get("news/labour/plp").source == "BBC News"


def test_the_cli_renames_a_folders_documents_when_its_id_prefix_changes(
    tmp_path: Path, small_corpus: Path, cli_env: dict[str, str]
):
    index = str(tmp_path / "ix")
    assert cli("index", str(small_corpus), "--index", index, env=cli_env).returncode == 0
    renamed = cli("index", str(small_corpus), "--index", index, "--id-prefix", "news/",
                  "--json", env=cli_env)
    assert json.loads(renamed.stdout)["reports"][0]["reread"] == len(SMALL_CORPUS)
    assert cli("show", "news/labour/plp", "--index", index, env=cli_env).returncode == 0
    assert cli("show", "labour/plp", "--index", index, env=cli_env).returncode == 2
    again = cli("index", str(small_corpus), "--index", index, "--json", env=cli_env)
    assert json.loads(again.stdout)["reports"][0]["unchanged"] == len(SMALL_CORPUS)


def test_the_cli_keeps_both_folders_and_stats_counts_their_files(
    tmp_path: Path, two_collections: tuple[Path, Path], cli_env: dict[str, str]
):
    a, b = two_collections
    index = str(tmp_path / "ix")
    for folder in (a, b, a):
        assert cli("index", str(folder), "--index", index, env=cli_env).returncode == 0
    stats = json.loads(cli("stats", "--index", index, "--json", env=cli_env).stdout)
    assert (stats["documents"], stats["files"]) == (5, 5)
    text = cli("stats", "--index", index, env=cli_env).stdout
    assert "(3 documents from 3 files)" in text
    shown = cli("show", "collB/x", "--index", index, "--json", env=cli_env)
    assert json.loads(shown.stdout)["title"] == "Beta on the Tories"


# -- the demo index of the bundled seeds -----------------------------------------------------


def test_a_first_search_uses_a_demo_index_and_indexing_a_folder_builds_your_own_without_seeds(
    tmp_path: Path, small_corpus: Path, cli_env: dict[str, str]
):
    data = Path(cli_env["XDG_DATA_HOME"]) / "corpus-search"
    first = cli("search", "by-election", env=cli_env)
    assert first.returncode == 0, first.stderr
    assert "Independent Group" in first.stdout  # a seed article
    assert "demo index" in first.stderr and "corpus-search index FOLDER" in first.stderr
    assert (data / "demo-index").is_dir() and not (data / "index").exists()
    assert "demo index" in cli("list", "--json", env=cli_env).stderr

    assert cli("index", str(small_corpus), env=cli_env).returncode == 0
    stats = json.loads(cli("stats", "--json", env=cli_env).stdout)
    assert stats["path"] == str(data / "index")
    assert stats["roots"] == [str(small_corpus.resolve())] and stats["notes"] == []
    mine = cli("search", "by-election", "--json", env=cli_env)
    assert "demo index" not in mine.stderr
    assert [h["id"] for h in json.loads(mine.stdout)["hits"]] == ["libdems/brent"]


def test_the_demo_index_is_a_library_call_and_holds_only_the_seeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    told: list[str] = []
    with open_demo_index(told.append) as demo:
        assert demo.is_demo and demo.path == demo_index_path()
        assert demo.path != default_index_path()
        assert len(demo) == 5 and demo.search("by-election").total
    assert len(told) == 1 and "bundled seed articles" in told[0]
    with open_demo_index(told.append):
        assert len(told) == 1  # built once


def test_a_demo_index_built_from_seeds_elsewhere_says_where_and_is_rebuilt_from_these(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    elsewhere = tmp_path / "old-install" / "seeds"
    shutil.copytree(SEEDS, elsewhere)
    rebuild_index(demo_index_path(), [elsewhere], id_prefix="")
    told: list[str] = []
    with open_demo_index(told.append) as demo:
        assert len(demo) == 5
    (why,) = told
    assert str(elsewhere.resolve()) in why and "rebuilding it from" in why
    assert "other articles" not in why


def test_an_index_holding_the_seeds_beside_your_folders_says_so_and_how_to_drop_them(
    tmp_path: Path, small_corpus: Path, cli_env: dict[str, str]
):
    index = tmp_path / "ix"
    with CorpusIndex(index) as ix:
        ix.index_directory(SEEDS)
        ix.index_directory(small_corpus)
        (note,) = ix.stats().notes
    assert "bundled seed articles" in note
    assert note.endswith(f"rebuild it without them: rebuild_index({str(index)!r}, "
                         f"{[str(small_corpus.resolve())]!r})")
    text = cli("stats", "--index", str(index), env=cli_env).stdout
    assert "bundled seed articles" in " ".join(text.split())
    command = note.cli_message.split("rebuild it without them: ", 1)[1]
    assert command in " ".join(text.split())
    argv = shlex.split(command)
    result = cli(*argv[1:], env=cli_env)
    assert result.returncode == 0, result.stderr
    with CorpusIndex.open(index) as ix:
        stats = ix.stats()
        assert stats.roots == [str(small_corpus.resolve())] and stats.notes == []
        assert stats.documents == len(SMALL_CORPUS)


def test_an_index_of_the_seeds_alone_has_no_such_note(seeds_index: CorpusIndex):
    assert seeds_index.stats().notes == []


# -- several indexes searched as one ---------------------------------------------------------


@pytest.fixture(scope="module")
def split_indexes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The small corpus split over two indexes, and one index holding both halves."""
    root = tmp_path_factory.mktemp("split")
    names = sorted(SMALL_CORPUS)
    first = write_corpus(root / "first", {n: SMALL_CORPUS[n] for n in names[::2]})
    second = write_corpus(root / "second", {n: SMALL_CORPUS[n] for n in names[1::2]})
    for index, folders in (("one", [first]), ("two", [second]), ("both", [first, second])):
        with CorpusIndex(root / index) as ix:
            for folder in folders:
                ix.index_directory(folder)
    return root / "one", root / "two", root / "both"


@pytest.mark.parametrize("query", [
    "Labour", "Commons", "Lib Dems by-election", '"waiting lists"', "hospital OR transport",
    "labour market", "Tories", "tax*",
])
def test_two_indexes_searched_together_rank_as_one_index_holding_both(
    split_indexes: tuple[Path, Path, Path], query: str
):
    one, two, both = split_indexes
    with MultiIndex([one, two]) as merged, CorpusIndex.open(both) as single:
        got, want = merged.search(query, limit=20), single.search(query, limit=20)
        assert got.total == want.total and got.facets == want.facets
        assert [h.id for h in got.hits] == [h.id for h in want.hits]
        assert [h.score for h in got.hits] == pytest.approx([h.score for h in want.hits])


@pytest.mark.parametrize("query", ["hospital OR transport", "Labour market"])
def test_two_indexes_searched_together_score_with_the_ranking_asked_for(
    split_indexes: tuple[Path, Path, Path], query: str
):
    one, two, both = split_indexes
    ranking = Ranking(k1=0.4, b=0.95, title_b=0.1, title_boost=9.0, syntax_title_boost=4.0)
    with MultiIndex([one, two]) as merged, CorpusIndex.open(both) as single:
        got = search(merged, query, limit=20, ranking=ranking)
        want = search(single, query, limit=20, ranking=ranking)
        default = search(single, query, limit=20)
        assert [h.score for h in got.hits] == pytest.approx([h.score for h in want.hits])
        assert [h.score for h in want.hits] != pytest.approx([h.score for h in default.hits])
        # Whoosh's own scoring (the fallback for queries the engine does not take) too
        weighting = merged.searcher(ranking).weighting
        assert vars(weighting) == vars(single.searcher(ranking).weighting) == vars(
            ranking.weighting())


def test_browsing_and_fetching_work_across_two_indexes(split_indexes: tuple[Path, Path, Path]):
    one, two, both = split_indexes
    with MultiIndex([one, two]) as merged, CorpusIndex.open(both) as single:
        assert ids_of(merged) == ids_of(single)
        assert len(merged) == len(SMALL_CORPUS)
        assert merged.describe("wales/assembly") == single.describe("wales/assembly")
        assert [h.id for h in merged.similar("economy/jobs").hits]
        filtered = merged.search("*", filters={"party": "Labour", "since": "2005"})
        assert filtered.total == single.search(
            "*", filters={"party": "Labour", "since": "2005"}).total


def test_an_id_held_by_two_indexes_is_shown_with_the_index_name_and_can_be_fetched_so(
    tmp_path: Path, two_collections: tuple[Path, Path]
):
    a, b = two_collections
    for name, folder in (("left", a), ("right", b)):
        with CorpusIndex(tmp_path / name) as ix:
            ix.index_directory(folder)
    with open_indexes([tmp_path / "left", tmp_path / "right"]) as both:
        assert isinstance(both, MultiIndex) and both.labels == ["left", "right"]
        assert ids_of(both) == {
            "left:x": "Alpha on Labour", "left:news/y": "Alpha on Wales",
            "right:x": "Beta on the Tories", "right:news/y": "Beta on Kent", "z": "Beta only",
        }
        assert both.get("right:x").title == "Beta on the Tories"
        assert both.get("z").title == "Beta only"
        assert both.get("nowhere") is None
        with pytest.raises(QueryError, match="left:x, right:x"):
            both.get("x")
        assert [h.id for h in both.search("by-election").hits] == ["left:x", "right:x"] or \
            [h.id for h in both.search("by-election").hits] == ["right:x", "left:x"]
        assert both.similar("left:x").hits


def test_one_index_path_opens_a_plain_index(split_indexes: tuple[Path, Path, Path]):
    one, _two, _both = split_indexes
    with open_indexes([one, one]) as ix:
        assert isinstance(ix, CorpusIndex)


@pytest.mark.parametrize("given", [str, Path])
def test_one_path_given_alone_is_one_index_not_a_sequence_of_paths(
    split_indexes: tuple[Path, Path, Path], given: type
):
    """(MultiIndex("one") read each letter as an index folder and refused "/")"""
    one, _two, _both = split_indexes
    with MultiIndex(given(one)) as merged, CorpusIndex.open(one) as single:
        assert merged.labels == ["one"]
        assert ids_of(merged) == ids_of(single)
    with open_indexes(given(one)) as ix:
        assert isinstance(ix, CorpusIndex) and ix.path == one


def test_indexes_built_with_different_lexicons_are_refused_together(
    tmp_path: Path, small_corpus: Path
):
    lexicon = tmp_path / "terms.tsv"
    lexicon.write_text("blue_lodge\tBlue Lodge\n", encoding="utf-8")
    with CorpusIndex(tmp_path / "plain") as ix:
        ix.index_directory(small_corpus)
    with CorpusIndex(tmp_path / "extended", lexicon=lexicon) as ix:
        ix.index_directory(small_corpus)
    with pytest.raises(IndexVersionError, match="different lexicons"):
        MultiIndex([tmp_path / "plain", tmp_path / "extended"])


@pytest.mark.parametrize("extended_first", [False, True])
def test_the_command_given_for_indexes_of_different_lexicons_makes_them_searchable_together(
    tmp_path: Path, small_corpus: Path, cli_env: dict[str, str], extended_first: bool
):
    lexicon = tmp_path / "terms.tsv"
    lexicon.write_text("blue_lodge\tBlue Lodge\n", encoding="utf-8")
    with CorpusIndex(tmp_path / "plain") as ix:
        ix.index_directory(small_corpus)
    with CorpusIndex(tmp_path / "extended", lexicon=lexicon) as ix:
        ix.index_directory(small_corpus, id_prefix="x/")
    paths = [tmp_path / "plain", tmp_path / "extended"]
    if extended_first:
        paths.reverse()
    with pytest.raises(IndexVersionError) as refused:
        MultiIndex(paths)
    assert "rebuild one with the other's lexicon files: rebuild_index(" in str(refused.value)
    commands = str(refused.value.rebuild_command)
    for command in commands.split(" && "):
        done = cli(*shlex.split(command)[1:], env=cli_env)
        assert done.returncode == 0, done.stderr
    with MultiIndex(paths) as both:
        assert len(both) == 2 * len(SMALL_CORPUS)


def test_the_cli_searches_several_indexes_and_refuses_to_write_to_several(
    split_indexes: tuple[Path, Path, Path], small_corpus: Path, cli_env: dict[str, str]
):
    one, two, _both = split_indexes
    both = ["--index", str(one), "--index", str(two)]
    # (labour, the word in any sense: the party's story and the labour market's)
    found = cli("search", "labour", *both, "--json", env=cli_env)
    assert found.returncode == 0, found.stderr
    ids = {h["id"] for h in json.loads(found.stdout)["hits"]}
    assert "labour/plp" in ids and "economy/jobs" in ids
    listed = cli("list", *both, "--json", env=cli_env)
    assert json.loads(listed.stdout)["total"] == len(SMALL_CORPUS)
    stats = json.loads(cli("stats", *both, "--json", env=cli_env).stdout)
    assert [s["path"] for s in stats] == [str(one), str(two)]
    assert cli("show", "wales/assembly", *both, env=cli_env).returncode == 0
    refused = cli("index", str(small_corpus), *both, env=cli_env)
    assert refused.returncode == 2 and "give --index once" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_the_cli_names_the_qualified_ids_of_an_ambiguous_id_in_one_line(
    tmp_path: Path, two_collections: tuple[Path, Path], cli_env: dict[str, str]
):
    a, b = two_collections
    for name, folder in (("left", a), ("right", b)):
        assert cli("index", str(folder), "--index", str(tmp_path / name),
                   env=cli_env).returncode == 0
    both = ["--index", str(tmp_path / "left"), "--index", str(tmp_path / "right")]
    ambiguous = cli("show", "x", *both, env=cli_env)
    assert ambiguous.returncode == 2
    assert ambiguous.stderr.count("\n") == 1 and "left:x, right:x" in ambiguous.stderr
    shown = cli("show", "right:x", *both, "--json", env=cli_env)
    assert json.loads(shown.stdout)["id"] == "right:x"


def listed(ix: CorpusIndex) -> list[tuple[str, str]]:
    """(id, title) of every document of ``ix``, one pair a document, in id order."""
    return sorted((hit.id, hit.title) for hit in ix.list_documents(limit=1000).hits)


def test_two_files_of_one_folder_never_share_an_id_the_first_keeps_it_and_the_run_says_so(
    tmp_path: Path,
):
    notes = write_corpus(tmp_path / "notes", {
        "a.md": "# Budget notes\n\nThe Chancellor spoke.",
        "a.txt": "Reply notes\n\nThe Tories replied.",
    })
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(notes)
        # not two documents under one id, which show, cite and delete cannot tell apart
        assert listed(ix) == [("a", "Budget notes")]
        assert report.skipped == [("a.txt", "its id 'a' is the id of the document of a.md, "
                                   "another file of this folder: rename one of them")]
        (notes / "a.txt").write_text("Reply notes\n\nThe Tories replied at length.")
        again = ix.index_directory(notes)
        # an edit to the file left out never replaces the document of the one holding the id
        assert listed(ix) == [("a", "Budget notes")]
        assert [why for _, why in again.skipped] == [why for _, why in report.skipped]


def test_a_file_of_records_added_to_a_folder_never_replaces_its_files_documents(
    tmp_path: Path,
):
    folder = write_corpus(tmp_path / "politics", {
        "281.txt": "Kilroy-Silk quits UKIP\n\nThe MEP said he was ashamed.",
        "282.txt": "Tories plan tax cuts\n\nMr Howard said so.",
    })
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
        # an export saved into the folder: its records carry the ids of the folder's files
        (folder / "ukip.csv").write_text("id,title,body\n281,Copy of 281,Exported text.\n"
                                         "900,A new record,Its own text.\n")
        report = ix.index_directory(folder)
        assert listed(ix) == [("281", "Kilroy-Silk quits UKIP"), ("282", "Tories plan tax cuts"),
                              ("900", "A new record")]
        assert ix.get("281").body == "The MEP said he was ashamed."
        assert ("ukip.csv: 1 record skipped: its id is the id of a document of another file "
                "of this folder ('281' of 281.txt): ids must differ within a folder") \
            in report.warnings
