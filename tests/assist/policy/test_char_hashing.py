from __future__ import annotations

import json

import numpy as np

from assist.policy.char_hashing import bucket, word_buckets, word_ngrams
from assist.policy.rudeness import FEATURES, model_view
from assist.policy.rudeness_normalize import normalize
from assist.policy.train_rudeness import make_vectorizer
from tests.paths import SAMPLES

CHAT = SAMPLES / "policy" / "conduct_chat.jsonl"
RANGE = (FEATURES["ngram_range"][0], FEATURES["ngram_range"][1])
SIZE = FEATURES["n_features"]


def test_ngrams_of_a_word_are_padded_and_short_words_count_once() -> None:
    assert word_ngrams("ab", 2, 3) == [" a", "ab", "b ", " ab", "ab "]
    assert word_ngrams("a", 2, 5) == [" a", "a ", " a "]
    assert word_ngrams("", 2, 5) == ["  "]


def test_features_equal_scikit_learns_for_every_chat_word() -> None:
    vectorizer = make_vectorizer().set_params(norm=None)
    lines = CHAT.read_text(encoding="utf-8").splitlines()
    words = sorted(
        {w for line in lines for w in model_view(normalize(json.loads(line)["text"])).split()}
    )
    words += ["ё", "x", "№1", "😀", "ПРИВЕТ"]
    expected = vectorizer.transform(words)
    assert len(words) > 700
    for row, word in enumerate(words):
        ours = np.bincount(word_buckets(word, RANGE, SIZE), minlength=SIZE)
        theirs = expected[row].toarray().ravel()
        np.testing.assert_array_equal(ours, theirs, err_msg=word)


def test_bucket_is_the_absolute_hash_modulo_the_size() -> None:
    assert 0 <= bucket(" ab", SIZE) < SIZE
    assert bucket("abc", 7) == bucket("abc", 7 * 3) % 7
