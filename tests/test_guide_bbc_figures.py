"""The BBC figures docs/user-guide.md quotes are the figures the code gives: each claim
below is a sentence of the guide (its figure in it) and the query and count behind it. The
guide had drifted from the code ("`labour` counts the 247" where count and search gave 246;
"`liberal` the word (136, "liberation" among them)", 128, and no liberation): a change that
moves a figure now fails here, and the guide is mended with it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpus_search import CorpusIndex

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "user-guide.md"

#: (words of the guide, a query, what the guide says of it: "count", "distinct" (counted with
#: each text once) or "search", the figure)
CLAIMS: list[tuple[str, str, str, int]] = [
    ("(449 of the BBC corpus)", "interest rates", "count", 449),
    ("counts those holding the phrase (69)", '"interest rates"', "count", 69),
    ('(`"tuition fees"`: 17,', "tuition fees", "count", 17),
    ("(`\"Tony Blair\"`: 154", "Tony Blair", "count", 154),
    ("not the 212 naming any Tony or Blair", "Tony Blair", "search", 212),
    ("`Blair` alone counts every Blair, 181", "Blair", "count", 181),
    ("count the 6 and 5 BBC documents", "defense secretary", "count", 6),
    ("count the 6 and 5 BBC documents", "honors list", "count", 5),
    ("`NOT Blair` finds 2,044", "NOT Blair", "search", 2044),
    ("`count Labour` counts 210 documents", "Labour", "count", 210),
    ("`count Conservative` 233", "Conservative", "count", 233),
    ("`labour` counts the 246", "labour", "count", 246),
    ("(149 BBC documents: the 2 on the Liberals", "Liberal", "count", 149),
    ("Liberal Party alone (2)", "Liberals", "count", 2),
    ("`liberal` the word (128)", "liberal", "count", 128),
    ("(`tories`: 233)", "tories", "count", 233),
    ("`Green` (58 BBC documents", "Green", "count", 58),
    ("`Greens` is the party (6)", "Greens", "count", 6),
    ("`Labor` is `Labour` (210)", "Labor", "count", 210),
    ("(`count PM`: 160 BBC documents", "PM", "count", 160),
    ('`"9/11"` finds the 15 BBC articles', '"9/11"', "count", 15),
    ('`"international development"` finds the 13 BBC articles', '"international development"',
     "count", 13),
    ("is the labour market (13)", "Labour market", "count", 13),
    ("109 BBC documents, as the phrase", "Respect the", "count", 109),
    ("109 BBC documents, as the phrase", '"Respect the"', "count", 109),
    ("(`Labour AND unions`: 24 BBC documents", "Labour AND unions", "count", 24),
    ("the 12 and 8 BBC documents `PMQs` and `by-election`", "PMQ*", "search", 12),
    ("the 12 and 8 BBC documents `PMQs` and `by-election`", "PMQs", "search", 12),
    ("the 12 and 8 BBC documents `PMQs` and `by-election`", "by-elec*", "search", 8),
    ("the 12 and 8 BBC documents `PMQs` and `by-election`", "by-election", "search", 8),
    ("`party:Con*` is the Conservatives (233 BBC documents", "party:Con*", "search", 233),
    ("(`party:Labur~` is Labour, 210 BBC documents)", "party:Labur~", "search", 210),
    ("(`party:Labour NHS`: 220 BBC documents naming Labour or the NHS)", "party:Labour NHS",
     "search", 220),
    ("party:Labour AND NHS finds those matching both.*: 16)", "party:Labour AND NHS", "search",
     16),
    ("181 documents match Blair with no filter, but not one that mentions the party Veritas",
     "Blair", "search", 181),
    # (no BBC article prints its publisher: no document has a source)
    ("so its index has no `by source` part at all", "source:*", "search", 0),
    ("any of its words (449), as search finds them", "interest rates", "count", 449),
    ('"interest rates" counts the phrase (69)', '"interest rates"', "count", 69),
    ("interest AND rates all of them (91)", "interest AND rates", "count", 91),
    ("`count '\"home secretary\"'` counts 52 BBC documents", '"home secretary"', "count", 52),
    ("quoted `\"home secretary\"` finds 86 BBC documents", '"home secretary"', "search", 86),
    ("`count NHS` counts 26 BBC documents, 19 writing NHS", "NHS", "count", 26),
    ("counts 2,125 texts, not 2,225 documents", "*", "count", 2225),
    ("counts 2,125 texts, not 2,225 documents", "*", "distinct", 2125),
    ("`count Blair --distinct` 174, not 181", "Blair", "distinct", 174),
    ("`Ms Hewitt` the 26 BBC documents naming Hewitt", "Ms Hewitt", "count", 26),
    ("--match-case May` counts 135 documents", "May", "match_case", 135),
    ("`Hunt` 9 (28: fox hunting)", "Hunt", "match_case", 9),
    ("`Green` 43 (58)", "Green", "match_case", 43),
    ("(a plain count, 470, counts", "May", "count", 470),
    ("after \"interest\", 69 BBC documents", '"interest rat*"', "count", 69),
    ('`"general elect*"` 123 ("general election"', '"general elect*"', "count", 123),
    ('`"asylum seek*"` 12.', '"asylum seek*"', "count", 12),
    ('count of `"prime minist*"` (156) leaves out', '"prime minist*"', "count", 156),
    ("with a note giving the phrase's figure, 3", '"Ms Hewitt"', "count", 3),
]


def _guide() -> str:
    return re.sub(r"\s+", " ", GUIDE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("words", "query", "how", "figure"), CLAIMS,
                         ids=[f"{how} {query}" for _w, query, how, _f in CLAIMS])
def test_the_guide_quotes_the_figure_the_code_gives_on_the_bbc_corpus(
    bbc_index: CorpusIndex, words: str, query: str, how: str, figure: int
):
    assert words in _guide(), f"the guide no longer says {words!r}: mend CLAIMS with it"
    found = (bbc_index.count(query, distinct=how == "distinct", match_case=how == "match_case")
             if how != "search" else bbc_index.search(query)).total
    assert found == figure, f"{how} {query!r} gives {found}; the guide says {figure}"


#: (words of the guide, a query, its --against (and --party) as key_terms takes them, the
#: words the guide lists, first to last)
KEY_TERMS: list[tuple[str, str, dict[str, object], list[str]]] = [
    ("gives Labour, election, party, campaign, manifesto, general election, election campaign;",
     "Labour", {"against": "Tories"},
     ["Labour", "election", "party", "campaign", "manifesto", "general election",
      "election campaign"]),
    ("gives Conservative (the party by any of its names), Michael, Howard, leader, Liberal "
     "Democrat, plans, say.", "Tories", {"against": "Labour"},
     ["Conservative", "Michael", "Howard", "leader", "Liberal Democrat", "plans", "say"]),
    ("(Labour, manifesto, previous, carefully, New Labour)", "Labour NOT Tories",
     {"against": "Tories NOT Labour"},
     ["Labour", "manifesto", "previous", "carefully", "New Labour"]),
    ("concept that tuition fees are, then fees, university, students, free personal care)",
     "tuition fees", {"against": "*", "filters": {"party": "Labour"}},
     ["top-up fees", "fees", "university", "students", "free personal care"]),
    ("`key-terms Chelsea` gives Mourinho, League, Arsenal, Premiership", "Chelsea", {},
     ["Chelsea", "Mourinho", "League", "Arsenal", "Premiership"]),
]


@pytest.mark.parametrize(("words", "query", "options", "listed"), KEY_TERMS,
                         ids=[f"{query} {options}" for _w, query, options, _l in KEY_TERMS])
def test_the_guide_lists_the_key_terms_the_code_gives_on_the_bbc_corpus(
    bbc_index: CorpusIndex, words: str, query: str, options: dict, listed: list[str]
):
    assert words in _guide(), f"the guide no longer says {words!r}: mend KEY_TERMS with it"
    found = [term.word for term in bbc_index.key_terms(query, limit=len(listed), **options)]
    assert found == listed


def test_the_guide_quotes_the_note_a_count_of_may_gives_on_the_bbc_corpus(
    bbc_index: CorpusIndex,
):
    [note] = [note for note in bbc_index.count("May").notes if note.startswith("May:")]
    assert f"*{note}*" in _guide()


def test_the_guide_quotes_the_note_a_count_of_two_words_gives_on_the_bbc_corpus(
    bbc_index: CorpusIndex,
):
    [note] = [note for note in bbc_index.count("interest rates").notes
              if "any of its words" in note]
    assert f"notes *{note}*" in _guide()


@pytest.mark.parametrize("query", ['"home secretary"', "NHS"])
def test_the_guide_quotes_what_a_count_says_of_what_grep_finds_otherwise(
    bbc_index: CorpusIndex, query: str
):
    # (a term only inside another term: "Shadow Home Secretary"; a concept only through a
    # narrower one: foundation hospitals for the NHS)
    notes = [note for note in bbc_index.count(query).notes
             if "only inside another term" in note or "only through a narrower" in note]
    assert notes
    for note in notes:
        shown = note.split(": left out")[0] if "left out" in note else note
        assert f"*{shown}" in _guide(), note


#: (words of the guide, what gives its figure on the BBC index, the figure)
OTHER_TOOLS: list[tuple[str, str, int]] = [
    ("`count --literal '*'` counts 2,225, not the 3", "count --literal *", 2225),
    ("`concordance Blair --distinct` is from 174 documents, not 181",
     "concordance Blair --distinct", 174),
    ("`concordance \"interest rates\"`: 449, 69, 91 on BBC", "concordance interest rates", 449),
    ("174 rows, not 181", "export Blair --distinct", 174),
    ("(BBC: `'*'` 2,125)", "export * --counted --distinct", 2125),
]


def _other_figure(index: CorpusIndex, how: str) -> int:
    if how == "count --literal *":
        return index.count("*", literal=True).total
    if how.startswith("concordance"):
        query = how.removeprefix("concordance ").removesuffix(" --distinct")
        return index.concordance(query, distinct=how.endswith("--distinct")).documents
    query = how.split()[1]
    report, text = index.export_text(query, format="jsonl", counted="--counted" in how,
                                     distinct=True)
    rows = sum(1 for _ in text)
    assert rows == report.documents
    return rows


@pytest.mark.parametrize(("words", "how", "figure"), OTHER_TOOLS,
                         ids=[how for _w, how, _f in OTHER_TOOLS])
def test_the_guide_quotes_the_figures_concordance_and_export_give_on_the_bbc_corpus(
    bbc_index: CorpusIndex, words: str, how: str, figure: int
):
    assert words in _guide(), f"the guide no longer says {words!r}: mend OTHER_TOOLS with it"
    assert _other_figure(bbc_index, how) == figure


def _count_json_block() -> dict:
    import json

    blocks = re.findall(r"```json\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    [block] = [json.loads(b) for b in blocks if '"corpus-search/count/v1"' in b]
    return block


def test_the_guide_s_count_json_is_what_count_json_prints_on_the_bbc_corpus(
    bbc_index: CorpusIndex,
):
    from corpus_search.cli.printing import as_said

    shown = _count_json_block()
    counted = bbc_index.count(shown["query"], by=shown["by"])
    assert {"schema": "corpus-search/count/v1", **as_said(counted.to_dict())} == shown


#: (words of the guide, a count's query, the figures its JSON gives for them)
NOTE_FIGURES: list[tuple[str, str, dict[str, object]]] = [
    ("29 and `[\"Lord Chancellor\", \"German Chancellor\", \"Shadow Chancellor\", \"Lord "
     "Chancellor's Department\"]` for `count Chancellor` on BBC", "Chancellor",
     {"word_inside": 29, "word_inside_terms": ["Lord Chancellor", "German Chancellor",
                                               "Shadow Chancellor",
                                               "Lord Chancellor's Department"]}),
    ("162 and `[\"Michael Howard\"]`", "Michael Howard",
     {"part_only": 162, "part_only_of": ["Michael Howard"]}),
    ("3 and `[\"strategic health authorities\", \"foundation hospitals\"]` for `NHS`", "NHS",
     {"narrower_only": 3,
      "narrower_terms": ["strategic health authorities", "foundation hospitals"]}),
    ("32 and `[\"governing\", \"governance\", \"govern\", \"governed\", \"governs\"]` for "
     "`government`", "government",
     {"other_forms_only": 32,
      "other_forms": ["governing", "governance", "govern", "governed", "governs"]}),
    ("`{\"any\": 449, \"phrase\": 69, \"all\": 91}` for `interest rates`", "interest rates",
     {"any_words": {"any": 449, "phrase": 69, "all": 91}}),
]


@pytest.mark.parametrize(("words", "query", "figures"), NOTE_FIGURES,
                         ids=[query for _w, query, _f in NOTE_FIGURES])
def test_the_guide_quotes_the_note_figures_count_json_gives_on_the_bbc_corpus(
    bbc_index: CorpusIndex, words: str, query: str, figures: dict[str, object]
):
    assert words in _guide(), f"the guide no longer says {words!r}: mend NOTE_FIGURES with it"
    given = bbc_index.count(query).to_dict()
    assert {name: given[name] for name in figures} == figures


def test_the_guide_quotes_what_search_says_of_a_term_whose_word_alone_is_found(
    bbc_index: CorpusIndex,
):
    from corpus_search.terminal import not_found_line

    results = bbc_index.search("Sinn Féin")
    assert results.total == 1
    assert f"*{not_found_line(results.not_found, results.partly_found)}*" in _guide()


def test_the_guide_s_match_case_figures_of_the_other_tools_are_the_code_s_and_grep_s(
    bbc_index: CorpusIndex, tmp_path: Path
):
    import subprocess

    from conftest import BBC

    guide = _guide()
    assert "`trends May may Hunt --match-case --by source` counts 135, 356 and 9" in guide
    trends = bbc_index.trends(["May", "may", "Hunt"], by="source", match_case=True)
    grep = [len(subprocess.run(["grep", "-rlw", word, str(BBC)], capture_output=True,
                               text=True).stdout.splitlines()) for word in ("May", "may", "Hunt")]
    assert [one.total for one in trends.counts] == grep == [135, 356, 9]
    assert "`/count?q=May&match_case=1`: 135 BBC documents" in guide  # (the web's box)
    assert "`export May may.csv --match-case` writes 135 rows" in guide
    assert bbc_index.export("May", tmp_path / "may.csv", match_case=True).documents == 135
    assert "marks 2 places (3 without" in guide
    body = bbc_index.get("tech/052").body
    assert len(bbc_index.marks("May", body, match_case=True).places) == 2
    assert len(bbc_index.marks("May", body).places) == 3
    assert "counts the documents writing \"rat\\*\" (none on BBC)" in guide
    rat = bbc_index.count("rat*", literal=True)
    assert (rat.total, rat.as_characters) == (0, ["rat*"])
