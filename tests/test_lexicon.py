"""Specification of the lexicon loader (corpus_search.lexicon)."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest

from corpus_search.analysis.analyzer import parties_in, political_analyzer
from corpus_search.analysis.lexicon import Lexicon, bare_form, form_markers, load_lexicon
from corpus_search.analysis.text import normalise_word
from corpus_search.errors import CorpusSearchError, LexiconError

EXTRA = "[terms]\nreform_club\tReform Club\nlabour_party\tthe People's Party\n"


@pytest.fixture
def extra(tmp_path: Path) -> Path:
    path = tmp_path / "mine.tsv"
    path.write_text(EXTRA, encoding="utf-8")
    return path


def analyse(analyzer, text: str, mode: str = "index") -> list[str]:
    return [t.text for t in analyzer(text, mode=mode)]


def test_the_built_in_lexicon_loads_and_is_cached():
    lex = load_lexicon()
    assert isinstance(lex, Lexicon)
    assert load_lexicon() is lex
    assert len(lex.entries) > 300


def test_the_built_in_lexicon_knows_the_parties_with_display_names():
    parties = set(load_lexicon().parties.values())
    assert {"Labour", "Conservative", "Liberal Democrat", "SNP", "UKIP", "Plaid Cymru", "Green",
            "DUP", "Sinn Fein", "BNP", "Veritas", "Respect"} <= parties  # fmt: skip


def test_the_fingerprint_is_a_stable_hash_of_the_data():
    fp = load_lexicon().fingerprint
    assert isinstance(fp, str) and len(fp) == 16
    assert fp == load_lexicon().fingerprint


def test_a_user_file_extends_the_lexicon_and_changes_the_fingerprint(extra):
    lex = load_lexicon(extra)
    assert lex.fingerprint != load_lexicon().fingerprint
    analyzer = political_analyzer(lex)
    assert analyse(analyzer, "the Reform Club", "query") == ["reform_club"]
    # a user line can add forms to an existing concept
    assert "labour_party" in analyse(analyzer, "the People's Party")
    assert parties_in("the People's Party", lex) == ["Labour"]


def test_user_files_can_be_given_as_a_list_of_str_or_path(extra, tmp_path):
    other = tmp_path / "other.tsv"
    other.write_text("[protected]\nblairs\n", encoding="utf-8")
    lex = load_lexicon([str(extra), other])
    assert "blairs" in lex.protected
    assert lex.extra_paths == (str(extra.resolve()), str(other.resolve()))


def test_a_user_file_can_give_a_word_its_own_stem(tmp_path):
    """[stems] overrides Snowball for one word, as Lucene's StemmerOverrideFilter does:
    "greenery" need not be the Greens'."""
    from corpus_search.analysis.stemming import stem_word

    other = tmp_path / "stems.tsv"
    other.write_text("[stems]\ngreenery\tgreenery\n", encoding="utf-8")
    lex = load_lexicon(other)
    assert lex.stems["greenery"] == "greenery" and stem_word("greenery", lex) == "greenery"
    assert stem_word("greenery", load_lexicon()) == "greeneri"


def test_editing_a_user_file_reloads_it(extra):
    before = load_lexicon(extra).fingerprint
    extra.write_text(EXTRA + "carlton_club\tCarlton Club\n", encoding="utf-8")
    assert load_lexicon(extra).fingerprint != before


def test_editing_a_comment_or_blank_line_of_a_user_file_keeps_its_fingerprint(extra):
    # the index built with the file stays searchable: its lexicon has not changed
    before = load_lexicon(extra).fingerprint
    extra.write_text("# my clubs, checked 2026\n\n" + EXTRA + "\n# more to come\n", "utf-8")
    assert load_lexicon(extra).fingerprint == before


def test_the_fingerprint_does_not_depend_on_where_the_user_file_lives(extra, tmp_path):
    moved = tmp_path / "elsewhere.tsv"
    moved.write_text(extra.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_lexicon(moved).fingerprint == load_lexicon(extra).fingerprint


def test_a_lexicon_is_immutable():
    lex = load_lexicon()
    with pytest.raises(dataclasses.FrozenInstanceError):
        lex.fingerprint = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        lex.parties["x"] = "X"  # type: ignore[index]
    assert isinstance(lex.stopwords, frozenset)


def test_a_lexicon_and_an_analyzer_pickle_as_their_user_file_paths_only(extra):
    lex = load_lexicon(extra)
    assert len(pickle.dumps(lex)) < 300
    assert pickle.loads(pickle.dumps(lex)) is lex
    analyzer = political_analyzer(lex)
    data = pickle.dumps(analyzer)
    assert len(data) < 400 and str(extra.resolve()).encode() in data
    clone = pickle.loads(data)
    assert clone == analyzer and clone != political_analyzer()
    assert analyse(clone, "Reform Club", "query") == ["reform_club"]


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("[terms]\nbad concept\tForm\n", 2, "concept"),
        ("# comment\n\nlib_dem\n", 3, "tab-separated"),
        ("x_y\tThing\tLabour\tlabour_party\tstray\n", 1, "got 5 columns"),
        ("Lib_Dem\tLib Dems\n", 1, "lower-case"),
        ("x_y\tA | | B\n", 1, "empty"),
        ("x_y\t---\n", 1, "wordless"),
        ("x_y\tThing\tlabour\n", 1, "party display name"),
        ("x_y\tThing\t\tNot A Concept\n", 1, "also"),
        ("[colours]\n", 1, "unknown section"),
        ("[spelling]\ncolor\n", 2, "american<TAB>british"),
        ("[spelling]\ncolor two\tcolour\n", 2, "single words"),
        ("[stopwords]\nthe cat\n", 2, "one word"),
        ("-\tThing\tLabour\n", 1, "sense-blocking"),
        ("-\t!thing one\n", 1, "query's only"),
        ("[terms]\nfoo_bar    foo bar\n", 2, "spaces where a tab should be"),
        ("[protected]\nkennedy\nx_y\tfoo\n", 3, "belongs under a [terms] header"),
        ("[stems]\nlabourers\n", 2, "word<TAB>stem"),
        ("[stems]\nthe workers\tworker\n", 2, "single words"),
        ("x_y\tThing\t\tlabor_party\n", 1, "did you mean 'labour_party'?"),
    ],
)
def test_a_malformed_line_raises_a_lexicon_error_naming_file_and_line(
    tmp_path, content, line, message
):
    path = tmp_path / "broken.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicon(path)
    text = str(info.value)
    assert f"broken.tsv, line {line}" in text
    assert message in text
    assert isinstance(info.value, CorpusSearchError)


@pytest.mark.parametrize(("name", "party", "concept"), [
    ("Tories", "Conservative", "conservative_party"),
    ("Lib Dems", "Liberal Democrat", "lib_dem"),
    ("Labour Party", "Labour", "labour_party"),
])
def test_a_party_column_naming_another_party_is_refused_not_made_a_party_of_its_own(
    tmp_path, name, party, concept
):
    # Written as "about the Tories", the 3rd column would make a party "Tories" of the term's
    # documents alone, and --party Tories would find those in place of the Conservatives'.
    path = tmp_path / "mine.tsv"
    path.write_text(f"[terms]\nhit_list\thit list\t{name}\n", encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicon(path)
    text = str(info.value)
    assert "mine.tsv, line 2" in text
    assert f"is a name of the party {party!r}" in text
    assert f"name {concept!r} in the 4th, 'also', column" in text


def test_a_party_column_giving_a_party_its_own_display_name_counts_the_term_as_that_party(
    tmp_path
):
    path = tmp_path / "mine.tsv"
    path.write_text("[terms]\nhit_list\thit list\tLiberal Democrat\n", encoding="utf-8")
    lexicon = load_lexicon(path)
    assert lexicon.party_named("Lib Dems") == "Liberal Democrat"
    assert parties_in("Top Tories on the hit list", lexicon) == ["Conservative", "Liberal Democrat"]


def test_a_user_file_saved_as_utf16_says_so(tmp_path):
    # Notepad's "Unicode" is UTF-16, with a byte order mark
    path = tmp_path / "notepad.tsv"
    path.write_bytes("[terms]\nwidget_tax\twidget tax\n".encode("utf-16"))
    with pytest.raises(LexiconError, match=r"notepad\.tsv: UTF-16 text: save it as UTF-8"):
        load_lexicon(path)


def test_a_user_file_starting_with_a_byte_order_mark_reads_as_without_it(tmp_path):
    # Notepad and Excel write one first
    path = tmp_path / "bom.tsv"
    path.write_bytes("[terms]\nwidget_tax\twidget tax\n".encode("utf-8-sig"))
    assert "widget_tax" in political_analyzer(load_lexicon(path)).index_terms("a widget tax")


def test_an_also_concept_no_line_defines_but_far_from_any_is_allowed(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text("[terms]\nwidget_tax\twidget tax\t\tgadget_policy\n", encoding="utf-8")
    assert load_lexicon(path).implied["widget_tax"] == {"gadget_policy"}


def test_a_missing_user_file_raises_a_lexicon_error(tmp_path):
    with pytest.raises(LexiconError, match="not found"):
        load_lexicon(tmp_path / "nope.tsv")


def test_a_user_file_that_is_not_utf8_raises_a_lexicon_error(tmp_path):
    path = tmp_path / "latin.tsv"
    path.write_bytes("caf\xe9\tCaf\xe9\n".encode("latin-1"))
    with pytest.raises(LexiconError, match="UTF-8"):
        load_lexicon(path)


def test_a_form_starting_with_equals_matches_only_that_capitalisation(tmp_path):
    path = tmp_path / "case.tsv"
    path.write_text("reform_uk\t=Reform\n", encoding="utf-8")
    analyzer = political_analyzer(load_lexicon(path))
    assert "reform_uk" in analyse(analyzer, "Reform said")
    assert "reform_uk" in analyse(analyzer, "REFORM said")
    assert "reform_uk" not in analyse(analyzer, "welfare reform")


def test_a_form_starting_with_a_bang_is_read_in_a_query_and_never_in_a_document(tmp_path):
    path = tmp_path / "query_only.tsv"
    path.write_text("sure_start_x\tsure-start | !sure start\n", encoding="utf-8")
    analyzer = political_analyzer(load_lexicon(path))
    assert "sure_start_x" in [t.text for t in analyzer("sure start", mode="query")]
    # not even in a text that also writes the concept in another form
    assert analyse(analyzer, "the sure-start scheme; we are sure start dates hold").count(
        "sure_start_x"
    ) == 1


def test_a_query_only_form_leaves_its_first_word_to_the_plain_reading():
    # No text confirms "!by election", so "by" (in most documents) does not make the
    # analyzer read a text's context; forms a text can confirm still do ("NEC").
    lower, cased = load_lexicon().ambiguous_starts
    assert "by" not in lower and "bye" not in lower
    assert "national_executive_committee" in cased["NEC"]
    analyzer = political_analyzer(load_lexicon())
    assert "by_election" not in analyse(analyzer, "Written by election officers")
    assert "by_election" in analyse(analyzer, "by election", mode="query")


def test_forms_match_in_any_case_plural_and_hyphenation_without_listing_them(tmp_path):
    path = tmp_path / "forms.tsv"
    path.write_text("think_tank_x\tpolicy-wonk unit\n", encoding="utf-8")
    analyzer = political_analyzer(load_lexicon(path))
    for text in ("Policy-Wonk Unit", "policy-wonk units", "policywonk unit"):
        assert "think_tank_x" in analyse(analyzer, text), text
    assert "think_tank_x" not in analyse(analyzer, "policy wonk unit")


def test_the_spelling_table_respells_listed_words_bases_and_generic_patterns():
    lex = load_lexicon()
    assert lex.respell("gray") == "grey"
    assert lex.respell("honorable") == "honourable"
    assert lex.respell("centering") == "centring"
    assert lex.respell("privatizing") == "privatising"
    assert lex.respell("laborers") == "labourers"
    assert lex.respell("downsizing") == "downsizing"


def test_normalise_word_folds_case_accents_possessives_and_acronym_plurals():
    assert normalise_word("Féin") == ("Fein", "fein")
    assert normalise_word("Corbyn’s") == ("Corbyn", "corbyn")
    assert normalise_word("MPs") == ("MP", "mp")
    assert normalise_word("U.S.") == ("US", "us")
    assert normalise_word("1,400") == ("1400", "1400")
    assert normalise_word("vote") == ("vote", "vote")


def test_every_built_in_concept_name_is_lower_case_words_joined_by_underscores():
    for concept in load_lexicon().concepts:
        assert concept == concept.lower() and " " not in concept and "-" not in concept


def test_the_built_in_data_files_are_in_the_documented_format():
    lex = load_lexicon()
    assert all(src.startswith("data/lexicon/") and src.endswith(".tsv") for src in lex.sources)
    assert {"the", "of", "and"} <= lex.stopwords
    assert {"commons", "lords", "wales"} <= lex.protected
    assert {"mr", "lady", "sir", "baroness"} <= lex.honorifics


def test_a_user_file_can_add_honorifics(tmp_path):
    # the words a query reads as a weak part of the name after them (search.groups)
    other = tmp_path / "other.tsv"
    other.write_text("[honorifics]\nCllr\n", encoding="utf-8")
    assert "cllr" in load_lexicon(other).honorifics
    assert "cllr" not in load_lexicon().honorifics


def test_a_lexicon_resolved_for_one_text_pickles_with_its_confirmed_concepts():
    lexicon = load_lexicon()
    ambiguous = sorted(lexicon.context)[:2]
    resolved = lexicon.resolved(frozenset(ambiguous))
    copy = pickle.loads(pickle.dumps(resolved))
    assert copy == resolved
    assert copy.confirmed == frozenset(ambiguous) and copy.context == {}
    # nothing in it is ambiguous any more: no context, and no concept confirms another
    assert dict(resolved.confirms) == {} and dict(copy.confirms) == {}


def test_a_concept_confirms_the_ambiguous_concepts_whose_context_it_is():
    """``confirms`` is ``context`` turned round (made on first use, not kept compiled): the
    Labour Party is context for Momentum's ambiguous forms, so it confirms them."""
    lexicon = load_lexicon()
    assert "labour_party" in lexicon.context["momentum_group"]
    assert "momentum_group" in lexicon.confirms["labour_party"]
    assert {(c, a) for c, ambiguous in lexicon.confirms.items() for a in ambiguous} == {
        (c, a) for a, context in lexicon.context.items() for c in context}


def test_a_five_letter_american_word_is_respelled_inside_longer_words():
    lex = load_lexicon()
    assert lex.respell("uncolor") == "uncolour"
    assert lex.respell("recolor") == "recolour"
    assert lex.respell("superfiber") == "superfibre"


@pytest.mark.parametrize(("form", "plural"), [
    ("=BBY", "BBIES"), ("policy unity", "policy unities"),
    ("bank holiday", "bank holidays"), ("=Holiday Fund", "Holiday Funds"),
])
def test_a_form_matches_its_plural_made_by_the_english_rules(tmp_path, form: str, plural: str):
    path = tmp_path / "plurals.tsv"
    path.write_text(f"x_thing\t{form}\n", encoding="utf-8")
    analyzer = political_analyzer(load_lexicon(path))
    assert "x_thing" in analyse(analyzer, f"the {plural} said")


@pytest.mark.parametrize(("form", "read"), [
    ("Labour", ("", "Labour")),
    ("?=NEC", ("?=", "NEC")),
    ("!by election", ("!", "by election")),
    ("? = NEC", ("?=", "NEC")),  # (a space may follow each marker)
    ("=?NEC", ("=?", "NEC")),
])
def test_a_form_s_markers_are_read_apart_from_its_words(form, read):
    assert form_markers(form) == read
    assert bare_form(form) == read[1]


@pytest.mark.parametrize(
    ("line", "home_office_reads"),
    [
        # a user's own concept for a form the built-in lexicon gives another: the user's alone
        ("immigration_department\tHome Office\n", {"immigration_department"}),
        ("immigration_department\t=Home Office\n", {"immigration_department"}),
        # a sense-blocking line makes the form no concept at all
        ("-\tHome Office\n", set()),
        # a user's line giving the form to the built-in concept adds up as lines do
        ("home_office\tHome Office | the Office\n", {"home_office"}),
    ],
)
def test_a_user_line_for_a_form_the_built_in_lexicon_lists_overrides_its_meaning(
    tmp_path, line, home_office_reads
):
    extra = tmp_path / "mine.tsv"
    extra.write_text(line, encoding="utf-8")
    terms = political_analyzer(load_lexicon(extra)).index_terms("the Home Office said")
    assert {t for t in terms if "_" in t} == home_office_reads
    # the built-in terms around the form keep their meaning
    assert "home_office_minister" in political_analyzer(load_lexicon(extra)).index_terms(
        "a Home Office minister")


def test_a_user_line_for_a_built_in_form_of_the_same_concept_keeps_its_broader_concepts(
    tmp_path,
):
    extra = tmp_path / "mine.tsv"
    extra.write_text("plp\tPLP\n", encoding="utf-8")
    assert {"plp", "labour_party"} <= set(
        political_analyzer(load_lexicon(extra)).index_terms("the PLP met"))
