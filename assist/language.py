"""Language of a support-chat message, and the served language to answer it in.

langdetect is good on sentences but guesses on one or two words and on chat noise, so it is
the last resort here, not the first:

1. Digits, URLs, e-mails, error codes, phone numbers and product names ("1C", "Connect",
   "коннект") are removed: they say nothing about the language.
2. The script decides the family. Cyrillic text is checked for letters that only some
   Cyrillic languages have (ў → be, ї є ґ → uk, ә қ ң → kk, ђ ћ → sr, ѓ ќ → mk, ...; ы э ё →
   ru); without such letters a long text goes to langdetect and a short one is Russian, the
   language a 1C-Connect chat mostly sees.
3. Latin text is first offered to :mod:`assist.text_repair`: Russian typed on the English
   layout or transliterated is Russian. Otherwise common English words, then (for longer
   texts) langdetect decide; short Latin text without English words is taken as English.

Every Cyrillic language maps to the served "ru"; any other language to "en" when it is
served, else to the fallback.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from assist import text_repair

CYRILLIC_LANGUAGES: frozenset[str] = frozenset({"ru", "uk", "be", "kk", "bg", "sr", "mk", "mn"})
_CYRILLIC_MIN_SHARE = 0.25
_LANGDETECT_CYRILLIC = frozenset({"bg", "mk", "ru", "uk"})  # its Cyrillic-script profiles
_LONG_TEXT_LETTERS = 25  # below this langdetect's n-gram statistics are too thin to trust
_LATIN_MIN_WORDS = 3
_LATIN_DETECT_MIN_PROB = 0.8
# langdetect's prior for Cyrillic text: a 1C-Connect chat is mostly Russian, and without it
# langdetect calls plain Russian sentences Bulgarian or Ukrainian too often.
_CYRILLIC_PRIOR: Mapping[str, float] = MappingProxyType(
    {"ru": 0.7, "uk": 0.1, "bg": 0.1, "mk": 0.1}
)

_NOISE = re.compile(
    r"(?:https?://|www\.)\S+"  # URLs
    r"|\S+@\S+"  # e-mails
    r"|\S*\d\S*",  # numbers, phones, error codes like 0x80070005 or E1234
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-zA-Z\u00c0-\u024f]")
# A hard sign before a consonant or at a word's end is Bulgarian; Russian only puts it
# before е ё ю я.
_BULGARIAN_HARD_SIGN = re.compile(r"ъ(?![еёюя])")

_LOOKALIKES = str.maketrans("aceiopxyk", "асеіорхук")
_LOOKALIKE_LETTERS = frozenset("aceiopxyk")
_KAZAKH = frozenset("әғқңұһ")
_MONGOLIAN = frozenset("өү")
_UKRAINIAN = frozenset("їєґ")
_RUSSIAN_LETTERS = frozenset("ыэё")
_SERBO_MACEDONIAN = frozenset("јљњџ")
# Mongolian spells long vowels double and puts э after consonants; Russian does neither
# (it doubles о in сообщение, so оо is left out).
_MONGOLIAN_SPELLING = re.compile(r"аа|ээ|уу|[бвгджзклмнпрстфхцчшщ]э")


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Short function words that occur in one language of the set and are not Russian words.
_MARKERS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "ru": _wordset(
            "что это его она они мы вы был было была были быть будет кто где если уже еще "
            "чтобы который которые этот эта эти только тоже также можно нужно надо очень "
            "сейчас почему когда тогда потому тебя меня себя нет"
        ),
        "uk": _wordset(
            "це що як але ще чи треба вже коли щоб якщо нема його мене було буде бути "
            "може можна дуже також вона вони ми ви хто щось таке цей ця ці цього й з"
        ),
        "bg": _wordset(
            "е са че това тези този която който които със във има няма беше бяха какво "
            "защо когато вече си му ги тук съм сте сме нищо нещо някой обаче"
        ),
        "mk": _wordset(
            "е се од што ова тоа кој која кои ги го сум сме сте нема има многу дека како "
            "кога тие овој оваа"
        ),
        "sr": _wordset("се су од шта ово који која које било бити био када је али јер још га ће"),
        "mn": _wordset("нь юм бол байна байгаа байсан энэ тэр ба болон гэж гэсэн юу бид би"),
    }
)


@dataclass(frozen=True)
class LanguageGuess:
    """``code``: the detected language; ``served``: the served language to answer in;
    ``confidence`` in 0..1; ``reason``: what decided — ``letters`` (letters or spellings of
    one language), ``words`` (its function words), ``langdetect``, ``short-text`` (too short
    for langdetect: the likeliest language), ``english-words``, ``script`` (Latin text with
    nothing else to go on), ``layout`` / ``translit`` (repaired Russian) or ``empty``."""

    code: str
    served: str
    confidence: float
    reason: str


class LanguageDetector:
    """Deterministic, thread-safe language detection for short chat messages."""

    def __init__(self, served: Sequence[str] = ("ru", "en"), fallback: str = "ru") -> None:
        if not served:
            raise ValueError("at least one served language is required")
        self.served: tuple[str, ...] = tuple(served)
        self.fallback = fallback if fallback in self.served else self.served[0]
        self._factories: dict[str, Any] = {}
        self._lock = threading.Lock()

    def detect(self, text: str) -> LanguageGuess:
        words = _content_words(text)
        letters = "".join(words)
        cyrillic = len(_CYRILLIC.findall(letters))
        latin = len(_LATIN.findall(letters))
        if not cyrillic and not latin:
            return self._other_script(letters)
        # Latin product names and commands inside Russian text are common; Cyrillic words
        # inside English text are not.
        if cyrillic >= _CYRILLIC_MIN_SHARE * (cyrillic + latin):
            return self._cyrillic(words, cyrillic / (cyrillic + latin))
        return self._latin(text, words)

    def serve(self, code: str) -> str:
        """The served language for a detected language code."""
        if code in self.served:
            return code
        if code in CYRILLIC_LANGUAGES and "ru" in self.served:
            return "ru"
        if code not in CYRILLIC_LANGUAGES and "en" in self.served:
            return "en"
        return self.fallback

    def _guess(self, code: str, confidence: float, reason: str) -> LanguageGuess:
        confidence = round(max(0.0, min(1.0, confidence)), 4)
        return LanguageGuess(code, self.serve(code), confidence, reason)

    def _cyrillic(self, words: list[str], share: float) -> LanguageGuess:
        # Latin words in the text make any Cyrillic verdict less certain.
        share = 0.5 + 0.5 * share
        lowered = [_cyrillic_lookalikes(w.lower()) for w in words if _CYRILLIC.search(w)]
        text = " ".join(lowered)
        found = _by_letters(text)
        if found is not None:
            return self._guess(found, 0.9 * share, "letters")
        if set(text) & _SERBO_MACEDONIAN:
            code = _by_markers(lowered, ("sr", "mk")) or self._best(text, ("mk",), "sr")
            return self._guess(code, 0.8 * share, "letters")
        found = _by_markers(lowered, tuple(_MARKERS))
        if found is not None:
            return self._guess(found, 0.8 * share, "words")
        if set(text) & _RUSSIAN_LETTERS:
            return self._guess("ru", 0.9 * share, "letters")
        if text_repair.known_share(lowered, "ru") >= 0.5:
            return self._guess("ru", 0.8 * share, "words")
        if len(text) >= _LONG_TEXT_LETTERS:
            probs = self._probabilities(text, _CYRILLIC_PRIOR, cyrillic=True)
            if probs:
                code, prob = max(probs.items(), key=lambda item: item[1])
                if code in CYRILLIC_LANGUAGES:
                    return self._guess(code, prob * share, "langdetect")
        return self._guess("ru", 0.6 * share, "short-text")

    def _best(self, text: str, codes: Sequence[str], default: str) -> str:
        """The langdetect favourite among ``codes`` if it is at least even, else ``default``."""
        probs = self._probabilities(text, cyrillic=True)
        code = max(codes, key=lambda c: probs.get(c, 0.0))
        return code if probs.get(code, 0.0) >= 0.5 else default

    def _latin(self, text: str, words: list[str]) -> LanguageGuess:
        repaired = text_repair.repair(text)
        if repaired.kind != "none":
            return self._guess("ru", min(1.0, 0.5 + repaired.score / 2), repaired.kind)
        latin_words = [w.lower() for w in words if _LATIN.search(w)]
        english = text_repair.known_share(latin_words, "en")
        if english >= 0.3:
            return self._guess("en", 0.6 + 0.4 * english, "english-words")
        if len(latin_words) >= _LATIN_MIN_WORDS:
            probs = self._probabilities(" ".join(latin_words))
            if probs:
                code, prob = max(probs.items(), key=lambda item: item[1])
                if prob >= _LATIN_DETECT_MIN_PROB:
                    return self._guess(code, prob, "langdetect")
        return self._guess("en", 0.5, "script")

    def _other_script(self, letters: str) -> LanguageGuess:
        probs = self._probabilities(letters) if letters else {}
        if not probs:
            return self._guess(self.fallback, 0.0, "empty")
        code, prob = max(probs.items(), key=lambda item: item[1])
        return self._guess(code, prob, "langdetect")

    def _probabilities(
        self, text: str, prior: Mapping[str, float] | None = None, *, cyrillic: bool = False
    ) -> dict[str, float]:
        from langdetect.lang_detect_exception import LangDetectException

        detector = self._detector_factory(cyrillic).create()
        if prior:
            detector.set_prior_map(dict(prior))
        detector.append(text)
        try:
            found = detector.get_probabilities()
        except LangDetectException:  # no usable n-grams in the text
            return {}
        return {str(item.lang): float(item.prob) for item in found}

    def _detector_factory(self, cyrillic: bool) -> Any:
        # langdetect's own detect() shares one module-global factory; private ones per
        # detector with a fixed seed keep results deterministic whatever else uses langdetect.
        # Cyrillic text gets a factory of the Cyrillic profiles only: the same answers at a
        # tenth of the cost, since every n-gram update touches every loaded language.
        name = "cyrillic" if cyrillic else "all"
        with self._lock:
            if name not in self._factories:
                from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

                factory = DetectorFactory()
                profiles = sorted(Path(PROFILES_DIRECTORY).iterdir())
                if cyrillic:
                    profiles = [p for p in profiles if p.name in _LANGDETECT_CYRILLIC]
                factory.load_json_profile([p.read_text(encoding="utf-8") for p in profiles])
                factory.set_seed(0)
                self._factories[name] = factory
            return self._factories[name]


def _content_words(text: str) -> list[str]:
    """Words that carry language: no numbers, links, addresses or product names."""
    cleaned = _NOISE.sub(" ", text)
    return [
        w
        for w in _WORD.findall(cleaned)
        if w.lower() not in text_repair.PRODUCT_WORDS and w.lower() not in _PRODUCT_STEMS
    ]


# Inflected forms of product names people write in Cyrillic.
_PRODUCT_STEMS: frozenset[str] = frozenset(
    {"коннект", "коннекта", "коннекте", "коннектом", "коннекту"}
)


def _cyrillic_lookalikes(word: str) -> str:
    """Latin letters typed inside a Cyrillic word as their Cyrillic twins (``вiн`` → ``він``)."""
    latin = set(_LATIN.findall(word))
    return word.translate(_LOOKALIKES) if latin and latin <= _LOOKALIKE_LETTERS else word


def _by_letters(text: str) -> str | None:
    """A Cyrillic language identified by letters or spellings only it (in this set) uses."""
    present = set(text)
    if present & _KAZAKH:
        return "kk"
    if present & _MONGOLIAN:
        return "kk" if "і" in present else "mn"
    if present & _UKRAINIAN:
        # Old Mongolian encodings write ү ө as ї є; Ukrainian has no ы or э.
        return "mn" if present & frozenset("ыэ") else "uk"
    if "ў" in present:
        return "be"
    if present & frozenset("ђћ"):
        return "sr"
    if present & frozenset("ѓќѕ"):
        return "mk"
    if "і" in present:
        # Belarusian uses ы э ё as often as і; Ukrainian only in quoted Russian words.
        russian = sum(text.count(c) for c in _RUSSIAN_LETTERS)
        return "be" if russian * 4 >= text.count("і") else "uk"
    if len(_MONGOLIAN_SPELLING.findall(text)) >= 2:
        return "mn"
    if _BULGARIAN_HARD_SIGN.search(text):
        return "bg"
    return None


def _by_markers(words: Sequence[str], candidates: Sequence[str]) -> str | None:
    """The candidate language whose function words outnumber every other's, if any."""
    counts = {code: sum(w in _MARKERS[code] for w in words) for code in candidates}
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    if ranked[0][1] and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    return None
