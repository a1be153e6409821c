"""Stemming: NLTK's Snowball (English) stemmer, behind the lexicon's protected words and its
own stems (``[stems]``: Lucene's StemmerOverrideFilter), with
the stems of words already stemmed kept in the user's cache folder.

Importing NLTK takes a good part of a second of CPU, more than the rest of a ``corpus-search
search`` process. A search stems its query words and the words of the snippets it shows, nearly
all of them words of the index it reads, which were stemmed when it was built: the builder saves
the stems it computed in a cache file (:func:`save_learned_stems`, called when a writer commits;
writer processes send theirs to the committing one), and a later process reads that file the
first time it needs a stem, importing NLTK only for a word not in it (and saving the stems it
computed when it ends). The file is keyed on the NLTK release and its Snowball module (see
:func:`_stemmer_key`): a stem read from it is what Snowball gives, so stemming is the same with
or without it.

The file's words are sorted, with a table of where each starts, so a process looks up the
few words it needs (a search stems 3-20) by bisection instead of making a dictionary of all
of them (~30,000 for BBC, ~4 ms of a search's start); after :data:`_LOOKUPS_BEFORE_LOAD`
words (a build, a served process) it reads the whole table once, as before.
"""

from __future__ import annotations

import bisect
import struct
from collections.abc import Mapping

from corpus_search.analysis import cachefiles
from corpus_search.analysis.lexicon import Lexicon
from corpus_search.digests import sha256

_SNOWBALL = None

#: word -> its Snowball stem: read from the cache file, and computed in this process
_STEMS: dict[str, str] = {}

#: the stems computed in this process (or sent by its writer processes) not yet saved
_LEARNED: dict[str, str] = {}

_LOADED = False

#: the most stems kept (and saved); words beyond them are stemmed afresh each time
_MAX_STEMS = 2_000_000

#: the cache file (sorted words with an offset table)
_STEMS_FILE = "snowball-stems-sorted"
#: the file of earlier releases (all words, then their stems: read whole), read once into
#: the new one and left to them
_LEGACY_STEMS_FILE = "snowball-stems"

#: the words looked up one by one in the saved table before it is read whole instead: a
#: look-up by bisection costs ~4 us, reading ~30,000 stems (BBC) whole ~9 ms, so up to
#: ~2,000 words the look-ups cost less. A concordance stems the words of the documents it
#: shows ("Blair", its first 50 places: 838; it was 200, then the whole table, ~11 ms of the
#: command's ~215); a build or a served process reads it whole
_LOOKUPS_BEFORE_LOAD = 2000

#: the saved table while it is looked up word by word (None: not read yet, or read whole)
_TABLE: _SortedStems | None = None

_LOOKUPS = 0


def stem_word(word: str, lex: Lexicon) -> str:
    protected = lex.protected
    if word in protected or len(word) < 3 or not word.isalpha():
        return word
    word = lex.respell(word)
    if word in protected:
        return word
    r = lex.stems.get(word) or _STEMS.get(word)
    return r if r is not None else _snowball(word)


def misspelt_names(lex: Lexicon) -> dict[str, str]:
    """The protected names Snowball would fold onto a leader's name the lexicon's followers
    imply (``brownite`` also ``brown``): Browne -> brown. The index keeps such a name apart
    (Lord Browne is not Gordon Brown); a query typing it reads it as itself, with the
    leader's name beside it as a forgiven slip, weaker (a search for Browne lists Lord
    Browne's and Des Browne's stories first), and as the leader's name where the word
    beside it makes a name the texts write with the leader's ("Gordon Browne" is Gordon
    Brown: ``search.groups``). Kept per lexicon: a query asks for it."""
    found = _MISSPELT.get(lex.fingerprint)
    if found is None:
        found = _MISSPELT[lex.fingerprint] = _misspelt_names(lex)
    return found


#: lexicon fingerprint -> its misspelt names (see :func:`misspelt_names`)
_MISSPELT: dict[str, dict[str, str]] = {}


def _misspelt_names(lex: Lexicon) -> dict[str, str]:
    defined = {e.concept for e in lex.entries}
    leaders = {c for e in lex.entries for c in e.also if c not in defined}
    folds = {}
    for word in lex.protected:
        if word.isalpha():
            stem = _snowball(lex.respell(word))
            if stem != word and stem in leaders:
                folds[word] = stem
    return folds


def prepare() -> None:
    """Read the saved stems and import NLTK's stemmer now, not at the first word they lack:
    for a process that serves many commands (``corpus-search serve``)."""
    global _SNOWBALL
    _load_all()
    if _SNOWBALL is None:
        _SNOWBALL = _snowball_stemmer()


def _load_all() -> None:
    """Every saved stem into :data:`_STEMS` (once)."""
    global _LOADED, _TABLE, _STEMS
    if not _LOADED:
        _LOADED = True
        table, _TABLE = _TABLE, None
        saved = table.as_dict() if table is not None else _saved_stems()
        # (what was learned meanwhile stays; the few known added to the many saved, not
        # each of ~30,000 saved to the few known: ~4 ms)
        saved.update(_STEMS)
        _STEMS = saved


def _saved_stem(word: str) -> str | None:
    """``word``'s stem in the cache file, looked up alone while few words have been;
    after that the file is read whole into :data:`_STEMS`. None if it is not there."""
    global _TABLE, _LOOKUPS
    if _LOOKUPS >= _LOOKUPS_BEFORE_LOAD:
        _load_all()
        return _STEMS.get(word)
    if _TABLE is None:
        _TABLE = _saved_table()
        if _TABLE is None:  # no file (or another stemmer's): nothing to look up
            _load_all()
            return None
    _LOOKUPS += 1
    r = _TABLE.get(word)
    if r is not None:
        _STEMS[word] = r
    return r


def _snowball(word: str) -> str:
    """Snowball's stem of ``word``, which :data:`_STEMS` lacks: from the cache file if it has
    not been read whole yet, else from NLTK's stemmer (imported now), remembered as learned."""
    global _SNOWBALL
    if not _LOADED:
        r = _saved_stem(word)
        if r is not None:
            return r
    if _SNOWBALL is None:
        _SNOWBALL = _snowball_stemmer()
    r = _SNOWBALL(word)
    if len(_STEMS) < _MAX_STEMS:
        if not _LEARNED:
            _save_at_exit()
        _STEMS[word] = _LEARNED[word] = r
    return r


_EXIT_SAVE = False


def _save_at_exit() -> None:
    """Save what this process learns when it ends (a search stems a word of its query that
    no index holds, "interestrates" for "interest rates", once; writers save as they commit).
    Forked writer processes end without it: they send theirs to their parent."""
    global _EXIT_SAVE
    if not _EXIT_SAVE:
        import atexit

        _EXIT_SAVE = True
        atexit.register(save_learned_stems)


def learned_stems() -> dict[str, str]:
    """The stems this process computed (or was sent) since they were last saved."""
    return dict(_LEARNED)


def add_learned_stems(stems: Mapping[str, str]) -> None:
    """Take the stems another process (a writer worker) computed, to save with ours."""
    for word, stem in stems.items():
        if len(_STEMS) >= _MAX_STEMS:
            break
        if word not in _STEMS:
            _STEMS[word] = _LEARNED[word] = stem


def save_learned_stems() -> None:
    """Add the stems learned since the last save to the cache file (nothing if none were
    learned; a file that cannot be written is left alone: it is only a cache)."""
    if not _LEARNED:
        return
    key = _stemmer_key()
    stems = dict(_saved_stems(key))  # another process may have saved some meanwhile
    for word, stem in _LEARNED.items():
        if len(stems) >= _MAX_STEMS:
            break
        stems[word] = stem
    _LEARNED.clear()
    if key is not None:
        cachefiles.write_cached(_STEMS_FILE, key, _SortedStems.payload_of(stems))


def _saved_stems(key: str | None = "") -> dict[str, str]:
    """The stems in the cache file, if it was written for this stemmer (``key``, default:
    found now); empty if there is none."""
    table = _saved_table(key)
    return {} if table is None else table.as_dict()


def _saved_table(key: str | None = "") -> _SortedStems | None:
    """The cache file's table, if it was written for this stemmer (``key``, default: found
    now) and is whole; None if there is none."""
    if key == "":
        key = _stemmer_key()
    if key is None:
        return None
    payload = cachefiles.read_cached(_STEMS_FILE, key)
    if not payload:  # none yet: the stems an earlier release saved, in this file's form
        legacy = _legacy_stems(key)
        if not legacy:
            return None
        payload = _SortedStems.payload_of(legacy)
        cachefiles.write_cached(_STEMS_FILE, key, payload)
    return _SortedStems.of(payload)


def _legacy_stems(key: str) -> dict[str, str]:
    """The stems in the file of earlier releases (all words, then all stems), if any."""
    payload = cachefiles.read_cached(_LEGACY_STEMS_FILE, key)
    words, sep, stems = (payload or b"").partition(b"\0")
    try:
        pairs = dict(zip(words.decode().split("\n"), stems.decode().split("\n"), strict=True))
    except (UnicodeDecodeError, ValueError):
        return {}
    return pairs if sep else {}


class _SortedStems:
    """The saved stems as the cache file holds them: the number of words (4 bytes, little
    endian), the offset of each word's line in the text after the table (4 bytes each, in
    the order of the lines), then the text, one ``word TAB stem`` line each, sorted by the
    word's UTF-8 bytes."""

    _COUNT = struct.Struct("<I")

    def __init__(self, offsets: memoryview, text: bytes) -> None:
        self._offsets = offsets
        self._text = text

    @classmethod
    def payload_of(cls, stems: Mapping[str, str]) -> bytes:
        lines = sorted(b"%s\t%s\n" % (w.encode(), s.encode()) for w, s in stems.items())
        offsets = []
        at = 0
        for line in lines:
            offsets.append(at)
            at += len(line)
        return (cls._COUNT.pack(len(lines)) + struct.pack(f"<{len(lines)}I", *offsets)
                + b"".join(lines))

    @classmethod
    def of(cls, payload: bytes) -> _SortedStems | None:
        """The table of ``payload``, or None if it is not one."""
        if len(payload) < cls._COUNT.size:
            return None
        (n,) = cls._COUNT.unpack_from(payload)
        start = cls._COUNT.size + 4 * n
        if start > len(payload) or (n and not payload.endswith(b"\n")):
            return None
        table = memoryview(payload)[cls._COUNT.size:start]
        offsets = table.cast("I") if struct.calcsize("I") == 4 and _LITTLE else None
        if offsets is None:
            offsets = memoryview(struct.pack(f"={n}I", *struct.unpack(f"<{n}I", table)))
            offsets = offsets.cast("I")
        return cls(offsets, payload[start:])

    def _word_at(self, offset: int) -> bytes:
        text = self._text
        return text[offset:text.index(b"\t", offset)]

    def get(self, word: str) -> str | None:
        """``word``'s stem, or None if the table lacks it."""
        try:
            key = word.encode()
            offsets = self._offsets
            i = bisect.bisect_left(offsets, key, key=self._word_at)
            if i == len(offsets):
                return None
            text = self._text
            at = offsets[i]
            tab = text.index(b"\t", at)
            if text[at:tab] != key:
                return None
            return text[tab + 1:text.index(b"\n", tab)].decode()
        except (ValueError, IndexError, UnicodeError):  # (a table written wrong: no stem)
            return None

    def as_dict(self) -> dict[str, str]:
        """Every word and its stem."""
        if not self._offsets:
            return {}
        try:
            parts = self._text.decode().replace("\t", "\n").split("\n")
        except UnicodeDecodeError:
            return {}
        parts.pop()  # (after the last line's end)
        if len(parts) != 2 * len(self._offsets):
            return {}
        return dict(zip(parts[::2], parts[1::2], strict=True))


_LITTLE = struct.pack("=I", 1) == struct.pack("<I", 1)


def _stemmer_key() -> str | None:
    """What identifies the stemmer, without importing NLTK: a digest of NLTK's release
    number, the size and modification time of its Snowball module and the NLTK language
    used. None if NLTK cannot be found (then nothing is read or saved)."""
    import importlib.util
    import os

    try:
        spec = importlib.util.find_spec("nltk")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    root = next(iter(spec.submodule_search_locations))
    try:
        with open(os.path.join(root, "VERSION"), "rb") as f:
            version = f.read().strip()
        st = os.stat(os.path.join(root, "stem", "snowball.py"))
    except OSError:
        return None
    ident = b"%s|%d|%d|english|1" % (version, st.st_size, st.st_mtime_ns)
    return sha256(ident).hexdigest()[:32]


def _snowball_stemmer():
    """NLTK's English Snowball stemmer, imported without SciPy.

    ``import nltk`` runs the package's ``__init__``, which imports ``nltk.collocations`` and
    through it ``scipy.stats`` (for one association measure, ``fisher_exact``): 0.75 of the
    1.1 s the import takes, paid by every process that stems (each CLI run, each build
    worker). Unless SciPy is already loaded, it is hidden for the import; NLTK then installs
    its fallback, which is replaced here by one that imports SciPy when first called, so
    NLTK works as before for anyone who uses that measure.
    """
    import sys

    hide = "scipy" not in sys.modules
    if hide:
        sys.modules["scipy"] = None  # type: ignore[assignment]  # import scipy -> ImportError
    try:
        from nltk.stem.snowball import SnowballStemmer
    finally:
        if hide and sys.modules.get("scipy", 0) is None:
            del sys.modules["scipy"]
    if hide:
        association = sys.modules.get("nltk.metrics.association")
        if association is not None:

            def fisher_exact(*args, **kwargs):
                from scipy.stats import fisher_exact as real

                return real(*args, **kwargs)

            association.fisher_exact = fisher_exact
    return SnowballStemmer("english").stem
