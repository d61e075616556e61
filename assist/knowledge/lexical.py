"""Russian-aware lexical ranking: an analyzer and a BM25 index over int64 keys.

Every word yields two index terms: its Snowball stem (Russian stemmer for Cyrillic words,
English for Latin ones) and a coarser *root* (``~`` + the stem with common derivational
suffixes cut: ``настроить``/``настройка``/``настроек`` → ``~настр``). An exact inflection
therefore matches on both terms and a relative form (noun for verb) on the root alone.

Field weighting: a document is either a string or a sequence of ``(text, weight)`` fields,
e.g. ``[(title, 3.0), (body, 1.0)]``; a field's words count ``weight`` times in the term
frequencies and in the document length (the BM25F simplification). Repeating text works too.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO

import numpy as np
import numpy.typing as npt
import scipy.sparse
import snowballstemmer

Keys = npt.NDArray[np.int64]
Document = str | Sequence[tuple[str, float]]

# Saved analysed documents are loaded only under the same version: bump it with any change
# to how text becomes terms (tokens, synonyms, stems, roots, field weighting).
ANALYSIS_VERSION = "terms-1"
_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+")
_CYRILLIC = re.compile(r"[а-я]")
_LATIN = re.compile(r"[a-z]")
# "1С" is typed with a Cyrillic С as often as with a Latin C.
_SYNONYMS = {"1с": "1c", "1cv8": "1c", "1св8": "1c"}
STOP_WORDS: frozenset[str] = frozenset(
    str.split(
        "и в во не на я что с со он а как это по но они к у мы вы ты из за так же от все о об "
        "бы ли да нет то его ее их мне меня вам вас нам нас ему ей им мой ваш наш этот тот "
        "был была было были быть есть уже еще тоже очень вот при про без до для или если "
        "чтобы ну же ж бы ни где когда там тут здесь "
        "the a an and or of to in on at for with is are was were be been it this that these "
        "those by from as i you we they he she my your our not no do does did can will would "
        "please hello hi"
    )
)
# Derivational suffixes cut from Russian stems for the root term (longest first within the
# order they are tried); the final-vowel cuts make verb and noun stems agree (работа/работ).
_ROOT_SUFFIXES = (
    "ирова", "ова", "ева", "ыва", "ива", "ость", "ост", "ств", "тель", "тел", "ени", "ани",
    "енн", "ен", "ан", "ок", "ек", "к", "н", "й", "ь", "а", "е", "и", "о", "у", "ы", "я", "ю",
)  # fmt: skip
_ROOT_MIN = 4


class Analyzer:
    """Text → index terms: lowercase, ё→е, tokens of letters or digits, stop words out,
    Snowball stem by script, plus the root term. Thread-safe; results are cached."""

    def __init__(self, stop_words: Iterable[str] = STOP_WORDS, cache_size: int = 262144) -> None:
        self.stop_words = frozenset(stop_words)
        self._stemmers = {
            "ru": snowballstemmer.stemmer("russian"),
            "en": snowballstemmer.stemmer("english"),
        }
        self._lock = threading.Lock()  # a Snowball stemmer keeps its current word in itself
        self._terms = lru_cache(maxsize=cache_size)(self._word_terms)

    def tokens(self, text: str) -> list[str]:
        """Normalised words, stop words removed."""
        words = _TOKEN.findall(text.lower().replace("ё", "е"))
        return [_SYNONYMS.get(w, w) for w in words if w not in self.stop_words]

    def stem(self, token: str) -> str:
        return self._terms(token)[0]

    def terms(self, text: str) -> list[str]:
        """Index terms of a text: a stem and a ``~root`` per word."""
        out: list[str] = []
        for token in self.tokens(text):
            out.extend(self._terms(token))
        return out

    def _word_terms(self, token: str) -> tuple[str, str]:
        if _CYRILLIC.search(token) and not _LATIN.search(token):
            with self._lock:
                stem = str(self._stemmers["ru"].stemWord(token))
            return stem, "~" + _root(stem)
        if _LATIN.search(token) and not _CYRILLIC.search(token):
            with self._lock:
                stem = str(self._stemmers["en"].stemWord(token))
            return stem, "~" + stem
        return token, "~" + token


def _root(stem: str) -> str:
    changed = True
    while changed:
        changed = False
        for suffix in _ROOT_SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= _ROOT_MIN:
                stem, changed = stem[: -len(suffix)], True
                break
        # обновл(ение) → обнов(ить): drop the epenthetic л after a labial.
        if stem[-2:] in ("бл", "вл", "пл", "мл", "фл") and len(stem) > _ROOT_MIN:
            stem, changed = stem[:-1], True
    return stem


@dataclass(frozen=True)
class _Built:
    """An immutable snapshot of the index that searches read without locking."""

    keys: Keys
    indptr: npt.NDArray[np.int64]
    rows: npt.NDArray[np.int32]
    weights: npt.NDArray[np.float32]
    idf: npt.NDArray[np.float64]
    avgdl: float


class LexicalIndex:
    """BM25 over documents addressed by int64 keys (a key upserted again is replaced).

    The postings live in a CSC matrix, term × document, holding each posting's final BM25
    weight, so a query is a few array slices and one ``bincount``. The matrix is rebuilt
    lazily by the first search after a change (about a second per 100,000 documents);
    analysed documents are kept, so a rebuild never re-tokenises.
    """

    def __init__(self, analyzer: Analyzer | None = None, k1: float = 1.2, b: float = 0.75) -> None:
        if k1 < 0 or not 0 <= b <= 1:
            raise ValueError("need k1 >= 0 and 0 <= b <= 1")
        self.analyzer = analyzer or Analyzer()
        self.k1, self.b = k1, b
        self._vocab: dict[str, int] = {}
        self._docs: dict[int, tuple[npt.NDArray[np.int32], npt.NDArray[np.float32], float]] = {}
        self._built: _Built | None = None
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return len(self._docs)

    def keys(self) -> Keys:
        with self._lock:
            return np.fromiter(self._docs, dtype=np.int64, count=len(self._docs))

    def upsert(self, keys: Sequence[int] | Keys, texts: Sequence[Document]) -> None:
        """Add documents; a key already present is replaced."""
        if len(keys) != len(texts):
            raise ValueError(f"{len(keys)} keys but {len(texts)} texts")
        analysed = [self._analyse(text) for text in texts]
        with self._lock:
            for key, counts in zip(keys, analysed, strict=True):
                ids = np.fromiter(
                    (self._vocab.setdefault(t, len(self._vocab)) for t in counts),
                    dtype=np.int32,
                    count=len(counts),
                )
                tfs = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
                self._docs[int(key)] = (ids, tfs, float(tfs.sum()))
            self._built = None

    def remove(self, keys: Sequence[int] | Keys) -> None:
        """Drop documents; unknown keys are ignored."""
        with self._lock:
            for key in keys:
                self._docs.pop(int(key), None)
            self._built = None

    @property
    def fingerprint(self) -> str:
        """Names the analysis: its version and the stop words. Saved terms made by another
        analysis are never loaded (see `save`)."""
        digest = hashlib.sha256(ANALYSIS_VERSION.encode())
        digest.update(b"\0" + "\0".join(sorted(self.analyzer.stop_words)).encode())
        return digest.hexdigest()[:32]

    def save(self, handle: IO[bytes]) -> None:
        """Write the analysed documents (not the BM25 matrix, rebuilt in about a second per
        100,000): analysing every text again cost most of a start at 100,000 tasks."""
        with self._lock:
            keys = np.fromiter(self._docs, dtype=np.int64, count=len(self._docs))
            docs = list(self._docs.values())
            vocabulary = json.dumps(list(self._vocab), ensure_ascii=False).encode()
        np.savez(
            handle,
            keys=keys,
            sizes=np.fromiter((len(ids) for ids, _tfs, _dl in docs), np.int64, len(docs)),
            lengths=np.fromiter((dl for _ids, _tfs, dl in docs), np.float64, len(docs)),
            ids=np.concatenate([ids for ids, _tfs, _dl in docs] or [np.zeros(0, np.int32)]),
            tfs=np.concatenate([tfs for _ids, tfs, _dl in docs] or [np.zeros(0, np.float32)]),
            vocabulary=np.frombuffer(vocabulary, dtype=np.uint8),
        )

    def load(self, path: Path) -> None:
        """Replace the contents with what `save` wrote."""
        with np.load(path, allow_pickle=False) as saved:
            keys, sizes, lengths = saved["keys"], saved["sizes"], saved["lengths"]
            ids, tfs = saved["ids"].astype(np.int32), saved["tfs"].astype(np.float32)
            terms: list[str] = json.loads(saved["vocabulary"].tobytes().decode())
        if not len(keys) == len(sizes) == len(lengths) or int(sizes.sum()) != len(ids):
            raise ValueError(f"{path}: saved lexical index is inconsistent")
        if len(ids) != len(tfs) or (len(ids) and int(ids.max()) >= len(terms)):
            raise ValueError(f"{path}: saved lexical index is inconsistent")
        ends = np.cumsum(sizes).tolist()
        # Views into two arrays: one allocation each instead of two per document.
        docs = {
            key: (ids[end - size : end], tfs[end - size : end], length)
            for key, size, end, length in zip(
                keys.tolist(), sizes.tolist(), ends, lengths.tolist(), strict=True
            )
        }
        with self._lock:
            self._vocab = {term: i for i, term in enumerate(terms)}
            self._docs = docs
            self._built = None

    def search(self, query: str, k: int, *, normalized: bool = False) -> list[tuple[int, float]]:
        """Top ``k`` (key, score) pairs, best first, ties by key; [] when nothing matches.
        With ``normalized`` each score is divided by :meth:`max_score` and capped at 1."""
        built = self._snapshot()
        if built is None or k <= 0:
            return []
        known, unknown = self._query_terms(query, built)
        rows: list[npt.NDArray[np.int32]] = []
        weights: list[npt.NDArray[np.float32]] = []
        for term, qtf in known.items():
            start, end = built.indptr[term], built.indptr[term + 1]
            if start < end:
                rows.append(built.rows[start:end])
                posting = built.weights[start:end]
                weights.append(posting if qtf == 1 else posting * np.float32(qtf))
        if not rows:
            return []
        scores = np.bincount(
            np.concatenate(rows), weights=np.concatenate(weights), minlength=len(built.keys)
        )
        found = np.flatnonzero(scores > 0)
        if len(found) > k:
            # Keep everything tied with the k-th best so ties break by key, not by chance;
            # float32 partitions faster, the final order uses the float64 scores.
            values = scores[found].astype(np.float32)
            kth = np.partition(values, len(values) - k)[len(values) - k]
            found = found[values >= kth]
        found = found[np.lexsort((built.keys[found], -scores[found]))][:k]
        if not normalized:
            return [(int(built.keys[i]), float(scores[i])) for i in found]
        bound = self._bound(built, known, unknown)
        return [(int(built.keys[i]), min(1.0, float(scores[i]) / bound)) for i in found]

    def max_score(self, query: str) -> float:
        """The score of the query's self-match: what a document consisting of exactly the
        query's terms would score in this index (0.0 for an empty index or query).

        Normalised scores are ``min(1, score / max_score)``. Dividing by the self-match
        removes what makes raw BM25 incomparable across queries — the number of query terms
        and their IDF — so 1.0 means "as good as the query itself" and 0.5 roughly "half of
        the query's IDF mass matched". Query terms absent from the index still count (at the
        IDF of an unseen term), so a query whose rare words match nothing cannot score high.
        A document shorter than the query that repeats its terms may exceed the self-match;
        it is capped at 1.
        """
        built = self._snapshot()
        if built is None:
            return 0.0
        known, unknown = self._query_terms(query, built)
        return self._bound(built, known, unknown)

    def _bound(self, built: _Built, known: dict[int, float], unknown: list[float]) -> float:
        length = sum(known.values()) + sum(unknown)
        norm = self.k1 * (1 - self.b + self.b * length / built.avgdl)
        unseen_idf = float(np.log1p((len(built.keys) + 0.5) / 0.5))
        pairs = [(float(built.idf[t]), qtf) for t, qtf in known.items()]
        pairs += [(unseen_idf, qtf) for qtf in unknown]
        return sum(idf * qtf * qtf * (self.k1 + 1) / (qtf + norm) for idf, qtf in pairs)

    def _query_terms(self, query: str, built: _Built) -> tuple[dict[int, float], list[float]]:
        """Query term counts split into terms of the snapshot's vocabulary and the rest."""
        known: dict[int, float] = {}
        unknown: list[float] = []
        vocabulary = len(built.idf)
        for term, count in Counter(self.analyzer.terms(query)).items():
            index = self._vocab.get(term)
            if index is not None and index < vocabulary:
                known[index] = float(count)
            else:
                unknown.append(float(count))
        return known, unknown

    def _analyse(self, text: Document) -> dict[str, float]:
        if isinstance(text, str):
            return dict(Counter(self.analyzer.terms(text)))
        counts: dict[str, float] = {}
        for field, weight in text:
            if weight < 0:
                raise ValueError("field weights must not be negative")
            for term, count in Counter(self.analyzer.terms(field)).items():
                counts[term] = counts.get(term, 0.0) + weight * count
        return counts

    def _snapshot(self) -> _Built | None:
        with self._lock:
            if self._built is None and self._docs:
                self._built = self._build()
            return self._built

    def _build(self) -> _Built:
        keys = np.fromiter(self._docs, dtype=np.int64, count=len(self._docs))
        ids, tfs, lengths = zip(*self._docs.values(), strict=True)
        sizes = np.fromiter((len(i) for i in ids), dtype=np.int64, count=len(ids))
        rows = np.repeat(np.arange(len(keys), dtype=np.int32), sizes)
        cols = np.concatenate(ids)
        tf = np.concatenate(tfs).astype(np.float64)
        dl = np.asarray(lengths, dtype=np.float64)
        avgdl = float(dl.mean()) or 1.0
        df = np.bincount(cols, minlength=len(self._vocab))
        idf = np.log1p((len(keys) - df + 0.5) / (df + 0.5))
        norm = self.k1 * (1 - self.b + self.b * dl / avgdl)
        weight = idf[cols] * tf * (self.k1 + 1) / (tf + norm[rows])
        shape = (len(keys), len(self._vocab))
        matrix = scipy.sparse.csc_matrix((weight.astype(np.float32), (rows, cols)), shape=shape)
        return _Built(
            keys=keys,
            indptr=matrix.indptr.astype(np.int64),
            rows=matrix.indices.astype(np.int32),
            weights=matrix.data.astype(np.float32),
            idf=idf,
            avgdl=avgdl,
        )
