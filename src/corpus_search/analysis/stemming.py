"""Stemming: NLTK's Snowball (English) stemmer, loaded once, behind the lexicon's
protected words.
"""

from __future__ import annotations

from corpus_search.analysis.lexicon import Lexicon

_SNOWBALL = None


def stem_word(word: str, lex: Lexicon) -> str:
    global _SNOWBALL
    protected = lex.protected
    if word in protected or len(word) < 3 or not word.isalpha():
        return word
    word = lex.respell(word)
    if word in protected:
        return word
    if _SNOWBALL is None:
        _SNOWBALL = _snowball_stemmer()
    return _SNOWBALL(word)


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
