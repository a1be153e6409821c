"""Specification of the corpus-search command, run as a subprocess like a user would."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import SMALL_CORPUS, corpus_search_command, write_corpus


def run(args: list[str], env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*corpus_search_command(), *args], env=env, capture_output=True, text=True,
        timeout=timeout, stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def indexed(tmp_path: Path, small_corpus: Path, cli_env: dict[str, str]) -> Path:
    index = tmp_path / "ix"
    result = run(["index", str(small_corpus), "--index", str(index)], cli_env)
    assert result.returncode == 0, result.stderr
    return index


def test_index_prints_the_report(tmp_path: Path, small_corpus: Path, cli_env):
    result = run(["index", str(small_corpus), "--index", str(tmp_path / "ix")], cli_env)
    assert result.returncode == 0, result.stderr
    assert f"{len(SMALL_CORPUS)} indexed" in result.stdout
    again = run(["index", str(small_corpus), "--index", str(tmp_path / "ix"), "--json"], cli_env)
    assert again.returncode == 0, again.stderr
    data = json.loads(again.stdout)
    assert data["index"] == str(tmp_path / "ix")
    (report,) = data["reports"]
    assert report["root"] == str(small_corpus.resolve())
    assert report["unchanged"] == len(SMALL_CORPUS) and report["indexed"] == 0


def test_index_json_lists_a_file_emptied_since_it_was_indexed(tmp_path: Path, cli_env):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "kept.txt").write_text("Kept\n\nA note on the Commons.\n", encoding="utf-8")
    index = ["--index", str(tmp_path / "ix")]
    assert run(["index", str(folder), *index], cli_env).returncode == 0
    (folder / "kept.txt").write_bytes(b"")
    (report,) = json.loads(run(["index", str(folder), *index, "--json"], cli_env).stdout)["reports"]
    assert report["emptied"] == ["kept.txt"] and report["deleted"] == 0
    assert "delete the file to drop it" in report["skipped"][0]["reason"]


def test_the_report_counts_files_touched_but_unchanged_in_content(
    tmp_path: Path, fresh_corpus: Path, cli_env
):
    index = ["--index", str(tmp_path / "ix")]
    assert run(["index", str(fresh_corpus), *index], cli_env).returncode == 0
    os.utime(fresh_corpus / "economy" / "jobs.txt", ns=(2 * 10**18, 2 * 10**18))
    result = run(["index", str(fresh_corpus), *index], cli_env)
    assert result.returncode == 0, result.stderr
    assert (f"0 updated, {len(SMALL_CORPUS)} unchanged (1 touched, same content), 0 deleted"
            in result.stdout)
    again = json.loads(run(["index", str(fresh_corpus), *index, "--json"], cli_env).stdout)
    assert again["reports"][0]["touched"] == 0


def test_search_prints_ranked_results_and_exits_0(indexed: Path, cli_env):
    result = run(["search", "Lib Dems", "--index", str(indexed)], cli_env)
    assert result.returncode == 0, result.stderr
    assert "Liberal Democrats win Brent East" in result.stdout
    assert "1." in result.stdout


def test_search_with_no_results_exits_1(indexed: Path, cli_env):
    result = run(["search", "zebrafish", "--index", str(indexed)], cli_env)
    assert result.returncode == 1
    assert "No results" in result.stdout


def test_search_json_follows_the_schema(indexed: Path, cli_env):
    result = run(["search", "Commons", "--index", str(indexed), "--json", "--limit", "1",
                  "--party", "Lib Dems"], cli_env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "corpus-search/results/v1"
    assert data["total"] == 1 and data["hits"][0]["id"] == "libdems/brent"
    assert data["facets"]["party"]["Liberal Democrat"] == 1


def _index_of_texts(tmp_path: Path, cli_env, texts: dict[str, str]) -> Path:
    """An index, built with the CLI, of one ``.txt`` file per ``texts`` item."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in texts.items():
        (corpus / f"{name}.txt").write_text(text)
    index = tmp_path / "ix"
    assert run(["index", str(corpus), "--index", str(index)], cli_env).returncode == 0
    return index


@pytest.mark.parametrize(
    ("texts", "query", "said", "other_query", "unsaid"),
    [
        (  # the quoted phrase, then its words apart
            {
                "exact": "Ferry strike\n\nThe ferry strike began at dawn.\n",
                "apart": "Port news\n\nA strike closed the port; no ferry ran.\n",
            },
            '"ferry strike"', "1 of them holds the quoted phrase (or a lexicon form of it); "
            "the rest",
            "ferry strike", "quoted phrase",
        ),
        (  # a lexicon form of the quoted phrase is the phrase: no "as written"
            {
                "form": "Party news\n\nThe Liberal Democrats won the seat.\n",
                "apart": "Lib news\n\nA lib said the Dems won.\n",
            },
            '"Lib Dems"', "1 of them holds the quoted phrase (or a lexicon form of it); the "
            "rest, ranked after them, hold its words apart.",
            "Liberal", "as written",
        ),
        (  # a narrower concept's phrase, its words apart, then its broader concept only
            {
                "exact": "History\n\nNew Labour won.\n",
                "apart": "Posters\n\nLabour showed new posters.\n",
                "party": "News\n\nLabour MPs met.\n",
            },
            '"New Labour"', "1 of them holds the quoted phrase (or a lexicon form of it); the "
            "next 1, ranked after them, holds its words apart.",
            '"Labour MPs"', "the next",
        ),
        (  # a phrase and another word: the rest hold the phrase's words apart or that word
            # (the line said they all held the phrase's words apart: 163 BBC documents for
            # '"interest rates" Bank', 145 of them naming only a bank)
            {
                "exact": "Rates\n\nThe ferry strike began at dawn.\n",
                "apart": "Port news\n\nA strike closed the port; no ferry ran.\n",
                "other": "Port\n\nThe harbour was quiet.\n",
            },
            '"ferry strike" harbour', "1 of them holds the quoted phrase (or a lexicon form of "
            "it); the rest, ranked after them, hold its words apart or only the query's other "
            "words.",
            '"ferry strike"', "other words",
        ),
        (  # the query's words, then only a term the lexicon relates to them (Blair)
            {
                "camp": "Labour\n\nThe Blairites met in the Commons.\n",
                "leader": "Labour\n\nTony Blair spoke in the Commons.\n",
            },
            "Blairites",
            "1 of them holds the query's words or their forms; the other 1 only a term",
            "Commons", "the lexicon relates",
        ),
    ],
)
def test_search_says_how_many_results_hold_the_query_as_written(
    tmp_path: Path, cli_env, texts: dict[str, str], query: str, said: str, other_query: str,
    unsaid: str,
):
    index = _index_of_texts(tmp_path, cli_env, texts)
    result = run(["search", query, "--index", str(index)], cli_env)
    assert result.returncode == 0, result.stderr
    assert said in result.stdout
    assert unsaid not in run(["search", other_query, "--index", str(index)], cli_env).stdout


def test_search_date_filters_and_sorting(indexed: Path, cli_env):
    result = run(["search", "Labour OR unemployment OR Wales", "--index", str(indexed),
                  "--since", "2005", "--until", "2005", "--sort", "date", "--json"], cli_env)
    data = json.loads(result.stdout)
    assert [h["id"] for h in data["hits"]] == ["economy/jobs", "wales/assembly"]
    newest = run(["search", "Labour OR unemployment OR Wales", "--index", str(indexed),
                  "--since", "2005", "--sort", "date", "--json"], cli_env)
    assert json.loads(newest.stdout)["hits"][0]["id"] == "labour/plp"


def test_usage_and_input_errors_exit_2(indexed: Path, tmp_path: Path, cli_env):
    assert run(["search", "", "--index", str(indexed)], cli_env).returncode == 2
    bad_date = run(["search", "Labour", "--index", str(indexed), "--since", "soon"], cli_env)
    assert bad_date.returncode == 2 and "date" in bad_date.stderr
    missing = run(["search", "Labour", "--index", str(tmp_path / "nope")], cli_env)
    assert missing.returncode == 2 and "No corpus_search index" in missing.stderr
    assert "Traceback" not in missing.stderr
    assert run(["search"], cli_env).returncode == 2
    assert run(["index", str(tmp_path / "no-such-folder"), "--index", str(indexed)],
               cli_env).returncode == 2


def test_show_prints_a_document(indexed: Path, cli_env):
    result = run(["show", "labour/plp", "--index", str(indexed)], cli_env)
    assert result.returncode == 0
    assert "Parliamentary Labour Party" in result.stdout
    data = json.loads(run(["show", "labour/plp", "--index", str(indexed), "--json"],
                          cli_env).stdout)
    assert data["id"] == "labour/plp"
    assert run(["show", "no/such", "--index", str(indexed)], cli_env).returncode == 2


def test_show_reads_the_document_s_body_once(indexed: Path, monkeypatch: pytest.MonkeyPatch):
    """show prints the document and a note if its file changed since: the note needs the
    file's path and signature, not the body again (read from its own compressed column)."""
    from click.testing import CliRunner

    from corpus_search.cli import cli
    from corpus_search.search import readable

    read: list[int] = []
    original = readable.document_body
    monkeypatch.setattr(readable, "document_body",
                        lambda searcher, docnum: read.append(docnum) or original(searcher, docnum))
    result = CliRunner().invoke(cli, ["show", "labour/plp", "--index", str(indexed)])
    assert result.exit_code == 0 and "Parliamentary Labour Party" in result.output
    assert len(read) == 1


def test_show_cite_prints_the_reference_and_with_at_a_concordance_place_s_paragraph_quoted(
        indexed: Path, small_corpus: Path, cli_env):
    ref = run(["show", "labour/plp", "--cite", "--index", str(indexed)], cli_env)
    assert ref.returncode == 0, ref.stderr
    assert ref.stdout.startswith('"') and ref.stdout.count("\n") == 1
    # (the file under its folder's name: the full path put the user's home into quotations)
    assert ref.stdout.endswith(f"[id labour/plp; file {small_corpus.name}/labour/plp.txt]\n")
    place = json.loads(run(["concordance", "PLP", "--json", "--index", str(indexed)],
                           cli_env).stdout)["lines"][0]
    quoted = run(["show", place["id"], "--cite", "--at", str(place["start"]), "--index",
                  str(indexed)], cli_env)
    assert quoted.returncode == 0, quoted.stderr
    passage, reference = quoted.stdout.rstrip("\n").split("\n")
    assert passage.startswith("\u201c") and "Parliamentary Labour Party" in passage
    assert reference == f"\u2014 {ref.stdout.strip()}"
    data = json.loads(run(["show", place["id"], "--cite", "--at", str(place["start"]),
                           "--json", "--index", str(indexed)], cli_env).stdout)
    assert data["start"] <= place["start"] < data["end"]
    assert data["text"] == quoted.stdout.rstrip("\n")


@pytest.mark.parametrize("args", [
    ["no/such", "--cite"],
    ["labour/plp", "--cite", "--at", "999999"],
    ["labour/plp", "--cite", "--at", "many"],
    ["labour/plp", "--at", "3"],
    ["labour/plp", "--cite", "--mark", "PLP"],
])
def test_show_cite_of_an_unknown_id_or_a_place_in_no_paragraph_is_a_one_line_error(
        indexed: Path, cli_env, args):
    result = run(["show", *args, "--index", str(indexed)], cli_env)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1


def test_show_mark_prints_the_places_of_a_query_in_bold_yellow_on_a_terminal(
    indexed: Path, cli_env
):
    env = {**cli_env, "FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "400"}
    env.pop("NO_COLOR", None)
    result = run(["show", "labour/plp", "--mark", "PLP", "--index", str(indexed)], env)
    assert result.returncode == 0, result.stderr
    assert "\x1b[1;33mParliamentary Labour Party\x1b[0m" in result.stdout
    assert "1 place of \x1b[0m\x1b[1mPLP" in result.stderr


def test_show_mark_leaves_piped_text_as_it_is_and_gives_the_places_in_json(indexed: Path,
                                                                          cli_env):
    plain = run(["show", "labour/plp", "--index", str(indexed)], cli_env)
    marked = run(["show", "labour/plp", "--mark", "PLP", "--index", str(indexed)], cli_env)
    assert marked.stdout == plain.stdout and "1 place of PLP marked" in marked.stderr
    data = json.loads(run(["show", "labour/plp", "--mark", "PLP", "--json", "--index",
                           str(indexed)], cli_env).stdout)
    assert [data["body"][start:end] for start, end in data["places"]] == [
        "Parliamentary Labour Party"]
    absent = run(["show", "labour/plp", "--mark", "Chelsea", "--index", str(indexed)], cli_env)
    assert absent.returncode == 0 and "No place of Chelsea marked" in absent.stderr


def test_show_mark_of_a_misspelt_query_says_what_search_would_read_and_what_no_document_holds(
        indexed: Path, cli_env):
    result = run(["show", "labour/plp", "--mark", "Parliamentary Labour Prty", "--index",
                  str(indexed)], cli_env)
    assert result.returncode == 0
    assert result.stderr.splitlines()[1:] == [
        "Did you mean: --mark 'Parliamentary Labour Party'?", "Not found in any document: Prty"]


def test_show_mark_of_a_query_that_only_excludes_is_concordance_s_one_line_error(
        indexed: Path, cli_env):
    result = run(["show", "labour/plp", "--mark", "NOT Labour", "--index", str(indexed)],
                 cli_env)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("error: Marking needs words to mark: 'NOT Labour' only leaves "
                             "documents out. Add the words whose places to mark (e.g. 'Blair "
                             "NOT Labour').\n")


def test_stats_summarise_the_index(indexed: Path, cli_env):
    data = json.loads(run(["stats", "--index", str(indexed), "--json"], cli_env).stdout)
    assert data["documents"] == len(SMALL_CORPUS)
    assert "Labour" in run(["stats", "--index", str(indexed)], cli_env).stdout


def test_stats_name_the_lexicon_files_the_index_was_built_with(
    tmp_path: Path, small_corpus: Path, indexed: Path, cli_env
):
    # (stats showed the lexicon's fingerprint only: a researcher could not tell which of
    # their vocabulary files an index reads its searches with)
    terms = tmp_path / "terms.tsv"
    terms.write_text("low_traffic_neighbourhood\tlow traffic neighbourhood | =LTN\n",
                     encoding="utf-8")
    index = tmp_path / "with-terms"
    built = run(["index", str(small_corpus), "--index", str(index), "--lexicon", str(terms)],
                cli_env)
    assert built.returncode == 0, built.stderr
    shown = run(["stats", "--index", str(index)], cli_env)
    assert f"  lexicon file: {terms}\n" in shown.stdout
    data = json.loads(run(["stats", "--index", str(index), "--json"], cli_env).stdout)
    assert data["lexicon_files"] == [str(terms)]
    plain = run(["stats", "--index", str(indexed)], cli_env)
    assert "lexicon file" not in plain.stdout
    assert json.loads(run(["stats", "--index", str(indexed), "--json"], cli_env).stdout)[
        "lexicon_files"] == []


def test_similar_lists_related_documents_and_exits_0(indexed: Path, cli_env):
    result = run(["similar", "economy/jobs", "--index", str(indexed), "--json"], cli_env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    found = [h["id"] for h in data["hits"]]
    assert found and "economy/jobs" not in found
    assert data["total"] == len(found)
    text = run(["similar", "economy/jobs", "--index", str(indexed)], cli_env)
    assert text.returncode == 0 and "1." in text.stdout


def test_similar_with_nothing_alike_exits_1(indexed: Path, cli_env):
    # the markup article shares no key term with any other document
    result = run(["similar", "misc/markup", "--index", str(indexed), "--json"], cli_env)
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["hits"] == []
    text = run(["similar", "misc/markup", "--index", str(indexed)], cli_env)
    assert text.returncode == 1 and "No results" in text.stdout


def test_analyze_shows_tokens_including_expansions(cli_env):
    result = run(["analyze", "The PLP met the Lib Dems", "--json"], cli_env)
    assert result.returncode == 0, result.stderr
    tokens = json.loads(result.stdout)["tokens"]
    assert any(t["expansion"] for t in tokens)
    assert {"pos", "text", "source", "start", "end", "expansion"} <= set(tokens[0])
    table = run(["analyze", "Corbyn's by-election"], cli_env)
    assert "corbyn" in table.stdout


def test_analyze_reads_text_with_the_lexicon_files_the_index_searched_was_built_with(
    tmp_path: Path, small_corpus: Path, cli_env
):
    terms = tmp_path / "terms.tsv"
    terms.write_text("low_traffic_neighbourhood\tlow traffic neighbourhood | =LTN\n",
                     encoding="utf-8")
    built = run(["index", str(small_corpus), "--lexicon", str(terms)], cli_env)
    assert built.returncode == 0, built.stderr

    def expansions(*args: str) -> list[str]:
        done = run(["analyze", "LTN", "--json", *args], cli_env)
        assert done.returncode == 0, done.stderr
        return [t["text"] for t in json.loads(done.stdout)["tokens"] if t["expansion"]]

    assert expansions() == ["low_traffic_neighbourhood"]  # your index, as search reads it
    plain = tmp_path / "plain-index"
    assert run(["index", str(small_corpus), "--index", str(plain)], cli_env).returncode == 0
    assert expansions("--index", str(plain)) == []
    assert expansions("--index", str(plain), "--lexicon", str(terms)) == [
        "low_traffic_neighbourhood"]
    missing = run(["analyze", "LTN", "--index", str(tmp_path / "nowhere")], cli_env)
    assert missing.returncode == 2 and "No corpus_search index" in missing.stderr


def test_search_without_an_index_builds_one_from_the_seeds(cli_env):
    result = run(["search", "by-election"], cli_env)
    assert result.returncode == 0, result.stderr
    assert "indexing the bundled seed articles" in result.stderr
    second = run(["search", "Corbyn"], cli_env)
    assert second.returncode == 0 and "indexing" not in second.stderr


def test_eval_measures_engines_on_a_small_collection(tmp_path: Path, cli_env):
    fixture = Path(__file__).parent / "fixtures" / "eval"
    report = tmp_path / "relevance.md"
    result = run(["eval", str(fixture / "docs"), str(fixture / "notes"),
                  "--topics", str(fixture / "topics.tsv"), "--qrels", str(fixture / "qrels.txt"),
                  "--engine", "corpus_search", "--engine", "whoosh", "--json",
                  "--report", str(report)], cli_env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data["engines"]) == {"corpus_search", "whoosh"}
    assert 0.0 <= data["overall"]["corpus_search"]["nDCG@10"] <= 1.0
    assert "## Overall" in report.read_text()


def test_the_automatic_seed_index_is_rebuilt_after_an_analyzer_upgrade(cli_env):
    assert run(["search", "Corbyn"], cli_env).returncode == 0
    meta_path = (Path(cli_env["XDG_DATA_HOME"]) / "corpus-search" / "demo-index"
                 / "corpus_search.json")
    meta = json.loads(meta_path.read_text())
    meta["analyzer_version"] = "0-old"
    meta_path.write_text(json.dumps(meta))
    result = run(["search", "Corbyn"], cli_env)
    assert result.returncode == 0, result.stderr
    assert "rebuilding" in result.stderr


def test_a_search_of_the_demo_index_says_so_and_how_to_search_an_index_made_elsewhere(
    tmp_path: Path, cli_env
):
    corpus = write_corpus(tmp_path / "corpus")
    assert run(["index", str(corpus), "--index", str(tmp_path / "ix")], cli_env).returncode == 0
    result = run(["search", "Labour"], cli_env)
    assert result.returncode == 0
    assert result.stderr.splitlines()[-1] == (
        "This is the demo index of the bundled seed articles "
        f"({Path(cli_env['XDG_DATA_HOME']) / 'corpus-search' / 'demo-index'}); corpus-search "
        "index FOLDER builds your own, and an index made with --index PATH is searched with "
        "--index PATH."
    )


def test_an_outdated_index_of_your_own_folders_is_refused_with_the_rebuild_command(
    indexed: Path, cli_env
):
    meta_path = indexed / "corpus_search.json"
    meta = json.loads(meta_path.read_text())
    meta["analyzer_version"] = "0-old"
    meta_path.write_text(json.dumps(meta))
    result = run(["search", "Labour", "--index", str(indexed)], cli_env)
    assert result.returncode == 2
    assert "--rebuild" in result.stderr and "Traceback" not in result.stderr


def test_snippets_keep_the_spaces_around_highlighted_words(indexed: Path, cli_env):
    result = run(["search", "unemployment", "--index", str(indexed)], cli_env)
    assert "as **unemployment** fell" in " ".join(result.stdout.split())


def _printed_by_search_and_show(tmp_path: Path, cli_env, text: str) -> list[str]:
    """What `search budget` and `show a` print of a one-file corpus holding ``text``."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(text, encoding="utf-8")
    index = tmp_path / "ix"
    assert run(["index", str(corpus), "--index", str(index)], cli_env).returncode == 0
    printed = []
    for args in (["search", "budget"], ["show", "a"]):
        result = run([*args, "--index", str(index)], cli_env)
        assert result.returncode == 0, result.stderr
        printed.append(result.stdout)
    return printed


def test_terminal_escape_sequences_in_documents_are_not_printed(tmp_path: Path, cli_env):
    for out in _printed_by_search_and_show(
        tmp_path, cli_env,
        "Budget \x1b]0;pwned\x07 row \x1b[2J\u202e\n\nThe budget \x1b[31mred\x1b[0m row.\n",
    ):
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
        assert "Budget" in out


def test_a_title_with_rich_markup_or_emoji_codes_prints_as_written(tmp_path: Path, cli_env):
    search, show = _printed_by_search_and_show(
        tmp_path, cli_env,
        "Budget :smile: row [bold]loud[/bold]\n\nThe budget :thumbs_up: row went on.\n",
    )
    for out in (search, show):
        assert ":smile:" in out and "[bold]loud[/bold]" in out and "\U0001f604" not in out
    assert ":thumbs_up:" in show


def test_on_a_terminal_matches_are_bold_yellow_and_fragments_joined_by_a_dim_ellipsis(cli_env):
    env = {**cli_env, "FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "400"}
    env.pop("NO_COLOR", None)
    result = run(["search", "by-election"], env)  # the demo index of the bundled seeds
    assert result.returncode == 0, result.stderr
    assert "a \x1b[1;33mby-election\x1b[0m. Gapes" in result.stdout
    assert "\x1b[2m … \x1b[0m" in result.stdout
    assert "**" not in result.stdout  # the pipe's marks are for output without styles
    snippet = next(line for line in result.stdout.splitlines() if "Jas Athwal" in line)
    assert snippet.startswith("   Redbridge Council")  # the ellipsis joins fragments, never leads


def test_on_a_terminal_runs_of_whitespace_in_a_snippet_print_as_one_space(
    tmp_path: Path, cli_env
):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Jobs\n\nThe figures   show\n\tthat unemployment   fell\n   again this spring.\n",
        encoding="utf-8",
    )
    assert run(["index", str(corpus), "--index", str(tmp_path / "ix")], cli_env).returncode == 0
    env = {**cli_env, "FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "400"}
    env.pop("NO_COLOR", None)
    result = run(["search", "unemployment", "--index", str(tmp_path / "ix")], env)
    assert result.returncode == 0, result.stderr
    assert "figures show that \x1b[1;33munemployment\x1b[0m fell again" in result.stdout


def test_on_a_terminal_a_wrapped_snippet_stays_indented_under_its_title(cli_env):
    env = {**cli_env, "FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "60"}
    env.pop("NO_COLOR", None)
    result = run(["search", "by-election"], env)  # the demo index of the bundled seeds
    assert result.returncode == 0, result.stderr
    first = result.stdout.split("\n\n")[1].splitlines()  # the first hit
    assert first[0].startswith("\x1b[1;36m1.")
    snippet = first[2:]  # after the title and the parties
    assert len(snippet) > 2  # wrapped at 60 columns
    assert all(line.startswith("   ") and line[3] != " " for line in snippet)
    assert all(not line.endswith(" ") for line in first)  # nothing after its last word
    assert max(len(re.sub("\x1b\\[[0-9;]*m", "", line)) for line in snippet) <= 60
