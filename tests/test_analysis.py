"""Specification of the British political analyzer (corpus_search.analysis).

Most tests state a search behaviour: "a query for X finds a document saying Y". They use
``finds(query, doc)``, which treats tokens sharing a position as alternatives and requires the
query's positions to line up with consecutive document positions (a phrase match), exactly
as the contract in docs/architecture.md describes.
"""

from __future__ import annotations

import pickle
from collections import defaultdict
from pathlib import Path

import pytest

from corpus_search.analysis.amounts import AmountFilter
from corpus_search.analysis.analyzer import (
    ANALYZER_VERSION,
    multiword_spans,
    ordinary_spans,
    parties_in,
    political_analyzer,
)
from corpus_search.analysis.lexicon import load_lexicon
from corpus_search.analysis.lexicon_stage import LexiconFilter
from corpus_search.analysis.stages import (
    CompoundFilter,
    NormaliseFilter,
    PoliticalTokenizer,
    StemFilter,
    StopFilter,
    TypedAcronymFilter,
)

ANALYZER = political_analyzer()
SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def tokens(text: str, mode: str = "index", **kw) -> list:
    return [
        (t.pos, t.text, t.expansion, t.startchar, t.endchar)
        for t in ANALYZER(text, mode=mode, positions=True, chars=True, **kw)
    ]


def texts(text: str, mode: str = "index") -> list[str]:
    return [t[1] for t in tokens(text, mode)]


def slots(text: str, mode: str) -> list[set[str]]:
    """Alternatives per position, positions renumbered from 0."""
    by_pos: dict[int, set[str]] = defaultdict(set)
    for pos, text_, *_ in tokens(text, mode):
        by_pos[pos].add(text_)
    return [by_pos[p] for p in sorted(by_pos)]


def finds(query: str, doc: str) -> bool:
    """Does the query, as a phrase of alternatives, match somewhere in the document?"""
    q, d = slots(query, "query"), slots(doc, "index")
    if not q:
        return False
    starts = range(len(d) - len(q) + 1)
    return any(all(q[i] & d[s + i] for i in range(len(q))) for s in starts)


# ---------------------------------------------------------------------------------------------
# Contract
# ---------------------------------------------------------------------------------------------


def test_analyzer_version_is_a_non_empty_string():
    assert isinstance(ANALYZER_VERSION, str) and ANALYZER_VERSION


def test_the_analyzer_is_a_whoosh_pipeline_of_a_tokenizer_and_single_purpose_filters():
    kinds = [type(item) for item in ANALYZER.items]
    assert kinds == [
        PoliticalTokenizer,
        NormaliseFilter,
        TypedAcronymFilter,
        LexiconFilter,
        CompoundFilter,
        AmountFilter,
        StopFilter,
        StemFilter,
    ]


def test_two_analyzers_built_from_the_same_lexicon_compare_equal():
    assert political_analyzer() == political_analyzer(load_lexicon())
    assert political_analyzer(load_lexicon()) == pickle.loads(pickle.dumps(ANALYZER))


def test_the_analyzer_pickles_small_and_unpickles_to_a_working_equal_analyzer():
    data = pickle.dumps(ANALYZER)
    assert len(data) < 300
    clone = pickle.loads(data)
    assert clone == ANALYZER
    assert [t.text for t in clone("Lib Dems", mode="query")] == ["lib_dem"]


def test_every_token_says_whether_the_lexicon_added_it():
    toks = tokens("Tories")
    assert (0, "tori", False, 0, 6) in toks
    assert (0, "conservative_party", True, 0, 6) in toks


def test_text_never_produces_an_underscore_so_concepts_cannot_collide_with_words():
    assert [t.text for t in PoliticalTokenizer()("foo_bar lib_dem")] == ["foo", "bar", "lib", "dem"]
    assert texts("foo_bar") == ["foo", "bar"]


def test_positions_and_chars_are_optional_like_any_whoosh_analyzer():
    assert [t.text for t in ANALYZER("The Tories won")] == ["tori", "conservative_party", "won"]


# ---------------------------------------------------------------------------------------------
# Acronyms and abbreviations
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("acronym", "expansion"),
    [
        ("PLP", "the Parliamentary Labour Party"),
        ("CLP", "his Constituency Labour Party"),
        ("NEC", "the National Executive Committee"),
        ("PMQs", "at Prime Minister's Questions"),
        ("MP", "a Member of Parliament"),
        ("MPs", "Members of Parliament"),
        ("MEPs", "Members of the European Parliament"),
        ("NHS", "the National Health Service"),
        ("MoD", "the Ministry of Defence"),
        ("CPS", "the Crown Prosecution Service"),
        ("SNP", "the Scottish National Party"),
        ("UKIP", "the UK Independence Party"),
        ("DUP", "the Democratic Unionist Party"),
        ("BNP", "the British National Party"),
        ("Lib Dems", "the Liberal Democrats"),
        ("PM", "the Prime Minister"),
        ("Home Sec", "the Home Secretary"),
        ("Foreign Sec", "the Foreign Secretary"),
        ("NAO", "the National Audit Office"),
        ("CSA", "the Child Support Agency"),
        ("ECHR", "the European Convention on Human Rights"),
        ("IPPR", "the Institute for Public Policy Research"),
        ("CBI", "the Confederation of British Industry"),
        ("TUC", "the Trades Union Congress"),
        ("ONS", "the Office for National Statistics"),
        ("IFS", "the Institute for Fiscal Studies"),
        ("FCO", "the Foreign and Commonwealth Office"),
        ("DTI", "the Department of Trade and Industry"),
        ("DWP", "the Department for Work and Pensions"),
        ("DfES", "the Department for Education and Skills"),
        ("BMA", "the British Medical Association"),
        ("ACPO", "the Association of Chief Police Officers"),
        ("MI5", "the Security Service"),
        ("UN", "the United Nations"),
        ("EU", "the European Union"),
        ("WTO", "the World Trade Organisation"),
        ("QC", "a Queen's Counsel"),
        ("OBR", "the Office for Budget Responsibility"),
        ("GCHQ", "Government Communications Headquarters"),
        ("HMRC", "HM Revenue and Customs"),
    ],
)
def test_an_acronym_and_its_expansion_find_each_other(acronym, expansion):
    assert finds(acronym, expansion)
    bare = expansion.split(" ", 1)[1] if expansion.startswith(("the ", "a ")) else expansion
    # an ambiguous acronym stands for its concept where the text gives its context
    assert finds(bare, f"{CONTEXT_OF.get(acronym, '')}the {acronym} said")


#: Text that confirms the political sense of the ambiguous acronyms above.
CONTEXT_OF = {
    "NEC": "Labour's leaders met; ",
    "MP": "In the Commons, ",
    "MPs": "In the Commons, ",
    "PM": "At Westminster, ",
    "CPS": "The police said ",
    "CSA": "The Department for Work and Pensions said ",
    "NAO": "The Treasury said ",
}


def test_a_query_for_plp_produces_the_token_a_parliamentary_labour_party_document_has():
    query = set(texts("PLP", "query"))
    doc = set(texts("the Parliamentary Labour Party met"))
    assert "plp" in query & doc


def test_a_lower_case_query_for_an_unambiguous_acronym_still_finds_the_expansion():
    assert finds("plp", "the Parliamentary Labour Party")
    assert finds("nhs", "the National Health Service")
    assert finds("pmqs", "Prime Minister's Questions")


def test_plural_and_possessive_acronyms_index_as_the_singular():
    assert texts("Tory MPs'")[2:4] == ["mp", "member_of_parliament"]
    assert texts("a Tory MP's")[2:4] == ["mp", "member_of_parliament"]
    assert finds("MP", "three MPs voted")
    assert finds("MEP", "two MEPs")


def test_a_query_for_mps_typed_in_lower_case_finds_the_article_that_says_mps():
    # Snowball keeps the s of "mps", so the word as typed named nothing
    assert finds("mps", "Labour MPs voted against the bill")
    assert finds("Mps", "Labour MPs voted against the bill")
    assert finds("mps", "a Member of Parliament")
    assert finds("labour mps rebel", "Labour MPs rebel")
    assert finds("gps", "family GPs said")
    assert texts("mps", "query") == texts("MPs", "query")


@pytest.mark.parametrize(
    ("query", "read_as"),
    [
        ("mods", ["mod"]),  # stemming brings it back: mods, not the MoD
        ("caps", ["cap"]),  # a tuition fee cap, not the Common Agricultural Policy
        ("sis", ["sis"]),  # its capitals are an acronym of their own (SIS)
        ("its", []),  # a stop word
    ],
)
def test_a_lower_case_word_that_is_no_acronym_plural_is_read_as_typed(query, read_as):
    assert texts(query, "query") == read_as


def test_a_document_s_lower_case_mps_is_not_read_as_mps():
    # texts write MPs in capitals; a document's words are read as written
    assert "member_of_parliament" not in texts("the mps were", "index")


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("at 3pm", "prime_minister"),
        ("3 pm", "prime_minister"),
        ("ad nec plus", "national_executive_committee"),
        ("cps and mp", "crown_prosecution_service"),
        ("an mp3 player", "member_of_parliament"),
    ],
)
def test_only_the_upper_case_form_of_an_ambiguous_acronym_triggers(text, concept):
    assert concept not in texts(text)


def test_upper_case_ambiguous_acronyms_trigger_in_their_context():
    assert "prime_minister" in texts("the PM told the Commons")
    assert "member_of_parliament" in texts("the Labour MP said")
    assert "crown_prosecution_service" in texts("the CPS told police")


# ---------------------------------------------------------------------------------------------
# Synonyms and nicknames
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "doc"),
    [
        ("Tories", "the Conservative Party"),
        ("Conservative Party", "the Tories said"),
        ("Tory", "the Conservatives"),
        ("Lib Dems", "the Liberal Democrats"),
        ("Liberal Democrat", "a Lib Dem spokesman"),
        ("Number 10", "Downing Street said"),
        ("No 10", "Downing Street said"),
        ("Downing Street", "a No. 10 spokesman"),
        ("the Commons", "in the House of Commons"),
        ("House of Commons", "MPs in the Commons"),
        ("peers", "the House of Lords"),
        ("the Lords", "Labour MPs lost in the upper chamber"),
        ("House of Lords", "Tory peers voted"),
        ("Chancellor", "the Chancellor of the Exchequer"),
        ("Chancellor of the Exchequer", "the Chancellor said"),
        ("Home Secretary", "the Home Office said"),
        ("Whitehall", "the Home Secretary and the civil service"),
        ("civil service", "Whitehall mandarins"),
        ("quangos", "public bodies"),
        ("quango", "a non-departmental public body"),
    ],
)
def test_synonyms_and_nicknames_find_each_other(query, doc):
    assert finds(query, doc)


@pytest.mark.parametrize(("query", "doc"), [
    ("labourers", "the Labour Party"),
    ("liberation", "the Liberal Party"),
    ("liberated", "the Liberals"),
    ("conservation", "the Conservatives"),
    ("conservation", "a Conservative MP"),
    ("democratic", "the Liberal Democrats"),
    ("socialism", "social services"),
    ("capitalism", "the capital city"),
    ("nationalism", "the national debt"),
    ("unionism", "the union leaders"),
])
def test_a_word_snowball_folds_onto_a_party_s_name_or_a_creed_onto_a_common_word_is_apart(
    query, doc
):
    assert not finds(query, doc)


@pytest.mark.parametrize(("query", "doc"), [
    ("labourer", "farm labourers"),
    ("liberate", "the liberation of the camp"),
    ("conservation", "conserving energy"),
    ("conservative", "the Conservatives"),
    ("conservatism", "a conservative budget"),
    ("Labour", "a Labour MP"),
    ("democratic", "democratically elected"),
    ("socialism", "a socialist MP"),
    ("unionism", "Ulster unionists"),
])
def test_those_words_still_find_their_own_forms(query, doc):
    assert finds(query, doc)


def test_a_multi_word_term_indexes_words_and_concept_at_one_position_and_the_next_word_follows():
    toks = tokens("Parliamentary Labour Party members")
    at0 = {t[1] for t in toks if t[0] == 0}
    assert {"parliamentari", "labour", "parti", "plp", "labour_party"} <= at0
    assert next(t for t in toks if t[1] == "member")[0] == 1


def test_a_multi_word_term_yields_only_its_concept_tokens_in_query_mode():
    assert texts("Parliamentary Labour Party", "query") == ["plp", "labour_party"]
    assert texts("Lib Dems", "query") == ["lib_dem"]


def test_a_phrase_query_matches_whichever_surface_form_the_text_used():
    assert finds("Lib Dem leader Charles Kennedy", "Liberal Democrat leader Charles Kennedy")
    assert finds("Liberal Democrat leader", "Lib Dem leader")
    assert finds("PLP meeting", "a Parliamentary Labour Party meeting")
    assert not finds("PLP meeting", "a Parliamentary Labour Party vote")


def test_phrase_queries_across_a_multi_word_term_keep_their_words_in_order():
    assert finds("told the House of Commons yesterday", "Blair told the Commons yesterday")
    assert not finds("told the House of Commons yesterday", "Blair told yesterday the Commons")


def test_the_longest_lexicon_match_wins():
    assert "shadow_home_secretary" in texts("the Shadow Home Secretary said")
    assert "lord_chancellor" in texts("the Lord Chancellor")
    assert "chancellor_of_the_exchequer" not in texts("the Lord Chancellor")


def test_a_multi_word_term_can_span_punctuation_like_dots():
    assert "downing_street" in texts("No. 10")


# ---------------------------------------------------------------------------------------------
# Character offsets (highlighting)
# ---------------------------------------------------------------------------------------------


def test_every_token_points_at_the_real_text_it_came_from():
    text = "“The Lib Dems’ by-election win,” said Sinn Féin’s MPs — PMQs at 3pm."
    for _pos, _tok, _exp, start, end in tokens(text):
        assert 0 <= start < end <= len(text)
        assert text[start:end].strip() == text[start:end]
    spans = {text[s:e] for _p, tok, _x, s, e in tokens(text) if tok == "lib_dem"}
    assert spans == {"Lib Dems"}


def test_a_multi_word_concept_spans_the_whole_match_and_its_words_span_themselves():
    text = "in the House of Commons"
    by_text = {tok: text[s:e] for _p, tok, _x, s, e in tokens(text)}
    assert by_text["house_of_commons"] == "House of Commons"
    assert by_text["hous"] == "House"
    assert by_text["commons"] == "Commons"


def test_start_offsets_never_decrease_so_sequential_highlighters_see_every_match():
    text = "The Parliamentary Labour Party met after the by-election and cross-party talks"
    starts = [t[3] for t in tokens(text)]
    assert starts == sorted(starts)


def test_start_char_and_start_pos_offsets_are_honoured():
    toks = [
        (t.pos, t.startchar)
        for t in ANALYZER("Lib Dems win", positions=True, chars=True, start_pos=5, start_char=100)
    ]
    assert {pos for pos, _ in toks} == {5, 6}
    assert min(start for _, start in toks) == 100


# ---------------------------------------------------------------------------------------------
# Hyphens and compounds
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["by-election", "by election", "byelection", "by-elections"])
@pytest.mark.parametrize(
    "doc",
    ["a by-election", "a by-election, then the by election", "a byelection", "two by-elections"],
)
def test_by_election_is_found_however_it_is_written(query, doc):
    assert finds(query, doc)


@pytest.mark.parametrize(
    "doc",
    [
        "a recommendation last year by elections watchdog the Electoral Commission",
        "the press conference hosted by election co-ordinator Alan Milburn",
        "Labour held the by election in Hartlepool",  # nothing here says which
    ],
)
def test_by_and_election_written_apart_alone_are_words(doc):
    # written apart, "by election" is also a preposition and a noun
    assert "by_election" not in texts(doc)
    assert not finds("by-election", doc)


@pytest.mark.parametrize(
    "doc",
    [
        "after the by-election the Tories criticised by election officials",
        "the 1904 Horsham byelection; a recommendation by elections watchdog",
    ],
)
def test_by_election_written_apart_counts_only_in_a_query_even_where_a_text_writes_it_joined(
    doc,
):
    # the text's joined by-election counts once; its "by election(s)" is a preposition and a
    # noun (BBC politics/345), while a searcher typing "by election" means a by-election
    assert texts(doc).count("by_election") == 1
    assert "by_election" in [t.text for t in ANALYZER("by election", mode="query")]


@pytest.mark.parametrize(
    ("query", "doc"),
    [
        ("no-confidence", "a vote of no confidence"),
        ("no confidence", "a no-confidence motion"),
        ("pre-Budget report", "the pre-budget report"),
        ("prebudget", "the pre-Budget report"),
        ("anti-terror", "new antiterror laws"),
        ("anti terror laws", "anti-terror laws"),
        ("all-women shortlist", "an all women shortlist"),
        ("all women shortlists", "all-women shortlists"),
        ("turnout", "the turn-out was low"),
        ("turn-out", "turnout was low"),
        ("super-casino", "a supercasino"),
        ("supercasinos", "super-casinos"),
        ("top-up fees", "top up fees"),
        ("top up fees", "top-up fees vote"),
    ],
)
def test_political_compounds_match_in_every_spelling(query, doc):
    assert finds(query, doc)


def test_turn_out_as_two_words_is_not_turnout():
    assert "turnout" not in texts("it may turn out well")


def test_a_generic_hyphenated_word_indexes_its_parts_and_joined_form_at_one_position():
    toks = tokens("cross-bench talks on well-being")
    wb = {t[1]: t for t in toks if t[0] == 3}  # (the stop word "on" keeps position 2)
    assert set(wb) == {"well", "be", "wellb"}
    assert wb["wellb"][2] is True and wb["well"][2] is False


def test_a_hyphenated_query_finds_the_hyphenated_and_closed_up_forms():
    assert finds("well-being", "their well-being matters")
    assert finds("well-being", "their wellbeing matters")
    assert finds("wellbeing", "their well-being matters")
    assert finds("being matters", "their well-being matters")


@pytest.mark.parametrize(
    ("idiom", "word"),
    [("peer-to-peer", "peers"), ("year-on-year", "year"), ("face-to-face", "face"),
     ("head-to-head", "head"), ("day-to-day", "day")],
)
def test_a_reduplicated_compound_is_an_idiom_not_its_words(idiom: str, word: str):
    # its first and last words the same: "peer-to-peer" networks are not the Lords' peers,
    # nor a "year-on-year" rise about a year
    doc = f"a {idiom} rise"
    assert not finds(word, doc)
    assert finds(idiom, doc)
    assert finds(idiom.replace("-", ""), doc)  # its joined form, as any compound's


def test_a_reduplicated_compound_drops_the_concepts_of_its_words_but_not_its_own():
    # "peer" alone may be the Lords (an ambiguous form: a query keeps it); inside
    # "peer-to-peer" it is not, so the query "peer-to-peer" finds no Lords story
    assert "house_of_lords" in texts("peers", mode="query")
    assert "house_of_lords" not in texts("peer-to-peer", mode="query")
    # nor in a text whose context confirms it: only "Lords" is the Lords
    assert ANALYZER.index_terms("Lords back peer-to-peer ban")["house_of_lords"] == [0]
    assert "peer_to_peer" in texts("P2P networks") and finds("peer-to-peer", "P2P networks")
    # a compound whose words differ keeps them, and their concepts
    assert finds("Labour", "a Labour-run council") and finds("party", "cross-party talks")


def test_dashes_separate_words_but_only_hyphens_join_them():
    assert "blairbrown" not in texts("Blair – Brown")
    assert "blairbrown" in texts("Blair-Brown")
    assert "blairbrown" not in texts("Blair—Brown")


# ---------------------------------------------------------------------------------------------
# British and American spelling
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("american", "british"),
    [
        ("labor", "labour"),
        ("privatization", "privatisation"),
        ("defense", "defence"),
        ("program", "programme"),
        ("programs", "programmes"),
        ("center", "centre"),
        ("centered", "centred"),
        ("organize", "organise"),
        ("organizations", "organisations"),
        ("honor", "honour"),
        ("gray", "grey"),
        ("color", "colour"),
        ("analyze", "analyse"),
        ("catalog", "catalogue"),
        ("skeptical", "sceptical"),
        ("theater", "theatre"),
        ("judgment", "judgement"),
    ],
)
def test_american_and_british_spellings_index_the_same(american, british):
    assert texts(american) == texts(british)


@pytest.mark.parametrize(
    ("american", "british"),
    [
        ("normalizing", "normalising"),
        ("decentralization", "decentralisation"),
        ("neighborhoods", "neighbourhoods"),
        ("dishonorable", "dishonourable"),
        ("unfavorable", "unfavourable"),
        ("misbehavior", "misbehaviour"),
        ("rumored", "rumoured"),
        ("epicenter", "epicentre"),
        ("paralyzed", "paralysed"),
    ],
)
def test_spelling_rules_generalise_to_words_not_listed(american, british):
    assert texts(american) == texts(british)


@pytest.mark.parametrize(
    "word",
    ["major", "motor", "minor", "size", "prize", "seize", "survivor", "tremor", "citizen",
     "honorary", "vigorous", "downsizing"],
)  # fmt: skip
def test_words_that_only_look_american_are_left_alone(word):
    lex = load_lexicon()
    assert lex.respell(word) == word


def test_major_is_not_respelled_majour():
    assert texts("major") == ["major"]
    assert texts("motor") == ["motor"]


# ---------------------------------------------------------------------------------------------
# Proper nouns and case-aware senses
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proper", "common"),
    [("Commons", "common"), ("Lords", "lord"), ("Wales", "wale"), ("Brussels", "brussel"),
     ("Downing", "down"), ("Whitehall", "whitehal")],
)  # fmt: skip
def test_proper_nouns_are_protected_from_stemming(proper, common):
    assert common not in texts(proper)


@pytest.mark.parametrize(
    ("name", "text"),
    [("Falconer", "falcons nested on the tower"), ("Balls", "he kicked the ball"),
     ("Denis", "the minister denied it"), ("Angeles", "angels sang"),
     ("Greene", "painted green"), ("Julie", "in July")],
)  # fmt: skip
def test_a_name_snowball_folds_onto_a_common_word_finds_only_the_name(name, text):
    assert not finds(name, text)
    assert finds(name, f"A statement from {name} today")


def test_a_name_misspelt_as_another_still_finds_it_as_stemming_did():
    assert finds("Gordon Browne", "Gordon Brown spoke")  # the typo is forgiven
    assert finds("Livingston", "Ken Livingstone said")


@pytest.mark.parametrize("query", ["Brown", "Gordon Brown", "Mr Brown", "Brown's", "brown"])
def test_a_search_for_brown_does_not_find_lord_brownes_story(query):
    # (Snowball folds Browne onto Brown: a search for Brown listed Lord Browne of BP)
    assert not finds(query, "Lord Browne of BP said")
    assert not finds(query, "Des Browne, the Home Office minister, said")
    assert finds(query, "Gordon Brown, Mr Brown and Brown's Budget")


def test_a_search_for_browne_finds_browne_and_forgives_the_slip_for_brown():
    assert finds("Browne", "Des Browne, the Home Office minister, said")
    assert finds("Lord Browne", "Lord Browne of BP said")
    assert finds("Browne", "Gordon Brown spoke")
    # the name typed is the word read at full weight, the leader's name beside it the slip
    # (which the ranking weighs as a weak alternative: test_misspelt_names)
    tokens = [(t.text, t.expansion) for t in ANALYZER("Browne", mode="query")]
    assert tokens == [("browne", False), ("brown", True)]


@pytest.mark.parametrize("text", ["It is good for the Exchequer too.",
                                  "The Exchequer lost 1bn in revenue."])
def test_the_exchequer_alone_is_the_word_not_the_chancellor(text):
    assert "chancellor_of_the_exchequer" not in texts(text)
    assert not finds("Chancellor of the Exchequer", text)
    assert not finds("Chancellor", text)
    assert finds("Exchequer", text)


def test_a_query_for_the_exchequer_reads_the_word_not_the_chancellor():
    assert [t.text for t in ANALYZER("Exchequer", mode="query")] == ["exchequ"]
    assert not finds("Exchequer", "The Chancellor said borrowing would fall.")
    # the Chancellor's full title still writes the word, and is still the Chancellor
    text = "The Chancellor of the Exchequer said borrowing would fall."
    assert finds("Exchequer", text) and finds("Chancellor", text)
    assert "chancellor_of_the_exchequer" in texts(text)


@pytest.mark.parametrize(
    ("query", "acronym", "word"),
    [("NICE", "NICE approved the drug", "a nice day in Nice"),
     ("MoD", "the MoD said", "a game mod"),
     ("MOD", "the MoD said", "a game mod")],
)  # fmt: skip
def test_an_acronym_typed_as_the_lexicon_writes_it_finds_the_acronym_not_the_word(
        query, acronym, word):
    assert finds(query, acronym)
    assert not finds(query, word)


def test_an_acronym_written_inside_a_longer_lexicon_form_keeps_its_word():
    # the index holds "second UN resolution" as the longer form's concepts at its place,
    # not the UN's: only the word finds the UN there, in a phrase begun inside the form too
    # (and a phrase begun inside the form: test_phrase_readings, "UN resolution sanctioning")
    assert finds("US", "the US economy") and finds("US", "told us")


def test_an_acronym_typed_in_lower_case_is_the_word():
    assert finds("nice", "a nice day") and finds("nice", "NICE approved the drug")
    assert finds("mod", "a game mod")


def test_an_ambiguous_acronym_typed_in_capitals_keeps_its_word():
    # the index holds the NEC's concept only where a text's context confirms it
    assert finds("NEC", "Toshiba and NEC back HD-DVD")


def test_the_commons_is_not_common_ground():
    assert not finds("common", "the Commons voted")
    assert not finds("Commons", "common ground")


def test_momentum_the_campaign_group_is_a_concept_but_momentum_the_word_is_not():
    assert "momentum_group" in texts("Momentum activists backed the Labour leader")
    assert "momentum_group" not in texts("the campaign gathered momentum")


def test_capitalised_labour_is_the_party_and_the_word():
    assert set(texts("Labour MPs")) >= {"labour", "labour_party"}


def test_the_labour_market_is_not_the_labour_party():
    assert "labour_party" not in texts("the labour market")
    assert "labour_party" not in texts("Labour market reforms")
    assert "labour_party" not in texts("child labour")


def test_a_query_for_the_party_prefers_documents_about_the_party():
    query = set(texts("Labour", "query"))
    assert "labour_party" in query
    assert query & set(texts("Labour won")) == {"labour", "labour_party"}
    assert query & set(texts("the labour market")) == {"labour"}


def test_a_lower_case_query_for_labour_finds_both_senses():
    assert texts("labour", "query") == ["labour"]
    assert finds("labour", "Labour won")
    assert finds("labour", "the labour market")


@pytest.mark.parametrize(
    ("party_text", "common_text", "concept"),
    [
        ("the Green Party", "the green belt", "green_party"),
        ("the Greens", "green energy", "green_party"),
        ("the Conservatives", "conservative estimates", "conservative_party"),
        ("a Conservative MP", "a conservative approach", "conservative_party"),
        ("the Liberal candidate", "a liberal attitude", "liberal_party"),
    ],
)
def test_party_names_that_are_also_common_words_are_case_aware(party_text, common_text, concept):
    assert concept in texts(party_text)
    assert concept not in texts(common_text)


def test_all_capitals_headlines_still_name_the_party():
    assert "labour_party" in texts("LABOUR WINS")


# ---------------------------------------------------------------------------------------------
# Possessives, typography, Unicode
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Corbyn's", "corbyn"),
        ("Corbyn’s", "corbyn"),
        ("Corbyn`s", "corbyn"),
        ("MPs'", "mp"),
        ("MPs’", "mp"),
        ("ＬＡＢＯＵＲ", "labour"),
        ("Sinn Féin", "sinn_fein"),
        ("naïve", "naiv"),
    ],
)
def test_possessives_typography_and_unicode_are_normalised(written, expected):
    assert expected in texts(written)


def test_accents_are_folded_so_sinn_fein_matches_sinn_fein():
    assert finds("Sinn Fein", "Sinn Féin leader Gerry Adams")
    assert finds("Sinn Féin", "Sinn Fein leader")


def test_curly_quotes_around_words_do_not_stick_to_them():
    assert texts("‘Tories’ “won”") == ["tori", "conservative_party", "won"]


def test_dotted_initials_read_as_the_acronym():
    assert "united_states" in texts("the U.S. government")
    assert "united_nations" in texts("the U.N. said")


def test_numbers_keep_their_digits():
    assert texts("£1,400 and 3.5 per cent in 2005") == [
        "£1400", "1400", "3.5%", "3.5", "per_cent", "per", "cent", "2005"
    ]  # fmt: skip


def test_a_decimal_amount_is_one_word_with_its_scale():
    # before, "$1.13bn" was two words, "1" and "13bn": a search for 13bn found it
    assert texts("1.13bn 2.5m 10.30am 1,400bn 3.5% 1.5x2") == [
        "1.13bn", "2.5m", "10.30am", "1400bn", "3.5%", "3.5", "1", "5x2"]


# ---------------------------------------------------------------------------------------------
# Stemming and stop words
# ---------------------------------------------------------------------------------------------


def test_ordinary_words_are_snowball_stemmed():
    assert texts("elections voting politicians") == ["elect", "vote", "politician"]


def test_stemming_is_cached_per_word():
    stem = ANALYZER.items[-1]
    stem.stem("governments")
    assert stem._cache["governments"] == "govern"


def test_stop_words_are_removed_and_leave_a_gap_in_the_positions():
    # as Lucene's StopFilter with position increments: "vote" and "House" stand three
    # positions apart, so a phrase "vote House" does not match "vote of the House"
    assert tokens("the vote of the House") == [(1, "vote", False, 4, 8), (4, "hous", False, 16, 21)]
    assert tokens("the vote of the House", removestops=False)[1::2] == [
        (1, "vote", False, 4, 8), (3, "the", False, 12, 15)]


def test_stop_words_can_be_kept_and_marked():
    toks = ANALYZER("the vote", positions=True, removestops=False)
    assert [(t.text, t.stopped, t.pos) for t in toks] == [("the", True, 0), ("vote", False, 1)]


def test_a_stop_word_inside_a_group_does_not_cost_the_group_its_position():
    toks = tokens("the by-election result")
    assert {t[0] for t in toks if t[1] in ("by_election", "byelect", "elect")} == {1}
    assert [t[0] for t in toks if t[1] == "result"] == [2]


def test_a_stop_word_inside_a_lexicon_term_leaves_no_gap():
    # "of the" stand at the term's one position, with its words: the next word is next
    toks = tokens("Chancellor of the Exchequer said")
    assert {t[0] for t in toks if t[1] != "said"} == {0}
    assert [t[0] for t in toks if t[1] == "said"] == [1]


def test_may_and_us_are_not_stop_words_in_british_politics():
    assert "may" in texts("Theresa May")
    assert "united_states" in texts("the US")


# ---------------------------------------------------------------------------------------------
# Filters on their own
# ---------------------------------------------------------------------------------------------


def test_the_tokenizer_alone_splits_words_and_marks_hyphen_links():
    toks = [(t.text, t.hyphen_next) for t in PoliticalTokenizer()("by-election, Corbyn's U.S.")]
    assert toks == [("by", True), ("election", False), ("Corbyn's", False), ("U.S.", False)]


def test_the_normalise_filter_alone_sets_surface_and_lower_case_text():
    toks = NormaliseFilter()(PoliticalTokenizer()("MPs’ Féin"))
    assert [(t.surface, t.text) for t in toks] == [("MP", "mp"), ("Fein", "fein")]


def test_the_stop_filter_alone_keeps_the_positions_of_the_words_it_leaves():
    stream = NormaliseFilter()(PoliticalTokenizer()("the cat of the hat", positions=True))
    assert [(t.text, t.pos) for t in StopFilter(frozenset({"the", "of"}))(stream)] == [
        ("cat", 1),
        ("hat", 4),
    ]


# ---------------------------------------------------------------------------------------------
# multiword_spans and parties_in
# ---------------------------------------------------------------------------------------------


def test_multiword_spans_gives_the_character_spans_of_multi_word_terms():
    text = "Lib Dems and the House of Commons after a by-election"
    assert [text[s:e] for s, e in multiword_spans(text)] == [
        "Lib Dems",
        "House of Commons",
        "by-election",
    ]


def test_multiword_spans_ignores_single_words_and_sense_blockers():
    assert multiword_spans("Tories and PLP and the labour market") == []


def test_ordinary_spans_gives_the_spans_of_the_ordinary_uses_the_lexicon_lists():
    text = "Labour said the labour market, not Conservative plans, beat conservative estimates"
    assert [text[s:e] for s, e in ordinary_spans(text)] == [
        "labour market",
        "conservative estimates",
    ]
    assert ordinary_spans("Lib Dems and the Tories") == []


def test_parties_in_names_the_parties_a_text_mentions():
    text = (
        "Labour, the Tories, the Lib Dems, the SNP, UKIP, Plaid Cymru, the Greens, the DUP, "
        "Sinn Féin, the BNP, Veritas and Respect Party"
    )
    assert parties_in(text) == sorted(
        [
            "Labour", "Conservative", "Liberal Democrat", "SNP", "UKIP", "Plaid Cymru", "Green",
            "DUP", "Sinn Fein", "BNP", "Veritas", "Respect",
        ]
    )  # fmt: skip


def test_parties_in_is_case_aware():
    assert parties_in("the labour market and the green belt") == []
    assert parties_in("a conservative estimate") == []
    assert parties_in("the PLP met") == ["Labour"]


# ---------------------------------------------------------------------------------------------
# Seeds (real political text shipped with the package)
# ---------------------------------------------------------------------------------------------


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seeds folder not present")
def test_on_the_seeds_every_token_points_into_the_text_and_positions_never_decrease():
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        last = 0
        for pos, _tok, _exp, start, end in tokens(text):
            assert pos >= last
            last = pos
            assert 0 <= start < end <= len(text)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seeds folder not present")
def test_on_the_seeds_plp_and_parliamentary_labour_party_index_the_same_concept():
    text = (SEEDS / "000_e1ffd6853301c33a.txt").read_text(encoding="utf-8")
    assert "parliamentary Labour party" in text and "PLP" in text
    doc = texts(text)
    assert doc.count("plp") >= 4
    assert "labour_party" in doc and "member_of_parliament" in doc


# ---------------------------------------------------------------------------------------------
# Inside a Whoosh index
# ---------------------------------------------------------------------------------------------


def test_in_a_whoosh_index_concepts_phrases_and_highlights_work(tmp_path):
    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.query import Phrase, Term

    schema = Schema(id=ID(stored=True), body=TEXT(analyzer=ANALYZER, stored=True))
    ix = index.create_in(str(tmp_path), schema)
    with ix.writer() as writer:
        writer.add_document(id="1", body="The Parliamentary Labour Party met after a by-election.")
        writer.add_document(id="2", body="The labour market is tight, said the Tories.")
    ix = index.open_dir(str(tmp_path))
    assert ix.schema["body"].analyzer == ANALYZER
    with ix.searcher() as searcher:
        hits = searcher.search(Term("body", "plp"))
        assert [h["id"] for h in hits] == ["1"]
        assert "<b" in hits[0].highlights("body") and "Parliamentary Labour Party</b>" in (
            hits[0].highlights("body")
        )
        assert [h["id"] for h in searcher.search(Phrase("body", ["plp", "met"]))] == ["1"]
        assert [h["id"] for h in searcher.search(Term("body", "labour_party"))] == ["1"]
        assert [h["id"] for h in searcher.search(Term("body", "conservative_party"))] == ["2"]


def test_a_copied_token_keeps_every_attribute():
    token = next(iter(ANALYZER("Lib Dems", positions=True, chars=True)))
    copy = token.copy()
    assert (copy.text, copy.pos, copy.startchar, copy.endchar, copy.expansion) == (
        "lib_dem", 0, 0, 8, True,
    )  # fmt: skip


def test_a_token_shows_its_slots_and_what_a_consumer_added_like_whooshs_token():
    token = next(iter(PoliticalTokenizer()("Tories", positions=True)))
    token.matched = True
    shown = repr(token)
    assert shown.startswith("Token(text='Tories', pos=0, ")
    assert shown.endswith(", matched=True)")
    assert repr(token.copy()) == shown


def test_stop_filters_are_equal_when_their_stop_words_are():
    assert StopFilter(frozenset({"the", "of"})) == StopFilter(frozenset({"of", "the"}))
    assert StopFilter(frozenset({"the"})) != StopFilter(frozenset({"of"}))
    assert StopFilter(frozenset({"the"})) != NormaliseFilter()
