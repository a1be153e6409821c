"""Repeated blurbs (newsletter sign-ups, donation appeals) found across a folder's documents
and kept out of their bodies.

What a site repeats around its articles (mastheads, share and subscribe prompts) sits at a
body's start or end; a line that several articles share inside their text (a statement quoted
in several stories) is the articles' own. So a repeated line is removed only from the runs of
such lines at a body's edges, and a line holding a quotation mark is never one. A line
shaped like a site's menu (:mod:`corpus_search.ingest.menus`) is counted however short, and
a text's first line is its title only if it is not such a repeated menu (:func:`settled`).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from corpus_search.ingest.menus import looks_like_menu, title_of_line
from corpus_search.ingest.model import Document
from corpus_search.ingest.sources import compile_pattern

__all__ = [
    "DIGEST_SIZE",
    "KNOWN_BLURBS",
    "LineCounts",
    "body_lines",
    "edge_places",
    "find_boilerplate",
    "line_digest",
    "normalise_line",
    "removed_lines",
    "settled",
    "strip_boilerplate",
    "without_boilerplate",
]


# Blurbs always removed, even from a single document. Each pattern is removed wherever it
# matches inside a line; a line left with nothing but punctuation is dropped.
KNOWN_BLURBS: tuple[str, ...] = (
    r"Your support helps us to tell the story\.?",
    r"From reproductive rights to climate change to Big Tech, The Independent is on the ground"
    r"[^\n]*?from the messaging\.",
    r"At such a critical moment in US history, we need reporters on the ground\.[^\n]*?"
    r"both sides of the story\.",
    r"The Independent is trusted by Americans across the entire political spectrum\.[^\n]*?"
    r"those who can afford it\.",
    r"Your support makes all the difference\.",
    r"Stay up to date with notifications from The Independent\.?",
    r"Notifications can be managed in browser preferences\.?",
    r"Join thought-provoking conversations, follow other Independent readers and see their"
    r" replies\.?",
    r"Join our commenting forum",
    r"Please refresh the page or navigate to another page on the site to be automatically"
    r" logged in\.?",
    r"Please refresh your browser to be logged in\.?",
    r"Thank you for registering",
    r"More from LabourList(?:\.\.\.|…)?",
    r"Sign up (?:to|for) (?:our|the) [\w'\s-]{0,40}newsletter[^\n]{0,120}",
    r"Subscribe to (?:our|the) [\w'\s-]{0,40}newsletter[^\n]{0,120}",
    r"(?:Please )?(?:consider )?support(?:ing)? (?:our|independent) journalism[^\n]{0,120}",
)


# Every blurb above contains one of these words; bodies without any are not scanned further.
_BLURB_KEYWORDS = (
    "support", "independent", "notifications", "commenting", "refresh", "registering",
    "labourlist", "newsletter", "journalism",
)  # fmt: skip


@functools.cache
def _blurb_re() -> re.Pattern[str]:
    """Every known blurb, one alternation, compiled when a body first holds a blurb's word."""
    return compile_pattern("|".join(f"(?:{p})" for p in KNOWN_BLURBS), re.IGNORECASE)


#: a line can hold a blurb only if its casefolded text holds one of these words (every blurb
#: has one; "reporters" is the Independent's US appeal's), or one of the two characters that
#: an ignore-case "i" also matches but casefolds to something else (İ, ı): the blurb pattern,
#: a long alternation, is tried only on such lines
_LINE_KEYS = (*_BLURB_KEYWORDS, "reporters", "\u0131", "\u0307")
#: the two characters above: a line holding one is tried with every blurb
_ODD_I = ("\u0131", "\u0307")


@functools.cache
def _blurbs_with(keys: tuple[str, ...]) -> re.Pattern[str]:
    """The known blurbs whose pattern holds one of the line keys ``keys``, one alternation.

    A blurb matches a line only if the line's casefolded text holds a word the blurb
    requires (every blurb requires one of the line keys; ignoring case, a letter matches only
    letters that casefold to it, but for the odd i's of _ODD_I), so a line is searched with
    the blurbs of the keys it holds, not all of them (the whole alternation is slow: a
    quarter of the news lines hold "support" or "independent")."""
    return compile_pattern(
        "|".join(f"(?:{p})" for p in KNOWN_BLURBS if any(k in p.lower() for k in keys)),
        re.IGNORECASE,
    )
_LEFTOVER = re.compile(r"^[\W_]*$")
#: the shortest line counted as a repeated line (shorter ones, "PA Images", "Comments", are
#: common in text and are passed over at a body's edges, neither removed nor ending its run)
MIN_CHARS, MIN_WORDS = 25, 4
#: the double quotation marks: a line holding one is never boilerplate (the module's rule)
_QUOTE_MARKS = frozenset('"\u201c\u201d\u201e\u00ab\u00bb')
_BLANK_RUN = re.compile(r"\n{3,}")


def normalise_line(line: str) -> str:
    """The form lines are compared in: whitespace collapsed, trimmed, casefolded."""
    return _normalised(line.split())  # (str.split's whitespace is re's \s)


def _normalised(words: list[str]) -> str:
    """A line's normalised form from its words (:func:`normalise_line`)."""
    return " ".join(words).casefold()


def find_boilerplate(
    bodies: Iterable[str], min_docs: int = 3, *, min_chars: int = MIN_CHARS,
    min_words: int = MIN_WORDS,
) -> frozenset[str]:
    """The lines that may be boilerplate (:func:`body_lines`) found in at least ``min_docs``
    distinct ``bodies`` (:class:`LineCounts`), normalised."""
    counts = LineCounts(min_chars=min_chars, min_words=min_words)
    for body in bodies:
        counts.add(body)
    return counts.common(min_docs)


def body_lines(
    body: str, *, min_chars: int = MIN_CHARS, min_words: int = MIN_WORDS
) -> frozenset[str]:
    """The normalised lines of ``body`` that may be boilerplate: those of at least
    ``min_chars`` characters and ``min_words`` words, or shaped like a site's menu
    (:func:`~corpus_search.ingest.menus.looks_like_menu`: ``Home | News | Sport``, which no
    article says), holding no quotation mark."""
    out = set()
    for line in body.splitlines():
        words = line.split()
        if not words or not _QUOTE_MARKS.isdisjoint(line):
            continue
        # (a line of fewer words is left before it is normalised: casefolding makes no
        # whitespace and takes none away, so the normalised line has as many words)
        if len(words) >= min_words and len(normalised := _normalised(words)) >= min_chars:
            out.add(normalised)
        elif looks_like_menu(line):
            out.add(_normalised(words))
    return frozenset(out)


#: bytes of a line's or a body's digest (:func:`line_digest`)
DIGEST_SIZE = 8


def line_digest(text: str) -> bytes:
    """The digest a line (or a body) is counted by, and that a folder's record keeps."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"),
                           digest_size=DIGEST_SIZE).digest()


class LineCounts:
    """In how many distinct bodies each line that may be boilerplate (:func:`body_lines`)
    occurs, counted by digest (:func:`line_digest`: what an index's record keeps of them,
    :class:`corpus_search.repeated.FolderLines`). Identical bodies count once, so exact
    duplicates do not turn an article's lines into boilerplate."""

    def __init__(self, *, min_chars: int = MIN_CHARS, min_words: int = MIN_WORDS) -> None:
        self.counts: Counter[bytes] = Counter()
        self.texts: dict[bytes, str] = {}  # digest -> line, for the lines read
        self._seen: set[bytes] = set()
        self._min_chars = min_chars
        self._min_words = min_words

    def add(self, body: str, lines: Iterable[str] | None = None) -> None:
        """Count the lines of ``body`` (``lines``: its :func:`body_lines` of this object's
        minimums, if worked out already), unless an identical body was counted already."""
        key = line_digest(body)
        if key not in self._seen:
            self.count(key, self.learn(body, lines))

    def learn(self, body: str, lines: Iterable[str] | None = None) -> list[bytes]:
        """The digests of the lines of ``body`` (``lines``: as :meth:`add`), their texts
        kept, not counted."""
        if lines is None:
            lines = body_lines(body, min_chars=self._min_chars, min_words=self._min_words)
        digests = []
        for line in lines:
            digest = line_digest(line)
            self.texts[digest] = line
            digests.append(digest)
        return digests

    def count(self, body: bytes, digests: Iterable[bytes]) -> None:
        """Count the lines of digests ``digests`` of the body of digest ``body``, unless an
        identical body was counted already."""
        if body not in self._seen:
            self._seen.add(body)
            self.counts.update(digests)

    def common_digests(self, min_docs: int) -> set[bytes]:
        """The digests of the lines counted in at least ``min_docs`` distinct bodies."""
        return {digest for digest, n in self.counts.items() if n >= min_docs}

    def common(self, min_docs: int) -> frozenset[str]:
        """The lines counted in at least ``min_docs`` distinct bodies, of those whose text
        was learnt (all of them, unless some were counted by digest alone)."""
        texts = self.texts
        return frozenset(texts[d] for d in self.common_digests(min_docs) if d in texts)


def _holds_blurb(line: str, keys: tuple[str, ...]) -> bool:
    """Does ``line`` hold a known blurb? (``keys``: the line keys its body holds.)"""
    folded = line.casefold()
    held = tuple(key for key in keys if key in folded)
    if not held:
        return False
    if any(key in _ODD_I for key in held):
        return _blurb_re().search(line) is not None
    return _blurbs_with(held).search(line) is not None


def _edge_runs(lines: list[str], repeated: frozenset[str]
               ) -> tuple[dict[int, str], dict[int, str]]:
    """The lines of ``lines`` (a body's) that are in ``repeated`` (normalised) and lie in its
    leading run of such lines, then those in its trailing run, by index, normalised. Blank
    and short lines (under :data:`MIN_WORDS` words or :data:`MIN_CHARS` characters) neither
    end a run nor are removed; the first line of the article's own text ends it."""
    runs: tuple[dict[int, str], dict[int, str]] = ({}, {})
    for found, order in zip(runs, (range(len(lines)), range(len(lines) - 1, -1, -1)),
                            strict=True):
        for n in order:
            words = lines[n].split()
            normalised = _normalised(words)
            if normalised in repeated:
                found[n] = normalised
            elif len(words) >= MIN_WORDS and len(normalised) >= MIN_CHARS:
                break
    return runs


def _edge_lines(lines: list[str], repeated: frozenset[str]) -> dict[int, str]:
    """The lines of both runs of :func:`_edge_runs`, by index, normalised."""
    leading, trailing = _edge_runs(lines, repeated)
    return {**leading, **trailing} if trailing else leading


def edge_places(body: str, lines: frozenset[str]) -> dict[str, str]:
    """Where each repeated line of ``lines`` (normalised) that :func:`strip_boilerplate`
    removes from ``body`` stands: ``"start"`` (in its leading run) or ``"end"`` (in its
    trailing run; a line in both, the start)."""
    leading, trailing = _edge_runs(body.splitlines(), lines)
    places = {line: "end" for line in trailing.values()}
    places.update((line, "start") for line in leading.values())
    return places


def removed_lines(body: str, lines: frozenset[str]) -> frozenset[str]:
    """The repeated lines of ``lines`` that :func:`strip_boilerplate` removes from ``body``,
    normalised (:func:`without_boilerplate`'s)."""
    return without_boilerplate(body, lines)[1]


def strip_boilerplate(body: str, lines: frozenset[str]) -> str:
    """``body`` without known blurbs, and without the repeated lines of ``lines`` (compared
    normalised) that the module's rule removes (:func:`without_boilerplate`'s text)."""
    return without_boilerplate(body, lines)[0]


def without_boilerplate(body: str, lines: frozenset[str]) -> tuple[str, frozenset[str]]:
    """``body`` without known blurbs and without the repeated lines of ``lines`` at its
    edges, and those lines, normalised (what an index report names): the lines removed are
    found once, for both."""
    lowered = body.lower()
    keys: tuple[str, ...] = ()
    if any(keyword in lowered for keyword in _BLURB_KEYWORDS):
        # the line keys the body holds (casefolding maps character by character, so a key in
        # a line's casefolded text is in the body's): a line is tried for a blurb if it holds
        # one of them (substring tests, not a regex alternation tried at every character)
        folded = body.casefold()
        keys = tuple(key for key in _LINE_KEYS if key in folded)
    out: list[str] = []
    its_lines = body.splitlines()
    edges = _edge_lines(its_lines, lines) if lines else {}
    for n, line in enumerate(its_lines):
        if n in edges:
            continue
        if keys and _holds_blurb(line, keys):
            line = _blurb_re().sub("", line)
            if _LEFTOVER.match(line):
                continue
        out.append(line)
    # collapse the blank runs left behind (if any: a substring test is cheaper than the scan)
    text = "\n".join(out)
    text = (_BLANK_RUN.sub("\n\n", text) if "\n\n\n" in text else text).strip()
    return text, frozenset(edges.values())


def settled(doc: Document, boilerplate: frozenset[str]) -> Document:
    """``doc`` as its folder reads it, now that its repeated lines (``boilerplate``,
    normalised) are known: read titled after its menu lines (``menu_reading``) if they are
    repeated lines, else titled by the first of them that is not; without the note. A
    document of no such reading is returned as it is."""
    if doc.menu_reading is None:
        return doc
    passed, title_line, markdown = doc.menu_reading
    lines = doc.body.splitlines()
    for n, line in enumerate(lines[:passed]):
        if line.strip() and normalise_line(line) not in boilerplate:
            body = lines[:n] + lines[n + 1:passed] + [title_line] + lines[passed:]
            return replace(doc, title=title_of_line(line, markdown),
                           body="\n".join(body).strip(), menu_reading=None)
    return replace(doc, menu_reading=None)
