"""A wildcard pattern reads only the part of the vocabulary it can match, and finds exactly
what a scan of the whole vocabulary finds.

:func:`~corpus_search.search.spelling.expand_pattern` used to read every word of the index's
``words`` field (over 40,000 on the BBC corpus) for any pattern; a pattern that starts with
letters now reads only the words with its first letter (in any case). The reference below is
the scan it made before, over every key Whoosh's own reader lists: on fixtures with odd
words (capitals, accents, letters with no accent to fold, several segments, deleted and
replaced documents) and odd patterns, both give the same words in the same order, and refuse
the same over-broad patterns with the same count.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left
from pathlib import Path

import pytest

from conftest import needs_shared
from corpus_search import CorpusIndex, Document
from corpus_search.analysis.lexicon import Lexicon
from corpus_search.errors import PatternTooBroad
from corpus_search.search import spelling
from corpus_search.search import vocabulary as vocabulary_module
from corpus_search.search.engine import QueryEngine, engine_for_ranking
from corpus_search.search.ranking import RANKING
from corpus_search.search.spelling import expand_pattern, fold_pattern
from corpus_search.search.vocabulary import Vocabulary, vocabulary

_WILDCARDS = re.compile(r"([*?])")


def scanned_expansion(keys: list[str], pattern: str, lexicon: Lexicon) -> list[str]:
    """expand_pattern as it was: the sorted keys of the whole vocabulary scanned."""
    folded = fold_pattern(pattern)
    regex = spelling.wildcard_regex(folded)
    literal = [p for p in _WILDCARDS.split(folded) if p]
    head = literal[0] if literal and literal[0] not in ("*", "?") else ""
    tail = literal[-1] if literal and literal[-1] not in ("*", "?") and not head else ""
    if head:
        pool = keys[bisect_left(keys, head[0]):bisect_left(keys, head[0] + "\U0010ffff")]
    else:
        pool = keys
    found = []
    for key in pool:
        if regex.fullmatch(key) or spelling._respelled_match(key, regex, head, tail, lexicon):
            found.append(key)
            if len(found) > spelling.MAX_PATTERN_WORDS:
                raise PatternTooBroad(pattern, sum(1 for k in pool if regex.fullmatch(k)),
                                      spelling.MAX_PATTERN_WORDS)
    return found


def whooshs_keys(ix: CorpusIndex) -> list[str]:
    """Every key of the words field by Whoosh's own reader: each term, lower case."""
    reader = ix.searcher().reader()
    return sorted({term.decode("utf-8").lower() for term in reader.lexicon("words")})


def fresh_vocabulary(ix: CorpusIndex) -> Vocabulary:
    """A vocabulary of the index that has read nothing yet (not the one searches share)."""
    return Vocabulary(engine_for_ranking(ix.searcher(), RANKING))


def outcome(expand, pattern: str):
    try:
        return expand(pattern)
    except PatternTooBroad as refused:
        return ("refused", str(refused))


ODD_WORDS = [
    # capitals: a word some texts write in lower case, one only capitalised, one in capitals
    "Britain British british BRITISH Brittany britannia Britpop BRIT",
    # American and British spellings, and words either way round the splice
    "privatisation privatised privatising privatize organisation organization centre labour",
    "election elections electioneering selection elation Election ELECTION",
    "nation station ration tuition Tuition NATION",
    # accents folded, letters with no accent to fold, other alphabets
    "café Café Élysée élite naïve Øresund øre Ørsted Ælfric æther straße Straße",
    "İstanbul Ωmega ωmega Θeta θeta Kelvin Åland Ångström ẞtraße",
    "Blair blair's Blair's O'Brien o'clock McDonald MCDONALD",
]

PATTERNS = [
    "privatiz*", "privatis*", "privati?ation", "ele?tion", "Ele?tion", "ELE?TION", "?lection",
    "Brit*", "brit*", "BRIT*", "Bri?ish", "*tion", "*tions", "*ization", "*isation", "*",
    "café*", "Cafe*", "CAF?", "élys*", "Elys*", "øre*", "Øre*", "ORE*", "æ*", "Æ*", "ß*",
    "stra*", "i*", "İ*", "ω*", "Ω*", "θ*", "k*", "å*", "Å*", "blair's*", "O'B*", "o*", "mc*",
    "b*", "B*", "e*", "zzz*", "z?", "?", "*?*", "b*n", "b?i*", "*a*",
]


def _index(path: Path) -> CorpusIndex:
    ix = CorpusIndex(path)
    ix.add_documents([Document(id=f"odd{n}", title=f"Odd words {n}", body=words)
                      for n, words in enumerate(ODD_WORDS)])
    # a second segment, a deleted document and a replaced one
    ix.add_documents([Document(id="more", title="More", body="Britons britches Brixton"),
                      Document(id="gone", title="Gone", body="Britishness electorate")])
    ix.delete("gone")
    ix.add_documents([Document(id="odd0", title="Odd words 0", body="Britain Brittle")])
    return ix


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory):
    index = _index(tmp_path_factory.mktemp("patterns") / "ix")
    yield index
    index.close()


@pytest.mark.parametrize("pattern", PATTERNS)
def test_a_pattern_finds_what_a_scan_of_the_whole_vocabulary_finds(ix: CorpusIndex, pattern):
    lexicon = ix.lexicon
    keys = whooshs_keys(ix)
    expected = outcome(lambda p: scanned_expansion(keys, p, lexicon), pattern)
    fresh = fresh_vocabulary(ix)
    assert outcome(lambda p: expand_pattern(fresh, p, lexicon), pattern) == expected
    read = fresh_vocabulary(ix)
    read.keys()  # the whole vocabulary read first (a spelling correction did)
    assert outcome(lambda p: expand_pattern(read, p, lexicon), pattern) == expected


@pytest.mark.parametrize("pattern", ["b*", "Brit*", "*tion", "ele?tion", "e*"])
def test_a_refused_pattern_is_refused_as_a_whole_scan_refuses_it(
    ix: CorpusIndex, monkeypatch: pytest.MonkeyPatch, pattern
):
    monkeypatch.setattr(spelling, "MAX_PATTERN_WORDS", 1)
    lexicon = ix.lexicon
    expected = outcome(lambda p: scanned_expansion(whooshs_keys(ix), p, lexicon), pattern)
    assert outcome(lambda p: expand_pattern(fresh_vocabulary(ix), p, lexicon), pattern) == expected


def test_the_shared_vocabulary_follows_an_incremental_index_run(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Britain\n\nBritain voted.\n", encoding="utf-8")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(corpus)
        shared = vocabulary(engine_for_ranking(ix.searcher(), RANKING))
        assert expand_pattern(shared, "Brit*", ix.lexicon) == ["britain"]
        (corpus / "b.txt").write_text("British\n\nBritish voters.\n", encoding="utf-8")
        (corpus / "a.txt").write_text("Britons\n\nBritons voted.\n", encoding="utf-8")
        ix.index_directory(corpus)
        shared = vocabulary(engine_for_ranking(ix.searcher(), RANKING))
        found = expand_pattern(shared, "Brit*", ix.lexicon)
        assert found == scanned_expansion(whooshs_keys(ix), "Brit*", ix.lexicon)
        assert {"british", "britons"} <= set(found)
        assert {h.id for h in ix.search("Brit*").hits} == {"a", "b"}


def test_the_terms_read_for_a_letter_are_all_those_whose_lower_case_starts_with_it():
    # (the Kelvin sign's lower case is k, the dotted capital I's starts with i)
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        lower = char.lower()
        if lower and char not in (lower[0], lower[0].upper(), lower[0].title()):
            assert char in vocabulary_module._initials(lower[0]), f"U+{code:04X}"
    assert vocabulary_module._initials("k") == ["K", "k", "\u212a"]


def test_a_pattern_starting_with_letters_reads_only_the_terms_of_its_first_letter(
    ix: CorpusIndex
):
    vocab = fresh_vocabulary(ix)
    prefixes: list[bytes] = []
    whole = QueryEngine.lexicon

    def recorded(self, fieldname, prefix=b""):
        prefixes.append(prefix)
        return whole(self, fieldname, prefix)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(QueryEngine, "lexicon", recorded)
        assert expand_pattern(vocab, "Brit*", ix.lexicon)
        assert expand_pattern(vocab, "bri?ish", ix.lexicon) == ["british"]
        assert sorted(prefixes) == [b"B", b"b"]  # read once, for both patterns
        expand_pattern(vocab, "*tion", ix.lexicon)
        assert prefixes[-1] == b""  # a leading wildcard reads every term


class _Forgetful(dict):
    """A cache that keeps nothing: every pattern matched as often as it is read."""

    def __setitem__(self, key, value) -> None:
        pass


@pytest.mark.parametrize("query", ["voted Brit*", "Britons OR bri?ish", "Brit* Britain"])
def test_a_query_matches_each_of_its_patterns_against_the_vocabulary_once(
    ix: CorpusIndex, monkeypatch: pytest.MonkeyPatch, query
):
    # "Lib Dem*" was matched twice (for the lexicon terms it completes, then again for the
    # query shown as searched), "budget priv*" five times (the terms, then the parser for
    # each field, twice over); the words found are the same each time
    matched: list[str] = []
    scan = spelling._expand_pattern

    def recorded(vocab, pattern, lexicon):
        matched.append(pattern)
        return scan(vocab, pattern, lexicon)

    def searched(text: str) -> tuple[str, dict[str, float]]:
        results = ix.search(text, correct=False)
        return results.parsed_query, {h.id: h.score for h in results.hits}

    monkeypatch.setattr(spelling, "_expand_pattern", recorded)
    monkeypatch.setattr(spelling, "_EXPANDED", type(spelling._EXPANDED)(lambda _: _Forgetful()))
    unkept = searched(f" {query}")  # (another text than below: not a parse kept either)
    assert len(matched) > len(set(matched))
    matched.clear()
    monkeypatch.setattr(spelling, "_EXPANDED", type(spelling._EXPANDED)(lambda _: {}))
    assert searched(f"{query} ") == unkept
    assert sorted(matched) == sorted(set(matched)) and matched


@needs_shared
@pytest.mark.parametrize("pattern", [
    "privatiz*", "ele?tion", "Brit*", "*tion", "*ization", "Blair*", "café*", "Ele?tion",
    "s*", "e*", "m?n*", "*ing",
])
def test_bbc_patterns_find_what_a_scan_of_the_whole_vocabulary_finds(
    bbc_index: CorpusIndex, pattern
):
    lexicon = bbc_index.lexicon
    keys = whooshs_keys(bbc_index)
    expected = outcome(lambda p: scanned_expansion(keys, p, lexicon), pattern)
    fresh = fresh_vocabulary(bbc_index)
    assert outcome(lambda p: expand_pattern(fresh, p, lexicon), pattern) == expected

