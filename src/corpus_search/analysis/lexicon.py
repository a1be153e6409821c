"""Loading, validating and fingerprinting the analyzer's vocabulary data files.

The vocabulary lives in ``corpus_search/data/lexicon/*.tsv`` (see ``docs/analyzer.md`` for the
format). :func:`load_lexicon` reads those files plus any user files, validates every line (a
malformed line raises :class:`~corpus_search.errors.LexiconError` naming file and line) and
compiles the lookup tables the analyzer needs: a word trie for lexicon terms, the spelling
table, the protected words and the stop words. A :class:`Lexicon` is immutable once loaded and
pickles as the paths of its user files only.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from corpus_search.analysis.compiled_cache import (
    compiled_key,
    read_compiled,
    stamped_key,
    write_compiled,
)
from corpus_search.analysis.text import HYPHENS, WORD_RE, normalise_word
from corpus_search.errors import LexiconError
from corpus_search.terminal import counted

__all__ = ["BegunTerm", "Entry", "Lexicon", "bare_form", "form_markers", "load_lexicon"]


def _form_words(form: str) -> list[tuple[str, bool]]:
    """Split a lexicon form into ``(raw word, joined_by_hyphen_to_previous)`` pairs."""
    out: list[tuple[str, bool]] = []
    prev_end = -1
    for m in WORD_RE.finditer(form):
        hyphen = prev_end >= 0 and m.start() == prev_end + 1 and form[prev_end] in HYPHENS
        out.append((m.group(), hyphen))
        prev_end = m.end()
    return out


_CONCEPT_RE = re.compile(r"^(?:[a-z0-9]+(?:_[a-z0-9]+)*|-)$")


_SECTIONS = (
    "terms", "context", "spelling", "spelling-base", "spelling-keep", "protected", "stems",
    "stopwords", "honorifics",
)  # fmt: skip


#: Derivational endings a ``[spelling-base]`` pair applies to ("honor" -> "dishonorable").
DERIVATIONAL_SUFFIXES = (
    "", "s", "ed", "ing", "er", "ers", "able", "ably", "ful", "fully", "less", "ite", "ites",
    "hood", "hoods", "al", "ally", "ist", "ists", "ism", "ly",
)  # fmt: skip


_IZE_RE = re.compile(r"^([a-z]{3,}?)(i|y)z(e|es|ed|ing|er|ers|ation|ations|ational|able)$")


_OR_RE = re.compile(
    r"^([a-z]*(?:b|g|m|v)or)(s|ed|ing|er|ers|able|ably|ful|fully|less|ite|ites|hood|hoods"
    r"|al|ally|ist|ists|ism|ly|)$"
)


@dataclass(frozen=True)
class Entry:
    """One ``[terms]`` line: a concept, its surface forms and attributes.

    A form starting with ``?`` is ambiguous: it stands for the concept only in a text whose
    context confirms it (see :attr:`Lexicon.context`). A form starting with ``!`` is a
    query's only: what a searcher types for the concept ("by election"), which a document
    writing it means otherwise (no context confirms it).
    """

    concept: str
    forms: tuple[str, ...]
    party: str | None
    also: tuple[str, ...]
    source: str
    line: int
    #: the concepts its forms do not imply though they begin with one of their forms (the
    #: ``also`` column's ``-free_schools``: free school meals are not free schools); see
    #: :func:`_begun_terms`
    unlike: tuple[str, ...] = ()


class BegunTerm(str):
    """A concept in the output of a longer form that begins with one of its forms
    ("general_election" for "general election campaign"): ``words`` is how many of the
    longer form's words name it, which its token's offsets span (a highlight or a
    concordance marks "general election", not the campaign)."""

    words: int

    @classmethod
    def of(cls, concept: str, words: int) -> BegunTerm:
        term = cls(concept)
        term.words = words
        return term


#: The slots of a lexicon trie node, a list ``[lower, cased, output]`` (plain indices: the trie
#: is read per token, and a list index is the cheapest access). ``node[LOWER]`` maps a
#: caseless word key to the next node and ``node[CASED]`` a case-sensitive key (a key starting
#: with "-" is a word hyphen-linked to the one before); ``node[OUTPUT]`` is None, or the
#: concepts a form ending at this node yields. The trie's root is such a node.
LOWER, CASED, OUTPUT = 0, 1, 2


def _new_node() -> list:
    return [{}, {}, None]


def word_nodes(trie: list, surf: str, low: str) -> tuple[list | None, list | None]:
    """The nodes below ``trie`` of the word ``normalise_word`` gives as ``(surf, low)``: its
    caseless key's and its case-sensitive key's (None where there is none; a word whose surface
    is its lower-case form, ``surf is low``, has no case-sensitive key)."""
    return trie[LOWER].get(low), trie[CASED].get(surf) if surf is not low else None


@dataclass(frozen=True, eq=False)
class Lexicon:
    """The loaded, immutable vocabulary. Build it with :func:`load_lexicon`."""

    fingerprint: str
    extra_paths: tuple[str, ...]
    sources: tuple[str, ...]
    entries: tuple[Entry, ...]
    stopwords: frozenset[str]
    protected: frozenset[str]
    #: ``[stems]``: word -> the stem it takes instead of Snowball's (a common word Snowball
    #: folds onto a party's name: labourers onto Labour)
    stems: Mapping[str, str]
    spelling_keep: frozenset[str]
    spelling: Mapping[str, str]
    parties: Mapping[str, str]
    max_words: int
    #: The compiled lexicon forms, read by the analyzer's lexicon stage and fast paths: a word
    #: trie whose nodes are ``[lower-case children, case-sensitive children, output]`` (the
    #: children map a word to the next node; the output is what a form ending there yields);
    #: index a node with LOWER, CASED and OUTPUT.
    trie: list = field(repr=False)
    _prefix_spelling: Mapping[str, str] = field(repr=False)
    #: Each concept that has ambiguous (``?``) forms -> the concepts whose presence in a text
    #: (from unambiguous forms) confirms them, itself included. Empty in a resolved lexicon.
    context: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))
    #: The ambiguous concepts whose forms are active: None in a loaded lexicon (all of them,
    #: subject to context), a set in a lexicon :meth:`resolved` for one text.
    confirmed: frozenset[str] | None = None
    #: First word of an ambiguous form -> its concepts (caseless keys, case-sensitive keys),
    #: for the forms a text can confirm (not a query's only forms: see _ambiguous_starts).
    ambiguous_starts: tuple[Mapping[str, frozenset[str]], Mapping[str, frozenset[str]]] = field(
        default=(MappingProxyType({}), MappingProxyType({})), repr=False
    )
    #: Each concept -> the ambiguous concepts whose context it is (the inverse of context).
    confirms: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: MappingProxyType({}), repr=False
    )
    #: Each concept -> the concepts its mentions imply: its ``also`` (plp -> labour_party) and
    #: the terms its forms begin with (election_campaign -> general_election, for "general
    #: election campaign"), which the index holds at the same place (see _begun_terms)
    implied: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: MappingProxyType({}), repr=False
    )
    #: Each concept -> the concepts its entry refuses (the ``also`` column's ``-free_schools``):
    #: neither the terms its forms begin with nor a term overlapping one of its forms
    unlike: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: MappingProxyType({}), repr=False
    )
    #: Words that style a person before the name (Mr, Lady, Sir, Baroness), in lower case: a
    #: query reads one before a name as a weak part of the name's place (search.groups)
    honorifics: frozenset[str] = frozenset()
    _ambiguous_paths: tuple = field(default=(), repr=False)
    _strict_trie: list | None = field(default=None, repr=False)
    _resolved: dict = field(default_factory=dict, repr=False)
    #: the lengths of the keys of ``_prefix_spelling``, longest first, and their last 5 letters
    _prefix_lengths: tuple[int, ...] = field(default=(), repr=False)
    _prefix_ends: frozenset[str] = field(default=frozenset(), repr=False)
    _party_names: dict = field(default_factory=dict, repr=False)
    _overlaps: dict = field(default_factory=dict, repr=False)
    #: The acronyms among the case-sensitive forms (``=MP``, ``?=NEC``), as written: what a
    #: query typed in lower case may still mean (``TypedAcronymFilter``); compiled and cached
    cased_acronyms: frozenset[str] = field(default=frozenset(), repr=False)
    #: Every concept token the lexicon can emit (compiled: a query's parser reads it)
    concepts: frozenset[str] = field(default=frozenset(), repr=False)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Lexicon) and other.fingerprint == self.fingerprint

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def __reduce__(self) -> tuple:
        # Pickle small: only the user files; the data is reloaded (and cached) on unpickle.
        if self.confirmed is not None:
            return (_resolved_lexicon, (self.extra_paths, tuple(sorted(self.confirmed))))
        return (load_lexicon, (list(self.extra_paths) or None,))

    def resolved(self, confirmed: frozenset[str]) -> Lexicon:
        """This lexicon for one text: the ambiguous forms of ``confirmed`` concepts act as
        ordinary forms, the other ambiguous forms are left out. Cached per set.

        ``context`` of the result is empty, so nothing in it is ambiguous any more.
        """
        if self.confirmed is not None:
            raise ValueError("resolved() applies to a loaded lexicon, not a resolved one")
        confirmed = frozenset(c for c in confirmed if c in self.context)
        lex = self._resolved.get(confirmed)
        if lex is None:
            if len(self._resolved) >= _RESOLVED_MAX:
                self._resolved.clear()
            trie = self._strict_trie
            if confirmed:
                trie = _with_paths(
                    trie, [(p, out) for c, p, out in self._ambiguous_paths if c in confirmed]
                )
            digest = hashlib.sha256(
                (self.fingerprint + "?" + ",".join(sorted(confirmed))).encode()
            ).hexdigest()[:16]
            lex = self._resolved[confirmed] = dataclasses.replace(
                self,
                fingerprint=digest,
                trie=trie,
                context=MappingProxyType({}),
                confirms=MappingProxyType({}),
                confirmed=confirmed,
                ambiguous_starts=(MappingProxyType({}), MappingProxyType({})),
                _ambiguous_paths=(),
                _resolved={},
                _overlaps={},
            )
        return lex

    def overlapping(self, first: tuple[str, ...], second: tuple[str, ...],
                    shared: tuple[str, ...] = ()) -> tuple[str, ...]:
        """The concepts of a form that begins on the last word of a longer match, which the
        text also names there ("Conservative Party leader": ``party_leader`` after
        ``conservatives``; "council tax rise": ``tax_rises``).

        The match the text is read as (``first``'s concepts) took the word the two share, so
        the form going on from it (``second``'s concepts) would be lost; the words it adds
        say what the match is about (its leader, its rise), so its concept holds there too.
        Not where the shared word names a term on its own (``shared``: "Cabinet") that the
        match does not give: the match then narrows that term to another thing, which the
        form's words go on about ("a Shadow Cabinet meeting" is no meeting of the Cabinet),
        so a concept that is or implies the term is left out. Nor a concept tagging a party,
        unless the match names that party already (a New Labour government is a Labour
        government; a party is otherwise named by its own forms alone), nor one the match
        gives or implies already, nor one refused, on either side, by ``-concept`` in an
        ``also`` column ("European Union links" are no union links)."""
        key = (first, second, shared)
        out = self._overlaps.get(key)
        if out is None:
            given = set(first)
            for c in first:
                given |= self.implied.get(c, frozenset())
            refused = set(given)
            for c in first:
                refused |= self.unlike.get(c, frozenset())
            narrowed = set(shared) - given
            named = {self.parties[c] for c in first if c in self.parties}
            out = tuple(
                c for c in second
                if c not in refused
                and (c not in self.parties or self.parties[c] in named)
                and not any(a in self.unlike.get(c, ()) for a in first)
                and not narrowed & ({c} | self.implied.get(c, frozenset()))
            )
            if len(self._overlaps) >= _RESOLVED_MAX:
                self._overlaps.clear()
            self._overlaps[key] = out
        return out

    def party_named(self, name: str) -> str | None:
        """The display name of the party ``name`` names as a whole, in any case: a display
        name or any form of a party's concept, ambiguous forms included, in American spelling
        too ("veritas" -> "Veritas", "lib dems" -> "Liberal Democrat", "Labor" -> "Labour").
        None if it names no party."""
        names = self._party_names
        if not names:
            for key, party, _concept in self._party_name_keys():
                names.setdefault(key, party)
            for party in self.parties.values():  # a display name is the party's own
                names[self._name_key(party)] = party
        return names.get(self._name_key(name))

    def _party_name_keys(self) -> Iterator[tuple[str, str, str]]:
        """``(key, display name, concept)`` for each name of a party (a form of a party's
        concept, in the singular and the plural every form also matches, or its display
        name), the key as :meth:`party_named` reads one, line by line."""
        for e in self.entries:
            party = self.parties.get(e.concept)
            if party is None or e.concept == "-":
                continue
            for form in (*e.forms, party):
                key = self._name_key(_form_body(form)[2])
                yield key, party, e.concept
                yield key + "s", party, e.concept

    def _name_key(self, text: str) -> str:
        return " ".join(self.respell(normalise_word(w)[1]) for w in WORD_RE.findall(text))

    def respell(self, word: str) -> str:
        """British spelling of a lower-case word (``"organize"`` -> ``"organise"``)."""
        keep = self.spelling_keep
        if word in keep:
            return word
        table = self.spelling
        r = table.get(word)
        if r is not None:
            return r
        # the longest tail (of 5 letters or more, not the whole word) that the table
        # respells; only tails as long as a key are looked up, so this is linear in the word
        # (most words end in no tail's last 5 letters, hold no "z" and no "or": one look-up)
        n = len(word)
        if word[-5:] in self._prefix_ends:
            pre = self._prefix_spelling
            for length in self._prefix_lengths:
                if 5 <= length < n:
                    r = pre.get(word[n - length :])
                    if r is not None:
                        return word[: n - length] + r
        m = _IZE_RE.match(word) if "z" in word else None
        if m:
            base, vowel, suffix = m.groups()
            if base + vowel + "ze" in keep or base + vowel + "z" + suffix in keep:
                return word
            return f"{base}{vowel}s{suffix}"
        m = _OR_RE.match(word) if "or" in word else None
        if m:
            base, suffix = m.groups()
            if base in keep:
                return word
            return f"{base[:-2]}our{suffix}"
        return word


@dataclass
class _Raw:
    entries: list[Entry] = field(default_factory=list)
    spelling: list[tuple[str, str, str, int]] = field(default_factory=list)
    base: list[tuple[str, str, str, int]] = field(default_factory=list)
    keep: set[str] = field(default_factory=set)
    protected: set[str] = field(default_factory=set)
    stems: dict[str, str] = field(default_factory=dict)
    stopwords: set[str] = field(default_factory=set)
    honorifics: set[str] = field(default_factory=set)
    #: [context] lines: (name, items, source, line)
    context: list[tuple[str, tuple[str, ...], str, int]] = field(default_factory=list)


def _parse(text: str, source: str, raw: _Raw) -> None:
    section = "terms"
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip().lower()
            if section not in _SECTIONS:
                raise LexiconError(
                    f"{source}, line {lineno}: unknown section [{section}] "
                    f"(expected one of {', '.join(_SECTIONS)})"
                )
            continue
        cols = [c.strip() for c in line.rstrip("\r\n").split("\t")]
        where = f"{source}, line {lineno}"
        if section == "terms":
            _parse_term(cols, where, source, lineno, raw)
        elif section == "context":
            _parse_context(cols, where, source, lineno, raw)
        elif section in ("spelling", "spelling-base"):
            if len(cols) != 2 or not all(cols):
                raise LexiconError(
                    f"{where}: expected 'american<TAB>british' in [{section}], got {line!r}"
                )
            am, br = cols[0].lower(), cols[1].lower()
            if not (am.isalpha() and br.isalpha()):
                raise LexiconError(f"{where}: spellings must be single words, got {line!r}")
            (raw.spelling if section == "spelling" else raw.base).append((am, br, source, lineno))
        elif section == "stems":
            _parse_stem(cols, where, raw)
        else:
            if len(cols) != 1 or not cols[0] or " " in cols[0]:
                raise LexiconError(
                    f"{where}: expected one word per line in [{section}]"
                    + (" (a tab-separated concept line belongs under a [terms] header)"
                       if len(cols) > 1 else "")
                )
            word = normalise_word(cols[0])[1]
            if not word:
                raise LexiconError(f"{where}: {cols[0]!r} is not a word")
            {"spelling-keep": raw.keep, "protected": raw.protected, "stopwords": raw.stopwords,
             "honorifics": raw.honorifics}[section].add(word)


def _parse_stem(cols: list[str], where: str, raw: _Raw) -> None:
    """A ``[stems]`` line: ``word<TAB>stem``, the stem ``word`` takes instead of Snowball's."""
    if len(cols) != 2 or not all(cols):
        raise LexiconError(f"{where}: expected 'word<TAB>stem' in [stems], got {cols!r}")
    word, stem = (normalise_word(col)[1] for col in cols)
    if not (word.isalpha() and stem.isalpha()):
        raise LexiconError(f"{where}: a word and its stem must be single words, got {cols!r}")
    raw.stems[word] = stem


def _parse_term(cols: list[str], where: str, source: str, lineno: int, raw: _Raw) -> None:
    if len(cols) < 2 or len(cols) > 4:
        spaced = len(cols) == 1 and re.search(r"\S\s{2,}\S", cols[0])
        raise LexiconError(
            f"{where}: expected 'concept<TAB>forms[<TAB>party[<TAB>also]]' "
            f"(tab-separated), got {counted(len(cols), 'column')}"
            + ("; the line has spaces where a tab should be (an editor may have turned its "
               "tabs into spaces)" if spaced else "")
        )
    concept, forms_col = cols[0], cols[1]
    party = cols[2] if len(cols) > 2 and cols[2] else None
    also_col = cols[3] if len(cols) > 3 else ""
    if not _CONCEPT_RE.match(concept):
        raise LexiconError(
            f"{where}: concept {concept!r} must be lower-case words joined by '_' (or '-')"
        )
    forms = tuple(f.strip() for f in forms_col.split("|"))
    if not forms or any(not f or not _form_words(_form_body(f)[2]) for f in forms):
        raise LexiconError(f"{where}: empty or wordless form in {forms_col!r}")
    if party and (party == party.lower() or _CONCEPT_RE.match(party)):
        raise LexiconError(
            f"{where}: party display name {party!r} should be capitalised like 'Labour' "
            "(did you mean the 4th, 'also', column? leave the 3rd empty: two tabs)"
        )
    items = [a.strip() for a in also_col.split(",") if a.strip()]
    also = tuple(a for a in items if not a.startswith("-"))
    unlike = tuple(a[1:].strip() for a in items if a.startswith("-"))
    for a in (*also, *unlike):
        if a == "-" or not _CONCEPT_RE.match(a):
            raise LexiconError(f"{where}: 'also' concept {a!r} is not a valid concept name")
    if concept == "-" and (party or items):
        raise LexiconError(f"{where}: a '-' (sense-blocking) line cannot have party or also")
    if concept == "-" and any(_form_body(f)[0] for f in forms):
        raise LexiconError(
            f"{where}: a '-' (sense-blocking) form cannot be ambiguous ('?') or a query's only "
            "('!')"
        )
    raw.entries.append(Entry(concept, forms, party, also, source, lineno, unlike))


def _parse_context(cols: list[str], where: str, source: str, lineno: int, raw: _Raw) -> None:
    if len(cols) != 2 or not cols[0] or not cols[1]:
        raise LexiconError(
            f"{where}: expected 'name<TAB>concept, concept, ...' in [context], "
            f"got {counted(len(cols), 'column')}"
        )
    items = tuple(a.strip() for a in cols[1].split(",") if a.strip())
    for name in (cols[0], *items):
        if name == "-" or not _CONCEPT_RE.match(name):
            raise LexiconError(f"{where}: {name!r} in [context] is not a valid concept name")
    raw.context.append((cols[0], items, source, lineno))


def form_markers(form: str) -> tuple[str, str]:
    """A lexicon form's markers and its words: ``?=NEC`` is ("?=", "NEC"), ``!by election``
    ("!", "by election"), ``Labour`` ("", "Labour"). ``?`` marks an ambiguous form, ``=`` a
    case-sensitive one, ``!`` a query's only; a space may follow each. The one reading of
    them: every module that takes a form's words or markers asks this."""
    markers = ""
    while form[:1] in ("?", "=", "!"):
        markers += form[0]
        form = form[1:].strip()
    return markers, form


def bare_form(form: str) -> str:
    """A lexicon form's words, its markers left out (:func:`form_markers`): ``?=NEC`` is
    ``NEC``."""
    return form_markers(form)[1]


def _form_body(form: str) -> tuple[bool, bool, str]:
    """``(ambiguous, cased, words)`` of a form: ``?=NEC`` is (True, True, "NEC"); a query's
    only form (``!by election``) is ambiguous too (see :func:`_query_only`)."""
    markers, words = form_markers(form)
    return "?" in markers or "!" in markers, "=" in markers, words


def _cased_acronyms(entries: Sequence[Entry]) -> frozenset[str]:
    """:attr:`Lexicon.cased_acronyms` of the lines ``entries``."""
    bodies = (_form_body(form) for entry in entries for form in entry.forms)
    return frozenset(body for _ambiguous, cased, body in bodies
                     if cased and len(body) >= 2 and body.isalpha() and body.isupper())


def _query_only(form: str) -> bool:
    """Is ``form`` a query's only (``!by election``)? It is compiled as an ambiguous form of a
    name no text can confirm (``!`` and the concept's): a query reads it, a document never."""
    return "!" in form_markers(form)[0]


def _plural(word: str) -> str | None:
    if not word or word[-1] in "sS" or not word[-1].isalpha():
        return None
    if len(word) > 2 and word[-1] in "yY" and word[-2].lower() not in "aeiou":
        return word[:-1] + ("IES" if word.isupper() else "ies")
    return word + ("S" if word.isupper() and len(word) > 3 else "s")


def _form_paths(form: str) -> list[list[tuple[str, bool, bool]]]:
    """Word-key paths for a form: ``[(key, cased, hyphen_required), ...]`` per variant."""
    _ambiguous, cased, body = _form_body(form)
    words = _form_words(body)
    variants: list[list[tuple[str, bool]]] = [words]
    if any(h for _, h in words):  # "by-election" also matches "byelection"
        joined: list[tuple[str, bool]] = []
        for w, h in words:
            if h and joined:
                joined[-1] = (joined[-1][0] + w, joined[-1][1])
            else:
                joined.append((w, h))
        variants.append(joined)
    for v in list(variants):
        plural = _plural(v[-1][0])
        if plural:
            variants.append([*v[:-1], (plural, v[-1][1])])
    paths: list[list[tuple[str, bool, bool]]] = []
    for v in variants:
        spellings = [v] if cased else [v, [(w.lower(), h) for w, h in v]]
        for sv in spellings:
            path = []
            for w, h in sv:
                surface, key = normalise_word(w)
                if not key:
                    break
                is_cased = cased and surface != key
                path.append((surface if is_cased else key, is_cased, h))
            else:
                if path and path not in paths:
                    paths.append(path)
    return paths


def _compile_trie(
    entries: Sequence[Entry],
) -> tuple[
    list, int, dict[str, str], list[tuple], dict[str, frozenset[str]], dict[str, frozenset[str]]
]:
    """The trie of every unambiguous form, the word count of the longest form (ambiguous ones
    included), the party names, ``(concept, path, outputs)`` for each ambiguous form, and
    each concept's implied concepts (its ``also`` and the terms its forms begin with: see
    :func:`_begun_terms`) and the concepts its entry refuses (``-concept``)."""
    root = _new_node()
    max_words = 1
    parties: dict[str, str] = {e.concept: e.party for e in entries if e.party}
    ambiguous: list[tuple] = []
    placed: list[tuple[Entry, list, list]] = []  # (entry, path, its outputs as compiled)
    for e in entries:
        outputs = [] if e.concept == "-" else [e.concept, *e.also]
        for form in e.forms:
            for path in _form_paths(form):
                max_words = max(max_words, len(path))
                if _form_body(form)[0]:
                    name = "!" + e.concept if _query_only(form) else e.concept
                    out = list(outputs)
                    ambiguous.append((name, path, out))
                    placed.append((e, path, out))
                    continue
                node = root
                for key, cased, hyphen in path:
                    k = "-" + key if hyphen else key
                    children = node[CASED] if cased else node[LOWER]
                    child = children.get(k)
                    if child is None:
                        child = children[k] = _new_node()
                        if cased and key.upper() != key:
                            children.setdefault(("-" if hyphen else "") + key.upper(), child)
                    node = child
                if node[OUTPUT] is None:
                    node[OUTPUT] = []
                for c in outputs:
                    if c not in node[OUTPUT]:
                        node[OUTPUT].append(c)
                placed.append((e, path, node[OUTPUT]))
    implied: dict[str, set[str]] = {}
    unlike: dict[str, set[str]] = {}
    for e in entries:
        if e.concept != "-":
            implied.setdefault(e.concept, set()).update(e.also)
            unlike.setdefault(e.concept, set()).update(e.unlike)
    begun = [
        (e, out, _begun_terms(root, path, parties))
        for e, path, out in placed
        if out and len(path) > 2 and e.concept not in parties
    ]  # all read before any is added: a form begins with a term, not with what that begins with
    for e, out, concepts in begun:
        for c, words in concepts:
            if c not in unlike[e.concept] and c not in out:
                out.append(BegunTerm.of(c, words))
                implied[e.concept].add(c)
    _freeze(root)
    ambiguous = [(name, path, tuple(out)) for name, path, out in ambiguous]
    return root, max_words, parties, ambiguous, {
        c: frozenset(also) for c, also in implied.items() if also
    }, {c: frozenset(refused) for c, refused in unlike.items() if refused}


def _begun_terms(root: list, path: list, parties: Mapping[str, str]) -> list[tuple[str, int]]:
    """The concepts of the forms of two or more words that the form ``path`` begins with,
    short of its whole, with the number of words of each: "general election campaign"
    begins with "general election" (2).

    A text writing the longer form names the shorter term, then says more about it (its
    campaign, its Act, its levy), so the index holds that term there too and a search for
    ``"general election"`` finds "the general election campaign". Only where the longer form
    begins: a term it ends with is what it narrows to another thing (a shadow home secretary
    is not the Home Secretary, the Irish Labour Party not Labour). A term tagging a party is
    left to that party's own forms, and a party's own name yields no other term (the caller
    skips those); an entry refuses one with ``-concept`` in its ``also`` column."""
    out: list[tuple[str, int]] = []
    states = [root]
    for i, (key, cased, hyphen) in enumerate(path[:-1]):
        linked = hyphen and i > 0  # a hyphen the text has: keys with or without it match
        low = key.lower()
        new = []
        for n in states:
            keys = [(n[LOWER], low)] + ([(n[CASED], key)] if cased else [])
            for children, k in keys:
                for probe in (k, "-" + k) if linked else (k,):
                    child = children.get(probe)
                    if child is not None and all(child is not m for m in new):
                        new.append(child)
        states = new
        if not states:
            break
        if i:
            for n in states:
                concepts = n[OUTPUT]
                if concepts and not any(c in parties for c in concepts):
                    out += [(c, i + 1) for c in concepts if all(c != o for o, _ in out)]
    return out


def _copy_node(node: list) -> list:
    return [dict(node[LOWER]), dict(node[CASED]), node[OUTPUT]]


def _with_paths(root: list, items: Sequence[tuple[list, tuple[str, ...]]]) -> list:
    """A copy of the frozen trie ``root`` with more ``(path, outputs)``; only the nodes along
    the new paths are copied, the rest is shared."""
    new_root = _copy_node(root)
    owned = {id(new_root)}
    for path, outputs in items:
        node = new_root
        for key, cased, hyphen in path:
            k = "-" + key if hyphen else key
            children = node[CASED] if cased else node[LOWER]
            old = children.get(k)
            if old is not None and id(old) in owned:
                node = old
                continue
            child = _new_node() if old is None else _copy_node(old)
            owned.add(id(child))
            children[k] = child
            if cased and key.upper() != key:  # the ALL-CAPS alias shares the node
                up = ("-" if hyphen else "") + key.upper()
                if children.get(up, old) is old:
                    children[up] = child
            node = child
        outs = list(node[OUTPUT] or ())
        outs += [c for c in outputs if c not in outs]
        node[OUTPUT] = tuple(outs)
    return new_root


def _inverse(context: Mapping[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for ambiguous, confirming in context.items():
        for c in confirming:
            out.setdefault(c, set()).add(ambiguous)
    return {c: frozenset(v) for c, v in out.items()}


def _ambiguous_starts(
    ambiguous: Sequence[tuple], context: Mapping[str, frozenset[str]], strict: list
) -> tuple[Mapping, Mapping]:
    """First word keys of the ambiguous forms some text can confirm (caseless,
    case-sensitive) -> their concepts.

    A form is confirmed by a concept of its context that the plain reading (the ``strict``
    trie, no ambiguous form) finds; a concept with no such concept in its context (a query's
    only form: "!by election") is never confirmed, so its first words ("by") need no look
    at the text's context: they read as the plain reading reads them.
    """
    plain = _trie_concepts(strict)
    lower: dict[str, set[str]] = {}
    cased: dict[str, set[str]] = {}
    for concept, path, _outputs in ambiguous:
        if context[concept].isdisjoint(plain):
            continue
        key, is_cased, _hyphen = path[0]
        if is_cased:
            cased.setdefault(key, set()).add(concept)
            cased.setdefault(key.upper(), set()).add(concept)
        else:
            lower.setdefault(key, set()).add(concept)
    return (
        MappingProxyType({k: frozenset(v) for k, v in lower.items()}),
        MappingProxyType({k: frozenset(v) for k, v in cased.items()}),
    )


def _trie_concepts(root: list) -> set[str]:
    """Every concept a node of the trie ``root`` outputs."""
    out: set[str] = set()
    stack = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:  # (an upper-case key shares its node with the cased one)
            continue
        seen.add(id(node))
        out.update(node[OUTPUT] or ())
        stack.extend(node[LOWER].values())
        stack.extend(node[CASED].values())
    return out


def _compile_context(raw: _Raw, ambiguous: Sequence[tuple]) -> dict[str, frozenset[str]]:
    """Each ambiguous concept -> the concepts that confirm it (itself, and its [context] line
    with group names expanded). A line names an ambiguous concept or a group (a name that is
    no concept); its items are concepts or groups."""
    concepts = {c for e in raw.entries if e.concept != "-" for c in (e.concept, *e.also)}
    targets = {c for c, _p, _o in ambiguous}
    lines: dict[str, set[str]] = {}
    for name, items, source, line in raw.context:
        if name in concepts and name not in targets:
            raise LexiconError(
                f"{source}, line {line}: [context] line for {name!r}, a concept without "
                "ambiguous ('?') forms (a group name must not be a concept)"
            )
        lines.setdefault(name, set()).update(items)
    for _name, items, source, line in raw.context:
        for item in items:
            if item not in concepts and item not in lines:
                raise LexiconError(
                    f"{source}, line {line}: [context] item {item!r} is neither a concept "
                    "nor a group named in [context]"
                )

    def expand(name: str, seen: set[str]) -> set[str]:
        out: set[str] = set()
        for item in lines.get(name, ()):
            if item in concepts:
                out.add(item)
            elif item not in seen:
                seen.add(item)
                out |= expand(item, seen)
        return out

    return {c: frozenset({c} | expand(c, {c})) for c in sorted(targets)}


#: the children of every node of a frozen trie that has none, one dict for all: a frozen trie
#: is only read (``_with_paths`` writes to copies), and the compiled lexicon then unpickles one
#: empty dict where it made ~20,000 (a third of its loading time)
_NO_CHILDREN: dict = {}


def _freeze(node: list) -> None:
    if isinstance(node[OUTPUT], list):
        node[OUTPUT] = tuple(node[OUTPUT])
    for slot in (LOWER, CASED):
        if not node[slot]:
            node[slot] = _NO_CHILDREN
        for child in node[slot].values():
            _freeze(child)


def _attach(base: str, suffix: str) -> str:
    if suffix and suffix[0] in "aeiouy" and base.endswith("e"):
        return base[:-1] + suffix
    return base + suffix


def _compile_spelling(raw: _Raw) -> tuple[dict[str, str], dict[str, str]]:
    table: dict[str, str] = {}
    prefixable: dict[str, str] = {}
    for am, br, _src, _line in raw.spelling:
        table[am] = br
        if not am.endswith("s"):
            table.setdefault(am + "s", br + "s")
    for am, br, _src, _line in raw.base:
        for suffix in DERIVATIONAL_SUFFIXES:
            a, b = _attach(am, suffix), _attach(br, suffix)
            if a != b:
                table.setdefault(a, b)
                if len(a) >= 5:
                    prefixable.setdefault(a, b)
    for word in raw.keep:
        table.pop(word, None)
        prefixable.pop(word, None)
    return table, prefixable


#: the built-in lexicon files' folder, where the package is installed as files
_DATA = Path(__file__).resolve().parent.parent / "data" / "lexicon"


def _builtin_files() -> list[tuple[str, str]]:
    """The built-in lexicon files, by name: read from the package's folder (importing
    ``importlib.resources``, with ``zipfile`` under it, only for a package not installed as
    files)."""
    if _DATA.is_dir():
        pkg: Any = _DATA
    else:
        from importlib import resources

        pkg = resources.files("corpus_search") / "data" / "lexicon"
    files = sorted((p for p in pkg.iterdir() if p.name.endswith(".tsv")), key=lambda p: p.name)
    return [(f"data/lexicon/{p.name}", p.read_text(encoding="utf-8")) for p in files]


def _read_extra(path: str) -> str:
    try:
        # (utf-8-sig: the byte-order mark Notepad and Excel write first is no text)
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LexiconError(f"{path}: lexicon file not found") from None
    except UnicodeDecodeError as exc:
        if exc.object[:2] in (b"\xff\xfe", b"\xfe\xff"):  # (Notepad's "Unicode")
            raise LexiconError(f"{path}: UTF-16 text: save it as UTF-8") from None
        raise LexiconError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read lexicon file ({exc.strerror})") from None


def _build(extra_paths: tuple[str, ...]) -> Lexicon:
    user = [(p, _read_extra(p)) for p in extra_paths]
    # (the built-in files by their stamps, not read: see compiled_cache.stamped_key)
    key = stamped_key(_DATA, extra_paths, [text for _, text in user])
    files = None if key else _builtin_files() + user
    if files is not None:
        key = compiled_key(_files_digest(files, len(user)), extra_paths, [n for n, _ in files])
    lex = _load_compiled(key, extra_paths)
    if lex is None:
        files = files or _builtin_files() + user
        lex = _compile(files, _files_digest(files, len(user))[:16], extra_paths)
        write_compiled(key, extra_paths, {
            f.name: getattr(lex, f.name) for f in dataclasses.fields(lex) if f.name not in _CACHES
        })
    return lex


def _files_digest(files: Sequence[tuple[str, str]], extra: int) -> str:
    """The digest of lexicon ``files`` (name, text), the last ``extra`` of them user files.

    Built-in files are identified by name, user files by position: moving a user file does
    not change it, editing its lines does (not its comments)."""
    digest = hashlib.sha256()
    for i, (name, text) in enumerate(files):
        label = name if i < len(files) - extra else f"extra#{i}"
        digest.update(label.encode() + b"\0" + _significant(text).encode("utf-8") + b"\0")
    return digest.hexdigest()


def _significant(text: str) -> str:
    """The lines of a lexicon file that say something: without its comments and blank lines,
    which an edit may change without changing the lexicon (nor the index built with it)."""
    return "\n".join(
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    )


#: Lexicon fields that are caches filled on use (not saved with the compiled lexicon)
_CACHES = ("_resolved", "_party_names", "_overlaps")


def _load_compiled(key: str | None, extra_paths: tuple[str, ...]) -> Lexicon | None:
    """The lexicon saved compiled for ``key`` (see compiled_cache), or None."""
    fields = read_compiled(key, extra_paths, BegunTerm.of)
    if fields is None or set(fields) != {
        f.name for f in dataclasses.fields(Lexicon) if f.name not in _CACHES
    }:
        return None
    lex = Lexicon(**fields)
    if lex.extra_paths != extra_paths or not isinstance(lex.trie, list):
        return None
    return lex


def _check_also(entries: Sequence[Entry]) -> None:
    """Refuse an ``also`` concept no line defines that is a slip for one a line does
    (``labor_party``): it would be a new concept of its own, silently. (One far from every
    defined concept may be meant: a broader concept the user's terms share, or a plain word,
    as ``blairite`` gives ``blair``.)"""
    defined = {e.concept for e in entries}
    for e in entries:
        for name in (*e.also, *e.unlike):
            if name in defined:
                continue
            near = difflib.get_close_matches(name, defined, n=1, cutoff=0.85)
            if near:
                raise LexiconError(
                    f"{e.source}, line {e.line}: 'also' concept {name!r} is defined by no "
                    f"line; did you mean {near[0]!r}?"
                )


def _check_party_names(lex: Lexicon) -> None:
    """Refuse a party display name (a line's 3rd column) that is another party's name: one of
    its forms or its display name (``Tories`` on a line of one's own terms, meant as "about
    the Conservatives"). It would make a party of its own, which ``--party Tories`` would then
    name in place of the Conservatives, silently."""
    named: dict[str, dict[str, str]] = {}  # a name's key -> {display name: concept} it names
    for key, party, concept in lex._party_name_keys():
        named.setdefault(key, {}).setdefault(party, concept)
    for e in lex.entries:
        if not e.party or lex.parties.get(e.concept) != e.party:
            continue
        others = {p: c for p, c in named.get(lex._name_key(e.party), {}).items() if p != e.party}
        if others:
            party, concept = min(others.items())
            raise LexiconError(
                f"{e.source}, line {e.line}: party display name {e.party!r} is a name of the "
                f"party {party!r}: this 3rd column would make {e.concept!r} a party of its "
                f"own, which --party {e.party!r} would find in place of {party!r}. Leave the "
                f"column empty for a term of your own (or write {party!r} in it to count the "
                f"term as that party's); a term about the party can name {concept!r} in the "
                "4th, 'also', column"
            )


def _compile(files: list[tuple[str, str]], fingerprint: str, extra_paths: tuple[str, ...]):
    raw = _Raw()
    for name, text in files:
        _parse(text, name, raw)
    _check_also(raw.entries)
    strict, max_words, parties, ambiguous, implied, unlike = _compile_trie(raw.entries)
    context = _compile_context(raw, ambiguous)
    trie = _with_paths(strict, [(p, out) for _c, p, out in ambiguous]) if ambiguous else strict
    table, prefixable = _compile_spelling(raw)
    lex = Lexicon(
        fingerprint=fingerprint,
        extra_paths=extra_paths,
        sources=tuple(name for name, _ in files),
        entries=tuple(raw.entries),
        stopwords=frozenset(raw.stopwords),
        protected=frozenset(raw.protected),
        stems=MappingProxyType(raw.stems),
        honorifics=frozenset(raw.honorifics),
        spelling_keep=frozenset(raw.keep),
        spelling=MappingProxyType(table),
        parties=MappingProxyType(parties),
        max_words=max_words,
        trie=trie,
        _prefix_spelling=MappingProxyType(prefixable),
        _prefix_lengths=tuple(sorted({len(key) for key in prefixable}, reverse=True)),
        _prefix_ends=frozenset(key[-5:] for key in prefixable if len(key) >= 5),
        context=MappingProxyType(context),
        confirms=MappingProxyType(_inverse(context)),
        implied=MappingProxyType(implied),
        unlike=MappingProxyType(unlike),
        ambiguous_starts=_ambiguous_starts(ambiguous, context, strict),
        _ambiguous_paths=tuple(ambiguous),
        _strict_trie=strict,
        cased_acronyms=_cased_acronyms(raw.entries),
        concepts=frozenset({e.concept for e in raw.entries if e.concept != "-"}.union(
            *(e.also for e in raw.entries))),
    )
    _check_party_names(lex)
    return lex


_RESOLVED_MAX = 256  # resolved lexicons kept per lexicon (cleared when full)


def _resolved_lexicon(extra_paths: tuple[str, ...], confirmed: tuple[str, ...]) -> Lexicon:
    return load_lexicon(list(extra_paths) or None).resolved(frozenset(confirmed))


_CACHE: dict[tuple, Lexicon] = {}


def load_lexicon(extra: str | Path | Sequence[str | Path] | None = None) -> Lexicon:
    """Load the built-in lexicon plus optional user lexicon file(s), cached per process.

    The cache is keyed on the resolved paths and their modification times, so an edited user
    file is picked up. Raises :class:`LexiconError` for a missing or malformed file.
    """
    if extra is None:
        paths: tuple[str, ...] = ()
    elif isinstance(extra, (str, os.PathLike)):
        paths = (str(Path(extra).expanduser().resolve()),)
    else:
        paths = tuple(str(Path(p).expanduser().resolve()) for p in extra)
    stamps = []
    for p in paths:
        try:
            st = os.stat(p)
            stamps.append((p, st.st_mtime_ns, st.st_size))
        except OSError:
            stamps.append((p, None, None))
    key = tuple(stamps)
    lex = _CACHE.get(key)
    if lex is None:
        lex = _CACHE[key] = _build(paths)
    return lex
