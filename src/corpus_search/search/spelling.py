"""Spelling help and wildcards over the words of the texts as written.

Spelling on the ``words`` field, read as a :class:`~corpus_search.search.vocabulary.Vocabulary`
(the words of the texts folded, with their capitals and document frequencies).

On that vocabulary:

- :func:`correct_word` picks the most likely intended word for one typed word (a
  noisy-channel model: how often a word occurs, in documents with the query's other words,
  against how many edits the typing would have made);
- :func:`expand_pattern` lists the words a wildcard pattern (``privatiz*``, ``ele?tion``)
  matches, American spellings matched to the British ones of the texts through the lexicon.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from corpus_search.analysis.lexicon import Lexicon, bare_form
from corpus_search.analysis.text import normalise_word, with_typed_apostrophes
from corpus_search.errors import PatternTooBroad
from corpus_search.search.budget import check_budget
from corpus_search.search.expansions import osa_distance
from corpus_search.search.vocabulary import Vocabulary, starting_with, vocabulary
from corpus_search.store.memo import PerSearcher

__all__ = [
    "DOUBLING_PROBABILITY",
    "EDIT_PROBABILITY",
    "MAX_PATTERN_WORDS",
    "Correction",
    "OtherForms",
    "Vocabulary",
    "correct_word",
    "expand_fuzzy",
    "expand_pattern",
    "fold_pattern",
    "is_acronym_shaped",
    "lexicon_knows",
    "lexicon_spells",
    "vocabulary",
    "wildcard_regex",
]


#: Most words a wildcard or fuzzy term may stand for; a broader pattern is refused with a
#: message (``s*`` would search a large share of the vocabulary).
MAX_PATTERN_WORDS = 1_000


#: The chance that a typist makes one given edit (a wrong, missing, extra or swapped letter)
#: in the noisy-channel model of :func:`correct_word`: a candidate two edits away must be ten
#: times as likely as one a single edit away to be preferred.
EDIT_PROBABILITY = 0.1


#: The chance that a typist doubles a letter the word writes once, or writes once a letter
#: it doubles (an edit of :data:`EDIT_PROBABILITY`'s kind, but the commonest of them):
#: tommorow, accomodation, neccesarily, Millburn. Twice an other edit's, so a word two such
#: edits away (0.04) is still less likely than one a single other edit away (0.1), but
#: four times likelier than one two other edits away (0.01): tomorrow, in 19 of the 2,225
#: BBC documents, is likelier than the unseen "tommorow" meant as typed
#: (:data:`UNSEEN_WORD_LIKELIHOOD`), as a word twice as common two other edits away is not.
DOUBLING_PROBABILITY = 0.2


#: How much likelier a word that sounds as the word typed (:func:`_spoken`) is to have been
#: typed so than one that does not, at as many edits, in the noisy-channel model of
#: :func:`correct_word`. A typist slips at the keys (each wrong, missing, extra or swapped
#: letter an edit, :data:`EDIT_PROBABILITY`) and by ear, writing a word as it sounds; a word
#: written by ear is still likelier the fewer letters it changes, so a sound-alike pays for
#: each of its edits as any word does, and this factor, under 1 / EDIT_PROBABILITY, never
#: makes up a whole edit: a sound-alike two edits away (0.06) weighs less than any word a
#: single edit away (0.1), and far less than a sound-alike a single edit away (0.6). 6 is
#: the least whole factor that reads "blare expenses" as Blair, not as board (two edits
#: both; the BBC's 11 documents saying "expenses" hold board twice, Blair never).
#: (It had been 0.05 added to a sound-alike's chance whatever its edits, which made a
#: sound-alike two edits away 0.06 against 0.15 one edit away: "stoers" read as stars, not
#: stores. Of 9,000 misspellings of BBC words made at random, tools/spelling_random.py
#: seeds 0-2, 5,796 are now corrected to the word meant against 5,727; of 9,000 of words
#: drawn as often as documents hold them, 7,350 against 7,332.)
SOUND_ALIKE_FACTOR = 6.0


#: How likely a typed word that no document holds is to be meant as typed (a name the texts
#: never use: Starmer, Brexit on news of 2005), on the scale of :func:`correct_word`'s
#: scores: a correction must be likelier. A word in 1% of the documents two edits away, or
#: in 0.1% one edit away, just passes; so Blunket finds Blunkett (1 edit, 28 of 2,225 BBC
#: documents) while Starmer is no longer read as "Started" nor Brexit as "Brit".
UNSEEN_WORD_LIKELIHOOD = 1e-4


#: Pseudo-documents of the Dirichlet prior that blends a word's frequency in the documents
#: holding the query's other words with its frequency in the whole index.
CONTEXT_PRIOR_DOCS = 5.0


#: A word the index holds in few documents (:data:`RARE_WORD_DOCS`, or
#: :data:`RARE_WORD_SHARE` of them) is questioned, and another spelling suggested (never
#: searched instead) when it is at least this many times as likely.
SUGGEST_RATIO = 50.0


#: A word typed with a capital no document holds is searched as its correction only when
#: that is a name: a word at least this share of whose documents only ever write it
#: capitalised (Vocabulary.capitalised_share; Blair 0.997, Howe 0.875, but give 0.009 and
#: government 0.02 on the BBC corpus). A common word is no confident guess for a name the
#: texts may never use (Gove was searched as Give, 394 results): it is only suggested.
NAME_SHARE = 0.5




def is_acronym_shaped(word: str) -> bool:
    """Whether ``word`` looks like an acronym or abbreviation: a capital after its first
    letter ("NHS", "PMQs", "MoD", "DfES", and so names like "McDonald") or a digit ("G8").
    Such words are never corrected: a near neighbour is almost never what was meant."""
    return any(c.isupper() or c.isdigit() for c in word[1:]) or word[:1].isdigit()


def lexicon_knows(word: str, analyzer: Any) -> bool:
    """Whether the analyzer's lexicon knows ``word``: a lexicon term (it reads as a
    concept), an American spelling it respells, a protected name or a stop word. Such a
    word is never corrected, even where the index never uses it."""
    lexicon: Lexicon = analyzer.lexicon
    key = normalise_word(word)[1]
    if not key:
        return True
    if key in lexicon.stopwords or key in lexicon.protected or lexicon.respell(key) != key:
        return True
    return any(getattr(t, "expansion", False) for t in analyzer(word, mode="query"))


def lexicon_spells(word: str, lexicon: Lexicon) -> bool:
    """Whether ``word`` is written as a one-word form of one of ``lexicon``'s terms (Dail,
    Brexit: a query reads them as words when nothing confirms the term) or is in its
    spelling table, either spelling (ardour, sombre, enrol). A word spelt so is spelt right:
    it is never corrected (ardour had been read as armour, Dail as daily), only reported
    when no document holds it."""
    return normalise_word(word)[1] in _lexicon_words(lexicon)


@functools.lru_cache(maxsize=8)
def _lexicon_words(lexicon: Lexicon) -> frozenset[str]:
    """The one-word forms of ``lexicon``'s terms and the words of its spelling table (both
    spellings), folded as keys of the vocabulary are."""
    forms = (bare_form(form) for entry in lexicon.entries for form in entry.forms)
    words = {normalise_word(form)[1] for form in forms if " " not in form}
    words.update(lexicon.spelling.keys(), lexicon.spelling.values())
    return frozenset(w for w in words if w)


@dataclass(frozen=True)
class Correction:
    """A better spelling for one word of a query.

    ``word`` is as typed, ``replacement`` as it should be shown (in the user's case: lower
    case for a word typed in lower case, the texts' own capitals for a capitalised one).
    ``missing`` says the typed word is in no document; ``searched``, that its correction is
    searched too (a missing word's correction is, unless the word was typed with a capital
    and the correction is no name: see :data:`NAME_SHARE`). Otherwise the correction is only
    suggested (the typed word may be rare and the replacement far more likely).
    """

    word: str
    replacement: str
    missing: bool
    distance: int
    searched: bool = False


def _sound(key: str) -> str:
    """The Soundex code of ``key`` (a folded word): what it sounds like, roughly, in English
    spelling (Blair and Blare are both B460, Sunday S530 and Sunak S520)."""
    import jellyfish  # (imported only when a word is corrected)

    return jellyfish.soundex(key)


def _spoken(key: str) -> tuple[str, str, str]:
    """How ``key`` (a folded word) is said, by two rules of English spelling that words
    sounding alike share, and the vowels it opens with: its Metaphone key (its consonants as
    said: blare and blair BLR, blame BLM, board BRT), its NYSIIS key (where its vowels fall:
    blare and blair BLAR, but field FALD and failed FALAD, both FLT by Metaphone), and
    :func:`_opening_vowels` (a and ai). Finer than :func:`_sound`'s Soundex code, which has
    blame B450 beside blare's B460. Two words' keys are compared by :func:`_heard_alike`."""
    import jellyfish  # (imported only when a word is corrected)

    return jellyfish.metaphone(key), jellyfish.nysiis(key), _opening_vowels(key)


def _heard_alike(heard: tuple[str, str, str], spoken: tuple[str, str, str]) -> bool:
    """Whether two words whose :func:`_spoken` keys are ``heard`` and ``spoken`` sound alike:
    the same Metaphone and NYSIIS keys, and the same first vowel, or the same first two
    vowels in either order.

    Neither key tells one vowel from another (Metaphone drops them, NYSIIS writes them all
    A), so without the first vowel points (PNTS, PANT) sounded as paents, seeing as
    saieing, stars as stoers and boss as baiss. A word written by ear keeps the vowel it
    opens with, usually the one stressed, and misspells those unstressed after it:
    seperate, definately, independant, Kenedy, Mandleson. Or it swaps the pair it opens
    with, as "i before e" misleads: wierd, thier, freind (weird, their, friend)."""
    if heard[:2] != spoken[:2]:
        return False
    typed, candidate = heard[2], spoken[2]
    return typed[:1] == candidate[:1] or (len(typed) == 2 and typed == candidate[::-1])


def _same_sound(candidate: str, heard: tuple[str, str, str], sound: str,
                spoken: tuple[str, str, str]) -> bool:
    """Whether ``candidate`` (whose :func:`_spoken` keys are ``heard``) sounds as a word whose
    Soundex code is ``sound`` and whose keys are ``spoken``, by either rule: the same Soundex
    code, or the same Metaphone key. Each misses names the other hears: Thacher and Thatcher
    are T260 and T326 by Soundex (which codes the t of "tch"), 0XR both by Metaphone; Kenedy
    and Kennedy K530 both, but KNT and KNT too."""
    return _sound(candidate) == sound or heard[0] == spoken[0]


_OPENING_VOWELS = re.compile(r"[aeiou]{1,2}")


def _opening_vowels(key: str) -> str:
    """The first vowel (a, e, i, o or u) of ``key``, a folded word, with the vowel after it if
    one follows ("ei" of weird, "a" of blare); "" when it has none."""
    found = _OPENING_VOWELS.search(key)
    return found.group() if found else ""


def _typed_chance(distance: int, sounds_alike: bool, doublings: int = 0) -> float:
    """The chance that a word ``distance`` edits from the word typed was typed so (the
    channel of :func:`correct_word`'s noisy-channel model): :data:`EDIT_PROBABILITY` for
    each edit, :data:`DOUBLING_PROBABILITY` for each of them (``doublings``) that doubles or
    undoubles a letter, times :data:`SOUND_ALIKE_FACTOR` for a word that sounds as the word
    typed."""
    return (EDIT_PROBABILITY ** (distance - doublings) * DOUBLING_PROBABILITY**doublings
            * (SOUND_ALIKE_FACTOR if sounds_alike else 1.0))


_DOUBLED = re.compile(r"(.)\1+")


def _doublings(key: str, candidate: str, distance: int) -> int:
    """How many of the ``distance`` edits between ``key`` and ``candidate`` double or
    undouble a letter: those the two words lose when every run of one letter is written
    once ("tommorow" and "tomorrow" are both "tomorow": two; "Brittan" and "Britain", one)."""
    undoubled = osa_distance(_DOUBLED.sub(r"\1", key), _DOUBLED.sub(r"\1", candidate))
    return max(0, min(distance, distance - undoubled))


def _max_edits(key: str) -> int:
    """Edits a correction may make: none for words under 3 letters, 1 up to 4 letters, then 2."""
    if len(key) < 3:
        return 0
    return 1 if len(key) <= 4 else 2


@dataclass(frozen=True)
class OtherForms:
    """What the index holds of a typed word that no document writes as typed, in other
    forms its stem finds ("lobbyists": lobbyist; "taxings": tax, taxing, taxes): how many
    documents the stem finds (``docs``), and which keys of the vocabulary are such forms
    (``holds``: those with the typed word's stem)."""

    docs: int
    holds: Callable[[str], bool]


def correct_word(
    vocab: Vocabulary, word: str, context: np.ndarray | None = None,
    other_forms: OtherForms | None = None,
) -> Correction | None:
    """The most likely intended word for ``word`` as typed, if it is not ``word`` itself.

    A noisy-channel model: each candidate word of the vocabulary (sharing the first letter,
    within 1 edit for words of 3-4 letters, 2 from 5 letters) scores

        P(candidate | context) x EDIT_PROBABILITY ** edits x P(capitalised | candidate)

    where P(candidate | context) is the share of the documents holding the query's other
    words (``context``, sorted document numbers) that hold the candidate, smoothed toward
    its share of all documents (:data:`CONTEXT_PRIOR_DOCS`), and the last factor, for a
    word typed with a capital, is the share of the candidate's documents that write it
    capitalised (so "Blare" prefers the name Blair to the word blame). A frequent word two
    edits away beats a rare one a single edit away when it is ten times as likely.

    The typist's slips are of two kinds: at the keys (each wrong, missing, extra or swapped
    letter an edit) and by ear, a word written as it sounds. Among the candidates, one that
    sounds as the word typed (:func:`_heard_alike`) may have been
    typed either way: its chance is EDIT_PROBABILITY ** edits x :data:`SOUND_ALIKE_FACTOR`,
    still below that of any word an edit nearer. So "blare expenses" reads as Blair (BLR,
    as blare) and no longer as "board expenses" (BRT), two edits both, nor "blare" alone
    as blame (BLM, one edit); and "paents" reads as parents (a letter dropped), not points
    (two edits, and no sound-alike: o, not a). Whether the word is a slip at all is still
    judged by its edits at the keys alone (the thresholds below): a sound-alike only picks
    which word was meant, and makes no correction of a word that was not one before
    (Sunak is still no slip for Snake, SNK both, nor Brittan for Britain).

    A word typed with a capital is taken for a name, and a name is misspelt by ear (Blare,
    Kenedy, Hewit, Mandleson): its candidates are only the words that sound the same, by
    their Soundex codes (:func:`_sound`). A capitalised word that sounds like no word of the
    texts is likelier a name they never use than a slip: on news of 2004-05, Sunak was
    searched as Sunday (205 documents), Gove as Gone, Javid as Jamie and Swinson as Swindon,
    and Truss (one document) drew "Did you mean: Trust?".

    A word the index does not hold is corrected to the best candidate (``missing``) when
    that is likelier than the word being meant as typed (:data:`UNSEEN_WORD_LIKELIHOOD`); a
    word it holds in a few documents only when a candidate is :data:`SUGGEST_RATIO` times
    as likely as the word itself. ``None`` when nothing better is found.

    A word no document writes may still have a stem the index holds (``other_forms``):
    "definately" has the stem of define. Reading it as another form of that stem is one more
    candidate: each such form within reach is as likely as the stem's documents make it, and
    when one of them is the likeliest reading the word is left as typed (``None``). Define
    is five edits away, and "definately" is read as definitely (one edit, and said alike).
    """
    surface, key = normalise_word(word)
    maxdist = _max_edits(key)
    if not maxdist or not key.isalpha():
        return None
    typed_docs = vocab.frequency(key, surface)
    if typed_docs > vocab.rare_limit:
        return None
    capitalised = word[:1].isupper()
    sound = _sound(key) if capitalised else None
    spoken = _spoken(key)

    def likelihood(k: str) -> float:
        docs = vocab.docs(k)
        prior = len(docs) / max(vocab.size, 1)
        if context is not None and len(context):
            together = int(np.isin(docs, context, assume_unique=True).sum())
            prior = (together + CONTEXT_PRIOR_DOCS * prior) / (len(context) + CONTEXT_PRIOR_DOCS)
        return prior * (vocab.capitalised_share(k) if capitalised else 1.0)

    best, best_rank, best_score, best_distance, best_held = None, 0.0, 0.0, 0, False
    for candidate in vocab.keys_within(key, maxdist, prefix=1):
        heard = _spoken(candidate)
        if sound is not None and not _same_sound(candidate, heard, sound, spoken):
            continue  # see "A word typed with a capital" above
        distance = osa_distance(key, candidate)
        doubled = _doublings(key, candidate, distance)
        prior = likelihood(candidate)
        held = other_forms is not None and other_forms.holds(candidate)
        if held:  # (the typed word in another form: see other_forms above)
            prior = max(prior, other_forms.docs / max(vocab.size, 1)
                        * (vocab.capitalised_share(candidate) if capitalised else 1.0))
        score = prior * _typed_chance(distance, False, doubled)
        # (a word written as it sounds: the slip by ear, beside those at the keys; see above)
        rank = prior * _typed_chance(distance, _heard_alike(heard, spoken), doubled)
        if rank > best_rank or (rank == best_rank and best is not None and candidate < best):
            best, best_rank, best_score, best_distance = candidate, rank, score, distance
            best_held = held
    if best is None or best_score <= 0 or best_held:
        return None
    if not typed_docs and best_score < UNSEEN_WORD_LIKELIHOOD:
        return None  # likelier a word the texts never use than a slip for this one
    if typed_docs and best_score < SUGGEST_RATIO * likelihood(key):
        return None
    shown = with_typed_apostrophes(vocab.written(best) if capitalised else best, word)
    searched = not typed_docs and (not capitalised or vocab.capitalised_share(best) >= NAME_SHARE)
    return Correction(word=word, replacement=shown, missing=not typed_docs,
                      distance=best_distance, searched=searched)


_WILDCARDS = re.compile(r"([*?])")


def fold_pattern(pattern: str) -> str:
    """``pattern`` with its letters folded as the analyzer folds a word (accents,
    apostrophes, lower case); the wildcards ``*`` and ``?`` kept."""
    pieces = _WILDCARDS.split(pattern)
    return "".join(p if p in ("*", "?") else normalise_word(p)[1] for p in pieces)


def wildcard_regex(pattern: str) -> re.Pattern[str]:
    """The regular expression of a wildcard ``pattern`` (``*`` any letters, ``?`` one, the
    rest as typed), to match whole words (``fullmatch``): the one reading of a wildcard for
    the vocabulary's words, the lexicon's forms and a field's values."""
    return re.compile(
        "".join(".*" if p == "*" else "." if p == "?" else re.escape(p)
                for p in _WILDCARDS.split(pattern) if p)
    )


#: the most patterns whose words one vocabulary keeps (see :func:`expand_pattern`); emptied
#: when full
PATTERN_CACHE_SIZE = 256

#: vocabulary -> (pattern, lexicon) -> the keys it matches, or how many, past the most allowed
_EXPANDED: PerSearcher[Vocabulary, dict[tuple[str, Lexicon], list[str] | int]] = \
    PerSearcher(lambda _: {})


def expand_pattern(vocab: Vocabulary, pattern: str, lexicon: Lexicon) -> list[str]:
    """The vocabulary keys a wildcard pattern (``*`` any letters, ``?`` one) matches,
    folded as whole words are: ``ele?tion`` finds election, and an American spelling finds
    the British one the lexicon respells it to (``privatiz*`` finds privatisation).

    The second is found by splicing: for a key that does not match, the pattern's leading
    (or, for a pattern starting with a wildcard, trailing) letters replace the key's own
    over a few lengths; if the pattern matches the spliced word and the lexicon respells it
    to the key, the key matches. Raises :class:`PatternTooBroad` past
    :data:`MAX_PATTERN_WORDS` matches.

    Kept per vocabulary (one generation of the index): a query reads its patterns more than
    once (``Lib Dem*`` for the lexicon terms it completes, then for the query shown as
    searched; ``budget priv*`` by the terms, then by the parser for each field).
    """
    kept = _EXPANDED(vocab)
    found = kept.get((pattern, lexicon))
    if isinstance(found, int) and found <= MAX_PATTERN_WORDS:  # (the cap raised since)
        found = None
    if found is None:
        if len(kept) >= PATTERN_CACHE_SIZE:
            kept.clear()
        try:
            found = _expand_pattern(vocab, pattern, lexicon)
        except PatternTooBroad as exc:
            # its count, not the exception: a traceback's frames would hold the vocabulary
            found = exc.count
        kept[(pattern, lexicon)] = found
    if isinstance(found, int) or len(found) > MAX_PATTERN_WORDS:  # (or the cap lowered since)
        raise PatternTooBroad(pattern, found if isinstance(found, int) else len(found),
                              MAX_PATTERN_WORDS)
    return list(found)


def _expand_pattern(vocab: Vocabulary, pattern: str, lexicon: Lexicon) -> list[str]:
    folded = fold_pattern(pattern)
    regex = wildcard_regex(folded)
    literal = [p for p in _WILDCARDS.split(folded) if p]
    head = literal[0] if literal and literal[0] not in ("*", "?") else ""
    tail = literal[-1] if literal and literal[-1] not in ("*", "?") and not head else ""
    # with a head, only the keys starting with its first letter are read, and only those
    # starting with its first two tried: a match starts with them, a respelling too
    pool = starting_with(vocab.keys_starting(head[0]), head[:2]) if head else vocab.keys()
    found = []
    for n, key in enumerate(pool):
        if not n % 256:
            check_budget()
        if regex.fullmatch(key) or _respelled_match(key, regex, head, tail, lexicon):
            found.append(key)
            if len(found) > MAX_PATTERN_WORDS:
                raise PatternTooBroad(pattern, _count_matches(pool, regex), MAX_PATTERN_WORDS)
    return found


def expand_fuzzy(
    vocab: Vocabulary, word: str, maxdist: int, prefix: int, lexicon: Lexicon
) -> list[str]:
    """The vocabulary keys within ``maxdist`` edits of ``word`` (swaps count one) that share
    its first ``prefix`` letters, the word itself first; ``word`` folded as the analyzer
    folds it, American spellings respelled (``organize~`` is ``organise~``). Raises
    :class:`PatternTooBroad` past :data:`MAX_PATTERN_WORDS` words."""
    key = normalise_word(word.replace("\u2019", "'"))[1]
    if not key:
        return []
    if key.isalpha():
        key = lexicon.respell(key)
    words = [key, *vocab.keys_within(key, maxdist, prefix)]
    if len(words) > MAX_PATTERN_WORDS:
        raise PatternTooBroad(f"{word}~{maxdist}", len(words), MAX_PATTERN_WORDS)
    return words


def _count_matches(pool: Iterable[str], regex: re.Pattern[str]) -> int:
    return sum(1 for key in pool if regex.fullmatch(key))


#: how far (in letters) a spliced-in pattern head may be from the length it replaces:
#: respellings change a word by a letter or two ("labor" / "labour", "center" / "centre")
_SPLICE_SLACK = 2


def _respelled_match(
    key: str, regex: re.Pattern[str], head: str, tail: str, lexicon: Lexicon
) -> bool:
    """Does some word the pattern matches respell (by the lexicon) to ``key``?"""
    if len(head) >= 3 and key[:2] == head[:2]:
        for cut in range(len(head) - _SPLICE_SLACK, len(head) + _SPLICE_SLACK + 1):
            if 0 < cut <= len(key):
                word = head + key[cut:]
                if word != key and regex.fullmatch(word) and lexicon.respell(word) == key:
                    return True
    if len(tail) >= 3 and key[-1:] == tail[-1:]:
        for cut in range(len(tail) - _SPLICE_SLACK, len(tail) + _SPLICE_SLACK + 1):
            if 0 < cut <= len(key):
                word = key[:-cut] + tail
                if word != key and regex.fullmatch(word) and lexicon.respell(word) == key:
                    return True
    return False
