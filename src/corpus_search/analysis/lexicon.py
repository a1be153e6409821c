"""Loading and fingerprinting the analyzer's vocabulary data files: the :class:`Lexicon`.

The vocabulary lives in ``corpus_search/data/lexicon/*.tsv`` (see ``docs/analyzer.md`` for the
format). :func:`load_lexicon` reads those files plus any user files, validates every line (a
malformed line raises :class:`~corpus_search.errors.LexiconError` naming file and line) and
compiles the lookup tables the analyzer needs: a word trie for lexicon terms, the spelling
table, the protected words and the stop words. A :class:`Lexicon` is immutable once loaded and
pickles as the paths of its user files only.

The parts: :mod:`.lexicon_model` (a line, a form, the trie's nodes), :mod:`.lexicon_parse`
(reading and validating the files) and :mod:`.lexicon_compile` (the tables), the last two
imported only to compile a lexicon the cache does not hold (:mod:`.compiled_cache`). This
module names the model's public names too, which the analyzer and the search import from it.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
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
from corpus_search.analysis.lexicon_model import (
    BUILTIN_SOURCE,
    CASED,
    LOWER,
    OUTPUT,
    BegunTerm,
    Entry,
    bare_form,
    form_body,
    form_markers,
    with_paths,
    word_nodes,
)
from corpus_search.analysis.text import WORD_RE, normalise_word
from corpus_search.digests import sha256
from corpus_search.errors import LexiconError

__all__ = [
    "CASED", "LOWER", "OUTPUT", "BegunTerm", "Entry", "Lexicon", "bare_form", "form_markers",
    "load_lexicon", "word_nodes",
]


_IZE_RE = re.compile(r"^([a-z]{3,}?)(i|y)z(e|es|ed|ing|er|ers|ation|ations|ational|able)$")


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
    #: Each ambiguous concept -> the concepts whose presence in a text (from unambiguous
    #: forms) rules it out, whatever confirms it (a [context] line's "-" items). Empty in a
    #: resolved lexicon.
    unless: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))
    #: The ambiguous concepts whose forms are active: None in a loaded lexicon (all of them,
    #: subject to context), a set in a lexicon :meth:`resolved` for one text.
    confirmed: frozenset[str] | None = None
    #: First word of an ambiguous form -> its concepts (caseless keys, case-sensitive keys),
    #: for the forms a text can confirm (not a query's only forms: see ambiguous_starts).
    ambiguous_starts: tuple[Mapping[str, frozenset[str]], Mapping[str, frozenset[str]]] = field(
        default=(MappingProxyType({}), MappingProxyType({})), repr=False
    )
    #: Each concept -> the concepts its mentions imply: its ``also`` (plp -> labour_party) and
    #: the terms its forms begin with (election_campaign -> general_election, for "general
    #: election campaign"), which the index holds at the same place (see
    #: lexicon_compile._begun_terms)
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
    #: The acronyms a query typing them as written (``NICE``, ``MoD``, ``MOD``) reads as their
    #: concepts alone, not the word (``LexiconFilter``); compiled and cached
    typed_acronyms: frozenset[str] = field(default=frozenset(), repr=False)
    #: Every concept token the lexicon can emit (compiled: a query's parser reads it)
    concepts: frozenset[str] = field(default=frozenset(), repr=False)

    @functools.cached_property
    def confirms(self) -> Mapping[str, frozenset[str]]:
        """Each concept -> the ambiguous concepts whose context it is (the inverse of
        :attr:`context`). Made on first use, not kept in the compiled lexicon's cache: no
        search reads it, and reading it there was ~2.4M instructions of a cold search."""
        out: dict[str, set[str]] = {}
        for ambiguous, confirming in self.context.items():
            for c in confirming:
                out.setdefault(c, set()).add(ambiguous)
        return MappingProxyType({c: frozenset(v) for c, v in out.items()})

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
        ordinary forms, the other ambiguous forms are left out. Cached per set. A confirmed
        form reads no concept its entry refuses (``-conservative_party`` in its ``also``
        column: "Conservatives" in a text about Canada's parliament is no British party).

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
                trie = with_paths(trie, [(p, out, self.unlike.get(c, ()))
                                         for c, p, out in self._ambiguous_paths if c in confirmed])
            digest = sha256(
                (self.fingerprint + "?" + ",".join(sorted(confirmed))).encode()
            ).hexdigest()[:16]
            lex = self._resolved[confirmed] = dataclasses.replace(
                self,
                fingerprint=digest,
                trie=trie,
                context=MappingProxyType({}),
                unless=MappingProxyType({}),
                confirmed=confirmed,
                ambiguous_starts=(MappingProxyType({}), MappingProxyType({})),
                _ambiguous_paths=(),
                _resolved={},
                _overlaps={},
            )
        return lex

    def confirmed_by(self, found: set[str], triggered: Iterable[str]) -> frozenset[str]:
        """The ambiguous concepts of ``triggered`` that a text whose plain reading has the
        concepts ``found`` confirms: it names the concept, or one of its context and none it
        rules out (a foreign parliament: "lower house" is then no House of Commons)."""
        context, unless = self.context, self.unless
        return frozenset(c for c in triggered if c in found or (
            not context[c].isdisjoint(found) and (c not in unless or unless[c].isdisjoint(found))))

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
                key = self._name_key(form_body(form)[2])
                yield key, party, e.concept
                yield key + "s", party, e.concept

    def _name_key(self, text: str) -> str:
        return " ".join(self.respell(normalise_word(w)[1]) for w in WORD_RE.findall(text))

    def respell(self, word: str) -> str:
        """British spelling of a lower-case word (``"organize"`` -> ``"organise"``).

        Only the listed pairs (and their endings) and the ``-ize`` family: an ``-or`` word
        is respelled ``-our`` only as a pair says (labor, favor), never by a rule, since the
        rule had respelled names and other words too (Trevor, Bangor, moral, bored)."""
        keep = self.spelling_keep
        if word in keep:
            return word
        table = self.spelling
        r = table.get(word)
        if r is not None:
            return r
        # the longest tail (of 5 letters or more, not the whole word) that the table
        # respells; only tails as long as a key are looked up, so this is linear in the word
        # (most words end in no tail's last 5 letters and hold no "z": one look-up)
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
        return word


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
    return [(f"{BUILTIN_SOURCE}{p.name}", p.read_text(encoding="utf-8")) for p in files]


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
    digest = sha256()
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
    fields = read_compiled(key, extra_paths, BegunTerm.of, {"entries": Entry})
    if fields is None or set(fields) != {
        f.name for f in dataclasses.fields(Lexicon) if f.name not in _CACHES
    }:
        return None
    lex = Lexicon(**fields)
    if lex.extra_paths != extra_paths or not isinstance(lex.trie, list):
        return None
    return lex


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
    # (the parser and the compiler only here: a lexicon read compiled needs neither)
    from corpus_search.analysis.lexicon_compile import (
        ambiguous_starts,
        cased_acronyms,
        compile_context,
        compile_spelling,
        compile_trie,
        typed_acronyms,
    )
    from corpus_search.analysis.lexicon_parse import Raw, check_also, parse

    raw = Raw()
    for name, text in files:
        parse(text, name, raw)
    check_also(raw.entries)
    strict, max_words, parties, ambiguous, implied, unlike = compile_trie(raw.entries)
    context, unless = compile_context(raw, ambiguous)
    trie = with_paths(strict, [(p, out) for _c, p, out in ambiguous]) if ambiguous else strict
    table, prefixable = compile_spelling(raw)
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
        unless=MappingProxyType(unless),
        implied=MappingProxyType(implied),
        unlike=MappingProxyType(unlike),
        ambiguous_starts=ambiguous_starts(ambiguous, context, strict),
        _ambiguous_paths=tuple(ambiguous),
        _strict_trie=strict,
        cased_acronyms=cased_acronyms(raw.entries),
        typed_acronyms=typed_acronyms(raw.entries),
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
