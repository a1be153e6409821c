"""Which words are respelled British (``Lexicon.respell``): the US spellings the lexicon's
pairs name, with their endings, and the ``-ize`` family; never a name or a word that only
ends like one. A rule turning any -bor/-gor/-mor/-vor into -our had read ``Trevor Blair`` as
"(trevour OR blair)", and moral, memorable, bored and Bangor as moural, memourable, boured
and bangour; ``luster``, read after any prefix, had made cluster "clustre"."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus_search import CorpusIndex, Document
from corpus_search.analysis.lexicon import load_lexicon

LEX = load_lexicon()


@pytest.mark.parametrize("word", [
    # names
    "trevor", "ivor", "mcivor", "igor", "gabor", "mcgregor", "gillmor", "bangor", "timor",
    "balmoral", "belize", "charlize", "technicolor",
    # words ending as a US spelling does, of another root
    "moral", "morally", "immoral", "amoral", "memorable", "unmemorable", "femoral",
    "humoral", "bored", "boring", "borer", "gored", "goring", "mortgagor", "tremor",
    "survivor", "major", "motor", "cluster", "clustered", "bluster", "fluster",
    "flustered", "baluster", "respecter",
    # British spellings, "maths" among them (the plural "math" was given: "mathss")
    "maths", "labour", "colour", "centre", "programme", "organise",
])  # fmt: skip
def test_a_name_or_a_word_that_only_ends_like_a_us_spelling_is_never_respelled(word):
    assert LEX.respell(word) == word


@pytest.mark.parametrize(("american", "british"), [
    ("labor", "labour"), ("laborers", "labourers"), ("belabored", "belaboured"),
    ("harbored", "harboured"), ("neighborly", "neighbourly"), ("armored", "armoured"),
    ("clamoring", "clamouring"), ("glamor", "glamour"), ("humorless", "humourless"),
    ("rumored", "rumoured"), ("tumors", "tumours"), ("vigor", "vigour"),
    ("rigors", "rigours"), ("favorite", "favourite"), ("unfavorable", "unfavourable"),
    ("flavored", "flavoured"), ("savoring", "savouring"), ("endeavors", "endeavours"),
    ("fervor", "fervour"), ("enamored", "enamoured"), ("armory", "armoury"),
    ("unsavory", "unsavoury"), ("luster", "lustre"), ("lackluster", "lacklustre"),
    ("specters", "spectres"), ("privatizing", "privatising"),
])  # fmt: skip
def test_the_us_spellings_the_pairs_name_are_respelled_with_their_endings(american, british):
    assert LEX.respell(american) == british


def test_no_british_spelling_the_table_gives_is_respelled_again():
    for british in set(LEX.spelling.values()):
        assert LEX.respell(british) == british, british


@given(st.text(alphabet="abeilmnorsuvz", min_size=1, max_size=14))
def test_a_respelled_word_is_british_already(word):
    once = LEX.respell(word)
    assert LEX.respell(once) == once


def test_a_search_for_trevor_is_understood_as_trevor(tmp_path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="a", title="a", body="Trevor McDonald met Mr Blair.")])
        results = ix.search("Trevor Blair", filters={"party": "SNP"}, correct=False)
        assert results.total == 0
        assert results.parsed_query == "(trevor OR blair)"
        assert ix.search("trevour", correct=False).total == 0
