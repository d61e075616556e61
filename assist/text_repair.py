"""Repair Russian typed on the English keyboard layout or transliterated in Latin letters.

A Latin-letter message is read three ways: as English (unchanged), as Russian typed on the
QWERTY layout (every key replaced by its ЙЦУКЕН letter, ``yt hf,jnftn`` → ``не работает``) and
as Russian transliteration (``ne rabotaet`` → ``не работает``; the schemes overlap, so each
word is decoded by a small beam search over the ambiguous letters). Every reading is scored
the same explainable way, over its words weighted by length (capped, so one long word does not
outvote the rest):

* ``known`` — share of words found in a compact list of common words of the reading's language
  (``assist/data/{ru,en}_common_words.txt``): an exact form counts 1, a Snowball-stem match
  (another inflection) counts ``STEM_CREDIT``;
* ``plausibility`` — how much better than chance the words' letter bigrams are under a bigram
  model estimated from the same list, in [-1, 1]; a tie-breaker for words outside the list.

``score = known + PLAUSIBILITY_WEIGHT * plausibility``. A Russian reading replaces the text
only when most of its words are known (``known >= MIN_KNOWN``) and it beats the English
reading by ``MARGIN``. Texts containing any Cyrillic letter are left alone: they are already
Russian, possibly with Latin product names inside.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from types import MappingProxyType
from typing import Literal

import snowballstemmer

Kind = Literal["none", "layout", "translit"]
ReadingKind = Literal["english", "layout", "translit"]

STEM_CREDIT = 0.8
PLAUSIBILITY_WEIGHT = 0.5
MIN_KNOWN = 0.25
MARGIN = 0.35
_MAX_WORD_WEIGHT = 6
_BEAM = 12
_SMOOTHING = 0.5

# Words that read the same in any reading: never converted, never scored.
PRODUCT_WORDS: frozenset[str] = frozenset(
    {
        "1c", "1с", "1c-connect", "1с-коннект", "connect", "коннект", "коннекта", "коннекте",
        "buhphone", "vpn", "rdp", "wifi", "wi-fi", "windows", "android", "ios", "iphone",
        "macos", "linux", "http", "https", "www", "sms", "pdf", "usb", "ip", "url", "api",
        "id", "pin", "qr", "its", "edo",
    }
)  # fmt: skip

# The standard ЙЦУКЕН layout over QWERTY keys, unshifted and shifted.
_LAYOUT: Mapping[str, str] = MappingProxyType(
    dict(
        zip(
            "qwertyuiop[]asdfghjkl;'zxcvbnm,.`QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>~",
            "йцукенгшщзхъфывапролджэячсмитьбюёЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮЁ",
            strict=True,
        )
    )
)
# Keys that give sentence punctuation on ЙЦУКЕН; they only matter at the end of a word.
_LAYOUT_PUNCT: Mapping[str, str] = MappingProxyType({"/": ".", "?": ",", "&": "?", "^": ":"})

# Latin spellings of Russian letters across the common schemes (GOST, passport, BGN and the
# informal chat habits, which drop the soft sign after l, n, s, t); the first option is the
# most usual one.
_TRANSLIT: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "shch": ("щ", "щь"), "sch": ("щ", "щь"),
        "sh": ("ш",), "ch": ("ч",), "zh": ("ж",), "kh": ("х",),
        "ts": ("ц", "тс"), "tc": ("ц",), "tz": ("ц",),
        "ya": ("я", "ья"), "ja": ("я",), "ia": ("ия", "я"),
        "yu": ("ю", "ью"), "ju": ("ю",), "iu": ("ию", "ю"),
        "yo": ("ё", "йо"), "jo": ("ё",), "ye": ("е", "ые", "ье"), "je": ("е",),
        "yi": ("ый", "ыи"), "iy": ("ий", "ый"), "ij": ("ий",), "yy": ("ый",), "yj": ("ый",),
        "a": ("а",), "b": ("б",), "v": ("в",), "g": ("г",), "d": ("д",), "e": ("е", "э"),
        "z": ("з",), "i": ("и", "й"), "y": ("ы", "й"), "j": ("й", "ж"), "k": ("к",),
        "l": ("л", "ль"), "m": ("м",), "n": ("н", "нь"), "o": ("о",), "p": ("п",), "r": ("р",),
        "s": ("с", "сь"), "t": ("т", "ть"), "u": ("у",), "f": ("ф",), "h": ("х",),
        "c": ("ц", "к", "с"), "x": ("кс", "х"), "w": ("в", "ш"), "q": ("к",),
        "'": ("ь", "ъ"), "`": ("ь",),
    }
)  # fmt: skip
_TRANSLIT_KEY_LENGTHS = sorted({len(k) for k in _TRANSLIT}, reverse=True)

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
_SPLIT = re.compile(r"(\s+)")
_NEUTRAL = re.compile(r"\d|@|://|^www\.", re.IGNORECASE)
_EDGE = "([{<\"'«»)]}>!?.,:;…-–—*/&^"
_LETTER_KEYS_PUNCT = "[];',.`{}:\"<>~"
_TRANSLIT_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*'?")
_ENGLISH_WORD = re.compile(r"[a-z]+(?:['-][a-z]+)*")


@dataclass(frozen=True)
class Repair:
    """Outcome of :func:`repair`: ``score`` is the best Russian reading's score minus the
    English reading's (repairs happen at ``>= MARGIN``), 0.0 when nothing could be read."""

    text: str
    kind: Kind
    score: float


@dataclass(frozen=True)
class Reading:
    """One interpretation of a Latin-letter text, with the parts of its score."""

    kind: ReadingKind
    text: str
    known: float
    plausibility: float

    @property
    def score(self) -> float:
        return self.known + PLAUSIBILITY_WEIGHT * self.plausibility


@dataclass(frozen=True)
class _Lexicon:
    words: frozenset[str]
    stems: frozenset[str]
    stem: Callable[[str], str]
    logp: Mapping[str, float]  # "ab" -> log P(b | a); "^" starts and "$" ends a word
    unseen: Mapping[str, float]  # a -> log P(unseen letter | a)
    baseline: float  # log of the uniform letter probability


def _fold(word: str) -> str:
    return word.lower().replace("ё", "е")


def _make_stemmer(language: str) -> Callable[[str], str]:
    stemmer = snowballstemmer.stemmer(language)
    lock = threading.Lock()  # a Snowball stemmer keeps its current word in itself

    @lru_cache(maxsize=65536)
    def stem(word: str) -> str:
        with lock:
            return str(stemmer.stemWord(word))

    return stem


@cache
def _lexicon(language: Literal["ru", "en"]) -> _Lexicon:
    """The word list of a language and the letter-bigram model estimated from it."""
    name = f"{language}_common_words.txt"
    text = files("assist").joinpath("data", name).read_text(encoding="utf-8")
    words = frozenset(_fold(line.strip()) for line in text.splitlines() if line.strip())
    stem = _make_stemmer("russian" if language == "ru" else "english")
    pairs: Counter[str] = Counter()
    for word in words:
        padded = f"^{word}$"
        pairs.update(padded[i : i + 2] for i in range(len(padded) - 1))
    alphabet = {c for pair in pairs for c in pair} - {"^"}
    totals: Counter[str] = Counter()
    for pair, count in pairs.items():
        totals[pair[0]] += count
    size = len(alphabet)
    logp = {
        pair: math.log((count + _SMOOTHING) / (totals[pair[0]] + _SMOOTHING * size))
        for pair, count in pairs.items()
    }
    unseen = {a: math.log(_SMOOTHING / (totals[a] + _SMOOTHING * size)) for a in totals}
    return _Lexicon(
        words=words,
        stems=frozenset(stem(w) for w in words),
        stem=stem,
        logp=MappingProxyType(logp),
        unseen=MappingProxyType(unseen),
        baseline=math.log(1.0 / size),
    )


def _transition(lex: _Lexicon, prev: str, char: str) -> float:
    found = lex.logp.get(prev + char)
    if found is not None:
        return found
    # A letter outside the language's alphabet costs twice an unseen pair.
    penalty = 1.0 if char in lex.unseen or char == "$" else 2.0
    return penalty * lex.unseen.get(prev, lex.baseline)


def _plausibility(lex: _Lexicon, word: str) -> float:
    padded = f"^{word}$"
    total = sum(_transition(lex, padded[i], padded[i + 1]) for i in range(len(padded) - 1))
    mean = total / (len(padded) - 1)
    return max(-1.0, min(1.0, (mean - lex.baseline) / -lex.baseline))


def _known(lex: _Lexicon, word: str) -> float:
    folded = _fold(word)
    if folded in lex.words:
        return 1.0
    stem = lex.stem(folded)
    # Very short stems collide by chance, so they only count as exact words.
    return STEM_CREDIT if len(stem) >= 3 and stem in lex.stems else 0.0


def _match_case(source: str, target: str) -> str:
    letters = [c for c in source if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return target.upper()
    if letters and letters[0].isupper():
        return target[:1].upper() + target[1:]
    return target


def _is_neutral(chunk: str) -> bool:
    return bool(_NEUTRAL.search(chunk)) or chunk.strip(_EDGE).lower() in PRODUCT_WORDS


def _split_edges(chunk: str, inner: Callable[[str], bool]) -> tuple[str, str, str]:
    start, end = 0, len(chunk)
    while start < end and not inner(chunk[start]):
        start += 1
    while end > start and not inner(chunk[end - 1]):
        end -= 1
    return chunk[:start], chunk[start:end], chunk[end:]


@lru_cache(maxsize=8192)
def _layout_word(core: str) -> tuple[str, float, float]:
    """Map one word's keys. A trailing run of punctuation keys is read both as letters
    (``pyf.`` → ``знаю``) and as punctuation (``ghbdtn,`` → ``привет,``); the lexicon decides."""
    lex = _lexicon("ru")
    head = core.rstrip(_LETTER_KEYS_PUNCT)
    options = [("".join(_LAYOUT.get(c, c) for c in core), "")]
    if head and head != core:
        options.append(("".join(_LAYOUT.get(c, c) for c in head), core[len(head) :]))
    scored = [(_known(lex, w), _plausibility(lex, _fold(w)), w, p) for w, p in options]
    known, plaus, word, punct = max(scored, key=lambda s: (s[0], s[1]))
    return _match_case(core, word) + punct, known, plaus


@lru_cache(maxsize=8192)
def _translit_word(word: str) -> tuple[str, float, float]:
    """Decode one lowercase translit word: beam search by letter bigrams, then the lexicon."""
    lex = _lexicon("ru")
    beams: list[list[tuple[float, str]]] = [[] for _ in range(len(word) + 1)]
    beams[0] = [(0.0, "^")]
    for i in range(len(word)):
        beams[i].sort(reverse=True)
        for logp, text in beams[i][:_BEAM]:
            for size in _TRANSLIT_KEY_LENGTHS:
                if i + size > len(word):
                    continue
                for option in _TRANSLIT.get(word[i : i + size], ()):
                    score, prev = logp, text[-1]
                    for char in _fold(option):
                        score += _transition(lex, prev, char)
                        prev = char
                    beams[i + size].append((score, text + option))
    final = sorted(
        ((logp + _transition(lex, _fold(text[-1]), "$"), text[1:]) for logp, text in beams[-1]),
        reverse=True,
    )[:_BEAM]
    best = max(final, key=lambda c: (_known(lex, c[1]), c[0]))[1]
    return best, _known(lex, best), _plausibility(lex, _fold(best))


def _reading(kind: ReadingKind, chunks: list[str]) -> Reading:
    out: list[str] = []
    weight_sum = known_sum = plaus_sum = 0.0
    last_word = max((i for i, c in enumerate(chunks) if c.strip()), default=-1)
    for index, chunk in enumerate(chunks):
        if not chunk.strip() or _is_neutral(chunk):
            out.append(chunk)
            continue
        text, known, plaus, letters = _read_chunk(kind, chunk, index == last_word)
        weight = min(letters, _MAX_WORD_WEIGHT)
        out.append(text)
        weight_sum += weight
        known_sum += weight * known
        plaus_sum += weight * plaus
    if not weight_sum:
        return Reading(kind, "".join(out), 0.0, 0.0)
    return Reading(kind, "".join(out), known_sum / weight_sum, plaus_sum / weight_sum)


def _read_chunk(kind: ReadingKind, chunk: str, last: bool) -> tuple[str, float, float, int]:
    """One whitespace-free chunk read as ``kind``: (text, known, plausibility, letters)."""
    if kind == "layout":
        lead, core, trail = _split_edges(chunk, lambda c: c.isalpha() or c in _LETTER_KEYS_PUNCT)
        if not core:
            return chunk, 0.0, 0.0, 0
        text, known, plaus = _layout_word(core)
        # A final "?" is a question mark typed as such; elsewhere it is ЙЦУКЕН's comma key.
        trail = "".join(c if last and c == "?" else _LAYOUT_PUNCT.get(c, c) for c in trail)
        return lead + text + trail, known, plaus, len(core)
    lead, core, trail = _split_edges(chunk, lambda c: c.isalpha() or c in "'`")
    while core[:1] in ("'", "`") and core:  # an opening quote, not a soft sign
        lead, core = lead + core[0], core[1:]
    lowered = core.lower()
    if kind == "translit":
        if not _TRANSLIT_WORD.fullmatch(lowered.replace("`", "'")):
            return chunk, 0.0, -1.0, max(len(core), 1)
        text, known, plaus = _translit_word(lowered.replace("`", "'"))
        return lead + _match_case(core, text) + trail, known, plaus, len(core)
    en = _lexicon("en")
    word = lowered.strip("'`")
    if not _ENGLISH_WORD.fullmatch(word):
        return chunk, 0.0, -1.0, max(len(core), 1)
    return chunk, _known(en, word), _plausibility(en, word), len(word)


def readings(text: str) -> tuple[Reading, ...]:
    """The English, layout and translit readings of a Latin-letter text (empty otherwise)."""
    if _CYRILLIC.search(text) or not _LATIN.search(text):
        return ()
    chunks = _SPLIT.split(text.strip())
    kinds: tuple[ReadingKind, ...] = ("english", "layout", "translit")
    return tuple(_reading(kind, chunks) for kind in kinds)


def repair(text: str) -> Repair:
    """Return Russian text for a wrong-layout or transliterated message, else the original."""
    found = readings(text)
    if not found:
        return Repair(text, "none", 0.0)
    english, *russian = found
    best = max(russian, key=lambda r: r.score)
    margin = round(best.score - english.score, 4)
    # One word is too little evidence for an inflection guess: it must be a listed form.
    needed = 1.0 if _single_word(best.text) else MIN_KNOWN
    if best.known >= needed and margin >= MARGIN:
        kind: Kind = "layout" if best.kind == "layout" else "translit"
        return Repair(_restore_space(text, best.text), kind, margin)
    return Repair(text, "none", margin)


def _single_word(text: str) -> bool:
    return sum(1 for chunk in text.split() if not _is_neutral(chunk)) == 1


def _restore_space(original: str, repaired: str) -> str:
    # readings() strips the text; keep the caller's surrounding whitespace.
    stripped = original.strip()
    start = original.find(stripped) if stripped else 0
    return original[:start] + repaired + original[start + len(stripped) :]


def known_share(words: Iterable[str], language: Literal["ru", "en"]) -> float:
    """Share of ``words`` found in the language's common-word list (exact or by stem)."""
    lex = _lexicon(language)
    scores = [_known(lex, w) for w in words]
    return sum(scores) / len(scores) if scores else 0.0
