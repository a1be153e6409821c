"""Reading and validating the lexicon's data files (the format: ``docs/analyzer.md``): each
file's lines, one parser per section, into one :class:`Raw` form, which
:mod:`.lexicon_compile` compiles. A malformed line raises
:class:`~corpus_search.errors.LexiconError` naming its file and line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from corpus_search.analysis.lexicon_model import Entry, form_body, form_words
from corpus_search.analysis.text import normalise_word
from corpus_search.errors import LexiconError
from corpus_search.terminal import counted

__all__ = ["Raw", "check_also", "parse"]


_CONCEPT_RE = re.compile(r"^(?:[a-z0-9]+(?:_[a-z0-9]+)*|-)$")


_SECTIONS = (
    "terms", "context", "spelling", "spelling-base", "spelling-keep", "protected", "stems",
    "stopwords", "honorifics",
)  # fmt: skip


@dataclass
class Raw:
    entries: list[Entry] = field(default_factory=list)
    spelling: list[tuple[str, str, str, int]] = field(default_factory=list)
    base: list[tuple[str, str, str, int]] = field(default_factory=list)
    keep: set[str] = field(default_factory=set)
    protected: set[str] = field(default_factory=set)
    stems: dict[str, str] = field(default_factory=dict)
    stopwords: set[str] = field(default_factory=set)
    honorifics: set[str] = field(default_factory=set)
    #: [context] lines: (name, items, source, line); an item "-name" rules the sense out
    context: list[tuple[str, tuple[str, ...], str, int]] = field(default_factory=list)


def parse(text: str, source: str, raw: Raw) -> None:
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


def _parse_stem(cols: list[str], where: str, raw: Raw) -> None:
    """A ``[stems]`` line: ``word<TAB>stem``, the stem ``word`` takes instead of Snowball's."""
    if len(cols) != 2 or not all(cols):
        raise LexiconError(f"{where}: expected 'word<TAB>stem' in [stems], got {cols!r}")
    word, stem = (normalise_word(col)[1] for col in cols)
    if not (word.isalpha() and stem.isalpha()):
        raise LexiconError(f"{where}: a word and its stem must be single words, got {cols!r}")
    raw.stems[word] = stem


def _parse_term(cols: list[str], where: str, source: str, lineno: int, raw: Raw) -> None:
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
    if not forms or any(not f or not form_words(form_body(f)[2]) for f in forms):
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
    if concept == "-" and any(form_body(f)[0] for f in forms):
        raise LexiconError(
            f"{where}: a '-' (sense-blocking) form cannot be ambiguous ('?') or a query's only "
            "('!')"
        )
    raw.entries.append(Entry(concept, forms, party, also, source, lineno, unlike))


def _parse_context(cols: list[str], where: str, source: str, lineno: int, raw: Raw) -> None:
    if len(cols) != 2 or not cols[0] or not cols[1]:
        raise LexiconError(
            f"{where}: expected 'name<TAB>concept, concept, ...' in [context], "
            f"got {counted(len(cols), 'column')}"
        )
    items = tuple(a.strip() for a in cols[1].split(",") if a.strip())
    for name in (cols[0], *(a[1:].strip() if a.startswith("-") else a for a in items)):
        if name == "-" or not _CONCEPT_RE.match(name):
            raise LexiconError(f"{where}: {name!r} in [context] is not a valid concept name")
    items = tuple("-" + a[1:].strip() if a.startswith("-") else a for a in items)
    raw.context.append((cols[0], items, source, lineno))


def check_also(entries: Sequence[Entry]) -> None:
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
