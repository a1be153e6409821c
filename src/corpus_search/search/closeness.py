"""The proximity bonus's arithmetic over position keys (``document * STRIDE + position``):
the keys of the documents it re-ranks numbered by place, every pair of concepts shifted
into one array, and each key's closeness to the nearest of another concept's
(:meth:`~corpus_search.search.engine.QueryEngine.proximity` reads the keys and weighs
the sums)."""

from __future__ import annotations

import functools

import numpy as np

__all__ = ["STRIDE", "KeyRanges", "closeness", "closeness_weights", "shifted"]

#: ``(document, position)`` pairs are searched as ``document * STRIDE + position``
STRIDE = np.int64(1) << 32


class KeyRanges:
    """The documents ``cands`` (ascending) of a proximity bonus: where their position keys
    lie, and how a key of one of them becomes ``n * STRIDE + position``, numbered by its
    place ``n`` in ``cands`` rather than by its document (worked out only for the keys of a
    concept not yet kept for them)."""

    __slots__ = ("cands", "key")

    def __init__(self, cands: np.ndarray) -> None:
        self.cands = cands
        #: the documents as a cache key
        self.key = cands.tobytes()

    def keys(self, keys: np.ndarray) -> np.ndarray:
        """The keys of ``keys`` (sorted ``document * STRIDE + position``) in these documents,
        numbered by place."""
        starts = self.cands.astype(np.int64) * STRIDE  # each document's first possible key
        renumber = starts - np.arange(len(starts), dtype=np.int64) * STRIDE
        lo = keys.searchsorted(starts)
        lens = keys.searchsorted(starts + STRIDE) - lo
        run_starts = (lo - (lens.cumsum() - lens)).repeat(lens)
        return keys[np.arange(len(run_starts)) + run_starts] - renumber.repeat(lens)


def closeness(a: np.ndarray, b: np.ndarray, window: int, span: np.int64, pairs: int) -> np.ndarray:
    """Per pair and document: the sum over the pair's keys in ``a`` of ``1 / sqrt(d)``, where
    ``d`` (1..``window``; 0 counts as 1) is the distance to the nearest of its keys in ``b``
    in the same document (keys of two documents are ``STRIDE`` apart, so a distance within
    the window is within one). The keys (numbered by place, see :class:`KeyRanges`) of pair
    ``p`` are shifted by ``p * span``, with a key below and one above all others at the ends
    (:func:`shifted`)."""
    a = a[1:-1]
    right = b.searchsorted(a)  # 1 .. len(b) - 1: b's first key is below a's, its last above
    best = np.maximum(np.minimum(a - b[right - 1], b[right] - a), 1)  # one position: adjacent
    near = best <= window
    per_pair = int(span // STRIDE)
    if not near.any():
        return np.zeros((pairs, per_pair - 1))
    owner = a[near] // STRIDE  # pair * per_pair + document
    closeness = closeness_weights(window)[best[near]]
    sums = np.bincount(owner, weights=closeness, minlength=pairs * per_pair)
    return sums.reshape(pairs, per_pair)[:, :-1]


@functools.lru_cache(maxsize=8)
def closeness_weights(window: int) -> np.ndarray:
    """``1 / sqrt(d)`` at ``d`` for 1..``window`` (1 at 0): two concepts adjacent count 1,
    four apart a half, at opposite ends of a long sentence a tenth. Rasolofo and Savoy's
    ``1 / d**2`` gave a sixteenth at four apart: with the window one sentence, a decay this
    slow rewards concepts of one sentence over concepts of different ones (issue 9: on the
    public topics held-out nDCG@10 0.8773 -> 0.8796, see docs/relevance.md)."""
    d = np.arange(window + 1, dtype=np.float64)
    d[0] = 1.0
    table = 1.0 / np.sqrt(d)
    table.flags.writeable = False
    return table


#: a key below every position key, and one above (distances to them are never within a window)
_BELOW, _ABOVE = np.array([-STRIDE]), np.array([np.iinfo(np.int64).max])


def shifted(blocks: list[np.ndarray], span: np.int64) -> np.ndarray:
    """The keys of ``blocks`` in one array, those of block ``p`` plus ``p * span``, between
    :data:`_BELOW` and :data:`_ABOVE`."""
    keys = np.concatenate([_BELOW, *blocks, _ABOVE])
    if len(blocks) > 1:
        shift = np.arange(len(blocks), dtype=np.int64) * span
        keys[1:-1] += shift.repeat([len(block) for block in blocks])
    return keys
