"""The note on a count of a word that counts other words of its stem: ``count government``.

A count reads a word as search does, through its stem: ``government`` is ``govern``, so the
512 BBC documents it counts are those writing government or governments (479), and 33 more
writing only governing, governance, governed or govern. Nothing said so, and the key terms
of the same query lead with "government" in 91.8% of the matches, where the guide said every
match holds the query's word. The note says how many matches hold only other forms of a word
typed (its plural, or singular, is the word itself), and which forms those are, most held
first; its figures are ``other_forms_only`` and ``other_forms`` (``count --json``). The
count itself is left as search reads the word: its stemming is tuned and evaluated, and
``--literal`` counts the words as written.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
from whoosh import query

from corpus_search.analysis.text import normalise_word
from corpus_search.analysis.tokens import WORD
from corpus_search.search.lexicon_spans import query_lexicon_spans
from corpus_search.search.operators import OPERATORS
from corpus_search.search.ranking import TEXT_FIELDS
from corpus_search.search.vocabulary import vocabulary

if TYPE_CHECKING:
    from typing import Any

    from corpus_search.search.engine import QueryEngine
    from corpus_search.search.matching import Matches
    from corpus_search.search.state import SearchSource

__all__ = ["NAMED_FORMS", "other_forms_note", "tell_other_forms"]

#: the most other forms a note names, most held first ("and 3 more" after them)
NAMED_FORMS = 4

#: a plain word standing alone in a query: not quoted, marked (``-``, ``~``, ``*``), nor a
#: field's (``title:``)
_PLAIN = re.compile(r"(?<![\w\"'*?~:^-])[^\W\d_]+(?![\w\"'*?~:^-])")
_QUOTED = re.compile(r'"[^"]*"?')


def tell_other_forms(index: SearchSource, found: Matches) -> None:
    """Tell in ``found``, for each plain word of its query that is no lexicon term nor a word
    of one the query types (a term is counted in the forms the lexicon lists: "Office" of
    "Home Office" is no word counted through its stem), how many of the matches hold it only
    in other forms of its stem, and which (:func:`other_forms_note`)."""
    if found.query is None or not found.matching.any():
        return
    analyzer, text = index.schema["body"].analyzer, found.searched
    within = query_lexicon_spans(text, index.lexicon)
    seen: set[str] = set()
    for m in _PLAIN.finditer(_QUOTED.sub(lambda q: " " * len(q.group()), text)):
        word = m.group()
        tokens = list(analyzer(word, mode="query"))
        if word in OPERATORS or word.lower() in seen or len(tokens) != 1 \
                or tokens[0].kind is not WORD or getattr(tokens[0], "expansion", False) \
                or any(start <= m.start() < end for start, end in within):
            continue
        seen.add(word.lower())
        only, forms = _other_forms(analyzer, found, word, tokens[0].text)
        if only:
            found.tell(other_forms_note(word, only, int(found.matching.sum()), forms),
                       other_forms_only=only, other_forms=forms)


def other_forms_note(word: str, only: int, total: int, forms: list[str]) -> str:
    """The note on the ``only`` documents of a count of ``total`` that hold ``word`` only in
    other ``forms`` of its stem."""
    named = ", ".join(forms[:NAMED_FORMS]) + (
        f" and {len(forms) - NAMED_FORMS} more" if len(forms) > NAMED_FORMS else "")
    which = "document" if total == 1 else "documents"
    hold = "holds" if only == 1 else "hold"
    return (f"{only} of the {total} {which} counted {hold} {word} only in other forms of "
            f"the word ({named}): a count reads a word through its stem, as search does; to "
            f'count "{word}" as written, use --literal (Python: literal=True)')


def _other_forms(analyzer: Any, found: Matches, word: str, stem: str) -> tuple[int, list[str]]:
    """How many matches write ``word`` (its ``stem``) only in forms other than the word and
    its plural or singular, and those forms (as the words field keys them), most held
    first. A match holding the stem through a narrower term alone (Blair's "Blairite") has
    its own note."""
    engine = found.engine
    terms = [query.Term(field, stem) for field in TEXT_FIELDS]
    holding = found.matching & engine.docs(query.Or(terms))
    key = normalise_word(word)[1]
    own = vocabulary(engine).holding(
        [f for k in _number_forms(key) for f in vocabulary(engine).forms(k)])
    only = holding & ~own
    if not only.any():
        return 0, []
    held: dict[str, int] = {}
    written = np.zeros(engine.size, dtype=bool)  # (not one counted otherwise: "Blairite")
    for other in _stem_keys(analyzer, engine, stem):
        docs = only & vocabulary(engine).holding(vocabulary(engine).forms(other))
        if n := int(docs.sum()):
            held[other] = n
            written |= docs
    return int(written.sum()), sorted(held, key=lambda k: (-held[k], k))


def _number_forms(key: str) -> set[str]:
    """``key`` and its regular plural or singular (``government``, ``governments``;
    ``policies``, ``policy``; ``taxes``, ``tax``): the word itself, as a reader counts it."""
    forms = {key, key + "s", key + "es"}
    if key.endswith("y"):
        forms.add(key[:-1] + "ies")
    if key.endswith("s"):
        forms.add(key[:-1])
    if key.endswith("es"):
        forms.add(key[:-2])
    if key.endswith("ies"):
        forms.add(key[:-3] + "y")
    return forms


def _stem_keys(analyzer: Any, engine: QueryEngine, stem: str) -> list[str]:
    """The words field's keys whose stem is ``stem`` (those starting as it does, its last
    letter aside: ``polici`` is policy's stem)."""
    start = stem[:max(1, len(stem) - 1)]
    keys = [k for k in vocabulary(engine).keys_starting(stem[0]) if k.startswith(start)]
    return [k for k in keys
            if [t.text for t in analyzer(k, mode="query") if t.kind is WORD] == [stem]]

