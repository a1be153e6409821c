"""How many random misspellings of an index's words the spelling corrector reads as meant.

Words of at least 5 letters that at least 3 documents hold are drawn, uniformly or as often
as documents hold them, and misspelt at the keys: a letter dropped, added, changed or two
swapped (never the first), a second slip in 3 of 10; a misspelling the index holds is drawn
again. Each is corrected alone (no other query words), as
corpus_search.search.spelling.correct_word reads it:

    python tools/spelling_random.py /tmp/bbc-index --seed 0 --count 3000

With ``--search`` each is searched instead (``CorpusIndex.search``), and read as meant when
the search's suggestion is the word meant: as a user meets it, after the rules that decide
which typed words are questioned at all (a slip whose stem the index holds, "electons",
is judged there, not by correct_word alone).

Run it with PYTHONPATH pointing at two versions of src/ to compare them (the draws depend
only on the seed and the index). The realistic misspellings of tests/data/bbc_misspellings.tsv
are measured by tests/test_spelling.py.
"""

from __future__ import annotations

import argparse
import random
import string

from corpus_search import CorpusIndex
from corpus_search.search import spelling
from corpus_search.search.engine import engine_for_ranking
from corpus_search.search.ranking import RANKING
from corpus_search.search.vocabulary import vocabulary


def slip(word: str, rng: random.Random) -> str:
    """``word`` with one slip at the keys, its first letter kept."""
    n = rng.randrange(1, len(word))
    kind = rng.choice("dist")
    if kind == "d":
        return word[:n] + word[n + 1:]
    if kind == "i":
        return word[:n] + rng.choice(string.ascii_lowercase) + word[n:]
    if kind == "s":
        return word[:n] + rng.choice(string.ascii_lowercase.replace(word[n], "")) + word[n + 1:]
    if n + 1 < len(word) and word[n] != word[n + 1]:
        return word[:n] + word[n + 1] + word[n] + word[n + 2:]
    return word[:n] + word[n + 1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--search", action="store_true",
                        help="search each misspelling, and count the suggestions")
    args = parser.parse_args()
    with CorpusIndex(args.index) as ix:
        vocab = vocabulary(engine_for_ranking(ix.searcher(RANKING), RANKING))
        held = vocab.keys()
        words = [k for k in held if k.isalpha() and len(k) >= 5 and len(vocab.docs(k)) >= 3]
        weights = [len(vocab.docs(k)) for k in words]
        rng = random.Random(args.seed)
        for name, draw in (("uniform", lambda: rng.choice(words)),
                           ("by frequency", lambda: rng.choices(words, weights)[0])):
            right = wrong = made = 0
            while made < args.count:
                meant = draw()
                typed = slip(meant, rng)
                if rng.random() < 0.3:
                    typed = slip(typed, rng)
                if typed == meant or len(typed) < 5 or vocab.frequency(typed):
                    continue
                made += 1
                if args.search:
                    read = ix.search(typed, limit=1).suggestion
                else:
                    found = spelling.correct_word(vocab, typed)
                    read = None if found is None else found.replacement
                right += read == meant
                wrong += read not in (None, meant)
            print(f"{name}: {right}/{made} corrected to the word meant, {wrong} to another")


if __name__ == "__main__":
    main()
