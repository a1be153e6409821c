"""Stemming: NLTK's Snowball (English) stemmer, behind the lexicon's protected words, with
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
"""

from __future__ import annotations

from collections.abc import Mapping

from corpus_search.analysis import cachefiles
from corpus_search.analysis.lexicon import Lexicon

_SNOWBALL = None

#: word -> its Snowball stem: read from the cache file, and computed in this process
_STEMS: dict[str, str] = {}

#: the stems computed in this process (or sent by its writer processes) not yet saved
_LEARNED: dict[str, str] = {}

_LOADED = False

#: the most stems kept (and saved); words beyond them are stemmed afresh each time
_MAX_STEMS = 2_000_000

_STEMS_FILE = "snowball-stems"


def stem_word(word: str, lex: Lexicon) -> str:
    protected = lex.protected
    if word in protected or len(word) < 3 or not word.isalpha():
        return word
    word = lex.respell(word)
    if word in protected:
        return word
    r = _STEMS.get(word)
    return r if r is not None else _snowball(word)


def prepare() -> None:
    """Read the saved stems and import NLTK's stemmer now, not at the first word they lack:
    for a process that serves many commands (``corpus-search serve``)."""
    global _SNOWBALL, _LOADED
    if not _LOADED:
        _LOADED = True
        _STEMS.update(_saved_stems())
    if _SNOWBALL is None:
        _SNOWBALL = _snowball_stemmer()


def _snowball(word: str) -> str:
    """Snowball's stem of ``word``, which :data:`_STEMS` lacks: from the cache file if it has
    not been read yet, else from NLTK's stemmer (imported now), remembered as learned."""
    global _SNOWBALL, _LOADED
    if not _LOADED:
        _LOADED = True
        _STEMS.update(_saved_stems())
        r = _STEMS.get(word)
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
        payload = "\n".join(stems).encode() + b"\0" + "\n".join(stems.values()).encode()
        cachefiles.write_cached(_STEMS_FILE, key, payload)


def _saved_stems(key: str | None = "") -> dict[str, str]:
    """The stems in the cache file, if it was written for this stemmer (``key``, default:
    found now); empty if there is none."""
    if key == "":
        key = _stemmer_key()
    payload = None if key is None else cachefiles.read_cached(_STEMS_FILE, key)
    if not payload:
        return {}
    words, sep, stems = payload.partition(b"\0")
    try:
        pairs = dict(zip(words.decode().split("\n"), stems.decode().split("\n"), strict=True))
    except (UnicodeDecodeError, ValueError):
        return {}
    return pairs if sep else {}


def _stemmer_key() -> str | None:
    """What identifies the stemmer, without importing NLTK: a digest of NLTK's release
    number, the size and modification time of its Snowball module and the NLTK language
    used. None if NLTK cannot be found (then nothing is read or saved)."""
    import hashlib
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
    return hashlib.sha256(ident).hexdigest()[:32]


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
