"""Hashed character n-grams of words, exactly as scikit-learn's `HashingVectorizer` makes
them with `analyzer="char_wb"`, `alternate_sign=False` and no norm.

The rudeness model is trained with scikit-learn, but importing it at run time cost the
server ~1.3 s of its start and ~65 MB of memory for one function. The same MurmurHash3
(x86, 32-bit, seed 0, over UTF-8) comes from `mmh3`; a test compares the features with
scikit-learn's on the chat set.
"""

from __future__ import annotations

import mmh3
import numpy as np
import numpy.typing as npt

_INT32_MIN = -(2**31)


def word_ngrams(word: str, min_n: int, max_n: int) -> list[str]:
    """The char_wb n-grams of one word: the word padded with a space on each side, cut
    into every n-gram from `min_n` to `max_n` characters; a padded word shorter than n
    gives itself once."""
    padded = f" {word} "
    out = []
    for n in range(min_n, max_n + 1):
        if len(padded) <= n:
            out.append(padded)
            break
        out.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return out


def bucket(ngram: str, n_features: int) -> int:
    h: int = mmh3.hash(ngram, 0)
    # scikit-learn's own rule for the one hash whose absolute value int32 cannot hold.
    return (2**31 - 1 - (n_features - 1)) % n_features if h == _INT32_MIN else abs(h) % n_features


def word_buckets(word: str, ngram_range: tuple[int, int], n_features: int) -> npt.NDArray[np.int64]:
    """The feature index of each of the word's n-grams (repeats kept: they are counts)."""
    grams = word_ngrams(word, *ngram_range)
    return np.fromiter((bucket(g, n_features) for g in grams), dtype=np.int64, count=len(grams))
