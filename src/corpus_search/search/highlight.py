"""Snippets: the words a query matches, marked in the best passage of a document's body.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from whoosh import highlight, query
from whoosh.analysis import Token

from corpus_search.analysis.text import HYPHENS
from corpus_search.errors import Unsupported
from corpus_search.search.engine import any_engine, engine_for_ranking
from corpus_search.search.hits import Snippet, squash
from corpus_search.search.ranking import Ranking
from corpus_search.search.snippet_places import Found, marks_of_places

if TYPE_CHECKING:
    from whoosh.searching import Searcher


class _SegmentFormatter(highlight.Formatter):
    """A Whoosh formatter that returns structured pieces instead of marked-up text."""

    def format_fragment(self, fragment: Any, replace: bool = False) -> tuple[tuple[str, bool], ...]:
        pieces: list[tuple[str, bool]] = []
        index = fragment.startchar
        text = fragment.text
        for tok in sorted(fragment.matches, key=lambda t: (t.startchar, -t.endchar)):
            if tok.startchar is None or tok.startchar < index:
                continue
            if tok.startchar > index:
                pieces.append((text[index : tok.startchar], False))
            pieces.append((text[tok.startchar : tok.endchar], True))
            index = tok.endchar
        if index < fragment.endchar:
            pieces.append((text[index : fragment.endchar], False))
        return tuple(pieces)

    def format(self, fragments: list[Any], replace: bool = False) -> Any:
        return tuple(self.format_fragment(f) for f in fragments)


def highlight_words(searcher: Searcher, q: query.Query, ranking: Ranking) -> frozenset[str]:
    """The body-field words of ``q`` (wildcards and fuzzy terms expanded) to mark in snippets.

    Multi-term queries expand through the engine, so the marked words are the matched ones
    (Whoosh's fuzzy walk finds others). (Whoosh's own ``Query.existing_terms`` reuses its
    ``fieldname`` argument as a loop variable and so drops every field but the first.)
    """
    reader = searcher.reader()
    field = searcher.schema["body"]
    words = set()
    for leaf in sought_leaves(q):
        if leaf.field() != "body":
            continue
        if isinstance(leaf, query.MultiTerm) and not isinstance(leaf, query.Variations):
            expanded = engine_for_ranking(searcher, ranking).expand(leaf)
            words.update(field.from_bytes(b) for b in expanded)
            continue
        for fieldname, text in leaf.expanded_terms(reader, phrases=True):
            if fieldname != "body":
                continue
            btext = text if isinstance(text, bytes) else field.to_bytes(text)
            if (fieldname, btext) in reader:
                words.add(field.from_bytes(btext))
    return frozenset(words)


def sought_leaves(q: query.Query) -> Iterator[query.Query]:
    """The leaves of ``q`` a document is found for, not those it must not hold (``NOT
    Labour``): a word the query excludes is no place of it."""
    if isinstance(q, query.Not):
        return
    if isinstance(q, query.AndNot):
        yield from sought_leaves(q.a)
    elif q.is_leaf():
        yield q
    else:
        for child in q.children():
            yield from sought_leaves(child)


class _WordFragmenter(highlight.PinpointFragmenter):
    """Whoosh's pinpoint fragments, trimmed only where they cut a word: Whoosh's own trim
    dropped the first and last word of every passage, so a passage from the opening of the
    text lost its first word and one at its end lost the last ("Body text about the
    budget." showed as "text about the budget")."""

    @staticmethod
    def _autotrim(fragment: Any) -> None:
        text, start, end = fragment.text, fragment.startchar, fragment.endchar
        if start > 0 and not text[start - 1].isspace():
            cut = _WHITESPACE.search(text, start, end)
            if cut:
                start = cut.end()
        if end < len(text) and not text[end].isspace():
            cuts = list(_WHITESPACE.finditer(text, start, end))
            if cuts:
                end = cuts[-1].start()
        if fragment.matches:
            start = min(start, fragment.matches[0].startchar)
            end = max(end, fragment.matches[-1].endchar)
        fragment.startchar, fragment.endchar = start, end


_WHITESPACE = re.compile(r"\s+")

class _PlaceScorer(highlight.BasicFragmentScorer):
    """Whoosh's passage score (its marks' boosts, times a hundred for each distinct term
    marked), a place's words counted as they were when each was a mark of its own: a place's
    boost is how many marked words it holds, and its ``terms`` those words' terms."""

    def __call__(self, f: Any) -> float:
        terms = set().union(*(getattr(t, "terms", (t.text,)) for t in f.matches))
        return sum(t.boost for t in f.matches) * ((len(terms) * 100) or 1)


def _place_tokens(text: str, marks: list[Token], spans: list[tuple[int, int]]) -> list[Token]:
    """A marked token for each place of ``spans``, scored as the ``marks`` inside it were."""
    out = []
    for start, end in spans:
        inside = [t for t in marks if start <= t.startchar < end]
        out.append(Token(text=text[start:end], pos=0, startchar=start, endchar=end,
                         matched=True, boost=float(len(inside) or 1),
                         terms=frozenset(t.text for t in inside) or {text[start:end]}))
    return out


#: passages of at most 220 characters around the marked words, built from the marks alone
_HIGHLIGHTER = highlight.Highlighter(
    fragmenter=_WordFragmenter(maxchars=220, surround=70, autotrim=True, charlimit=None),
    scorer=_PlaceScorer(), formatter=None,
)


def marked_tokens(analyzer: Any, text: str, words: frozenset[str]) -> list[Token]:
    """Tokens of ``text`` whose terms are among ``words``, one per start (the longest),
    as Whoosh's highlighter marks them. The analyzer's ``matching_tokens`` finds them
    without running every word through the token pipeline."""
    if hasattr(analyzer, "matching_tokens"):
        found = analyzer.matching_tokens(text, words)
    else:
        found = [
            (t.text, t.pos, t.startchar, t.endchar)
            for t in analyzer(text, positions=True, chars=True, mode="index", removestops=False)
            if t.text in words
        ]
    return _as_tokens(_parts_apart(analyzer, text, found))


def _parts_apart(analyzer: Any, text: str, found: list[Found]) -> list[Found]:
    """``found`` without the words found only as a part of a hyphenated compound that the
    lexicon reads whole as a term of its own: "election" in "by-election" (``by_election``),
    "operation" in "co-operation", "mail" in "e-mail". The compound is its own term, not a
    place of its part's word (the index holds the part there too, so the document still
    matches and ranks by it; the mark shows where the query's words are written). A part
    naming a term itself keeps its mark ("Labour" in "ex-Labour": the party)."""
    kept = []
    for item in found:
        start, end = _compound(text, item[2], item[3])
        if (start, end) == (item[2], item[3]) or not _own_term(analyzer, text[start:end]):
            kept.append(item)
    return kept


def _compound(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the hyphenated compound the word at ``start:end`` is part of (the word's
    own span when it is joined to none)."""
    while start > 1 and text[start - 1] in HYPHENS and text[start - 2].isalnum():
        start -= 1
        while start and text[start - 1].isalnum():
            start -= 1
    while end + 1 < len(text) and text[end] in HYPHENS and text[end + 1].isalnum():
        end += 1
        while end < len(text) and text[end].isalnum():
            end += 1
    return start, end


@functools.lru_cache(maxsize=4096)
def _own_term(analyzer: Any, compound: str) -> bool:
    """Does the lexicon read ``compound`` whole as a concept (a token of kind "concept"
    spanning all of it)?"""
    return any(getattr(t, "kind", None) == "concept" and t.startchar == 0
               and t.endchar == len(compound)
               for t in analyzer(compound, mode="index", chars=True, positions=True))


def _as_tokens(found: list[Found]) -> list[Token]:
    """The marked tokens of ``found`` (``matching_tokens``' items): one per start, the
    longest (the first of those as long), in text order."""
    longest: dict[int, Found] = {}
    for item in found:
        kept = longest.get(item[2])
        if kept is None or item[3] > kept[3]:
            longest[item[2]] = item
    return [
        Token(text=w, pos=pos, startchar=start, endchar=end, matched=True, boost=1.0)
        for w, pos, start, end in sorted(longest.values(), key=lambda item: item[2])
    ]


#: the characters of a body read first for the words to mark, as many as Whoosh's highlighter
#: looked at (its ``charlimit``); a long body is read on, in stretches twice as long each
#: time, only while none is found
SNIPPET_WINDOW = 2**15


def _first_marks(analyzer: Any, text: str, words: frozenset[str]) -> list[Token]:
    """The marked tokens of the first stretch of ``text`` that holds one of the ``words``
    (:data:`SNIPPET_WINDOW` characters, then twice as many as the stretch before, each
    ending at a line break or space), their offsets in ``text``. A body of 12 MB was read
    whole for each hit (2.1 s), and the marks past Whoosh's ``charlimit`` then dropped, so
    a match further in showed the opening unmarked.
    """
    start, length = 0, SNIPPET_WINDOW
    while start < len(text):
        end = start + length
        length *= 2
        if end < len(text):
            cut = text.find("\n", end, end + 2000)
            space = _WHITESPACE.search(text, end) if cut < 0 else None
            end = cut if cut >= 0 else space.start() if space else len(text)
        marks = marked_tokens(analyzer, text[start:end], words)
        if marks:
            for token in marks:
                token.startchar += start
                token.endchar += start
            return marks
        start = end
    return []


def _body_counts(
    searcher: Searcher, docnum: int, words: frozenset[str]
) -> dict[str, int] | None:
    """How many tokens of each of the ``words`` the body of document ``docnum`` holds, as
    the index counts them (a posting's weight: one a position in a body field unboosted),
    or None where the index cannot say (no array engine for it)."""
    field = searcher.schema["body"]
    if getattr(field.format, "field_boost", None) != 1.0:
        return None
    try:
        engine = any_engine(searcher)
    except Unsupported:
        return None
    counts: dict[str, int] = {}
    for word in words:
        term = engine.term("body", word)
        at = int(term.docs.searchsorted(docnum))
        if at < len(term.docs) and term.docs[at] == docnum:
            weight = float(term.weights[at])
            if not weight.is_integer():
                return None
            counts[word] = int(weight)
    return counts


def _short_body_counts(
    searcher: Searcher, text: str, words: frozenset[str], docnum: int | None
) -> dict[str, int] | None:
    """The index's counts of the ``words`` in a body :func:`_first_marks` reads whole (no
    longer than :data:`SNIPPET_WINDOW`), to read it in places; None: read it whole."""
    if docnum is None or len(text) > SNIPPET_WINDOW:
        return None
    return _body_counts(searcher, docnum, words)


def _marks_in_places(
    searcher: Searcher, text: str, words: frozenset[str], counts: dict[str, int] | None
) -> list[Token] | None:
    """The marks of a short body found in the places that can hold one and checked against
    the index's ``counts`` (:mod:`corpus_search.search.snippet_places`); None: read it whole."""
    if counts is None:
        return None
    analyzer = searcher.schema["body"].analyzer
    found = marks_of_places(analyzer, text, words, counts)
    return None if found is None else _as_tokens(_parts_apart(analyzer, text, found))


def _body_holds(searcher: Searcher, docnum: int, words: frozenset[str]) -> bool:
    """Whether the body of document ``docnum`` holds one of the ``words``, as its postings
    say: a long body that matched by its title alone is not read through for nothing."""
    reader = searcher.reader()
    field = searcher.schema["body"]
    for word in words:
        btext = field.to_bytes(word)
        if ("body", btext) in reader:
            postings = reader.postings("body", btext)
            postings.skip_to(docnum)
            if postings.is_active() and postings.id() == docnum:
                return True
    return False


def make_snippet(
    searcher: Searcher, text: str, words: frozenset[str], docnum: int | None = None,
    places: Callable[[str, Sequence[Token], int | None], list[tuple[int, int]]] | None = None,
) -> Snippet:
    """Up to two passages of ``text`` around the ``words``, as Whoosh's highlighter picks them
    (from the first stretch of a long body that holds one). ``docnum``, the document whose
    body ``text`` is, lets a long body that holds none of them go unread. ``places`` (see
    :func:`~.query_places.snippet_places`) finds among the words marked the query's places
    to mark instead, if there are any (a quoted phrase where it stands, not its words
    elsewhere).

    Falls back to the opening of the text when no word matches.
    """
    pieces: Any = ()
    if words and (
        docnum is None or len(text) <= SNIPPET_WINDOW or _body_holds(searcher, docnum, words)
    ):
        # (out of the guard below: reading the index's counts checks the query's time budget)
        counts = _short_body_counts(searcher, text, words, docnum)
        try:
            marks = _marks_in_places(searcher, text, words, counts)
            if marks is None:
                marks = _first_marks(searcher.schema["body"].analyzer, text, words)
            if places is not None and (spans := places(text, marks, docnum)):
                marks = _place_tokens(text, marks, spans)
            fragments = _HIGHLIGHTER.fragmenter.fragment_matches(text, marks)
            fragments = highlight.top_fragments(
                fragments, 2, _HIGHLIGHTER.scorer, _HIGHLIGHTER.order, minscore=1
            )
            pieces = _SegmentFormatter().format(_joined(text, fragments))
        except Exception:  # a snippet is a nicety: never fail a search over one
            pieces = ()
    return Snippet(tuple(pieces)) if pieces else opening_snippet(text)


def _joined(text: str, fragments: list[Any]) -> list[Any]:
    """The passages in text order, those that overlap or touch (only spaces between them)
    joined into one: each reaches 70 characters either side of its matches, so two matches
    a sentence apart gave passages sharing words, shown twice across the "…" that says text
    was left out ("... if it wins the general election. … general election. Shadow ...")."""
    joined: list[Any] = []
    for fragment in sorted(fragments, key=lambda f: f.startchar):
        last = joined[-1] if joined else None
        if last is not None and not text[last.endchar : fragment.startchar].strip():
            joined[-1] = highlight.Fragment(
                text, [*last.matches, *fragment.matches], last.startchar,
                max(last.endchar, fragment.endchar))
        else:
            joined.append(fragment)
    return joined


def opening_snippet(text: str, chars: int = 220) -> Snippet:
    """The snippet of a document whose body holds no match (the title alone matched): its
    first ``chars`` characters, spacing squashed, a word cut at the end dropped, so a short
    body is shown whole (cutting its last word anyway once lost "5 May." and "£100.")."""
    lead = _opening(text, chars + 1)
    if len(lead) > chars:
        lead = lead[:chars] if lead[chars] == " " else lead[:chars].rsplit(" ", 1)[0]
    lead = lead.strip()
    return Snippet((((lead, False),),) if lead else ())


def _opening(text: str, chars: int = 220) -> str:
    """The first ``chars`` characters of ``text`` with its spacing squashed, read from its
    start alone (squashing a 12 MB body whole for them took 0.7 s)."""
    head = squash(text[: chars * 16])
    if len(head) <= chars and len(text) > chars * 16:
        head = squash(text)
    return head[:chars]
