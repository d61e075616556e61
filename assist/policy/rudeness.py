"""Rudeness, sarcasm and boorishness in a support-chat message (regulation flag `conduct.rude`).

Three parts, applied in this order:

1. :func:`~assist.policy.rudeness_normalize.normalize` undoes the usual ways of hiding a
   word from a filter: Latin or digit look-alikes inside Russian words («xуйня»,
   «3аебали»), masks («х*йня», «п@здец», "f*ck", "sh!t"), spelled-out words («б л я»,
   «п.и.з.д.е.ц») and stretched letters («бляяя»).
2. :func:`find_cues` looks for what a specialist would point at: obscenity, insults aimed at
   people, sarcastic mockery of the support team (:mod:`assist.policy.rudeness_lexicon`),
   boorish orders, threats and contempt (:mod:`assist.policy.rudeness_tone`).
3. A character n-gram logistic regression (trained by :mod:`assist.policy.train_rudeness` on
   RUSSE-2022 and our own chat examples) scores what the patterns do not name.

The model ships as ``rudeness_model.npz``: hashed-feature coefficients, intercept, decision
threshold and the feature settings, loaded without pickle on first use. Its threshold is
folded into the score, so a score of 0.5 or more always means rude.
"""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
from numpy.typing import NDArray

from assist.policy import rudeness_lexicon as lex
from assist.policy import rudeness_tone as tone
from assist.policy.char_hashing import word_buckets
from assist.policy.rudeness_normalize import is_mostly_cyrillic, normalize

MODEL_PATH: Final = Path(__file__).with_name("rudeness_model.npz")
# Feature settings shared by training and run time; the artifact records them and loading
# refuses an artifact made with other settings.
FEATURES: Final[dict[str, Any]] = {
    "analyzer": "char_wb",
    "ngram_range": [2, 5],
    "n_features": 2**18,
    "norm": "l2",
    "alternate_sign": False,
    "lowercase": False,  # normalize() has lowercased already
}
DECISION: Final = 0.5
SINCERE_PRAISE_CAP: Final = 0.4  # the most a model score counts for in sincere praise

CueKind = Literal["obscenity", "insult", "mockery", "boorish", "threat", "contempt"]
# How sure a cue alone makes us; the model can only raise the score above these.
_CUE_SCORE: Final[dict[CueKind, float]] = {
    "obscenity": 0.98,
    "insult": 0.95,
    "mockery": 0.9,
    "boorish": 0.9,
    "threat": 0.9,
    "contempt": 0.9,
}
_CUE_LABEL: Final[dict[str, dict[CueKind, str]]] = {
    "en": {
        "obscenity": "obscenity",
        "insult": "insult aimed at people",
        "mockery": "sarcastic mockery",
        "boorish": "boorish demand",
        "threat": "threat to the specialist",
        "contempt": "contempt for support",
    },
    "ru": {
        "obscenity": "мат",
        "insult": "оскорбление людей",
        "mockery": "издевка",
        "boorish": "хамское требование",
        "threat": "угроза специалисту",
        "contempt": "презрение к поддержке",
    },
}


# --- cues --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """One thing in the message a specialist can point at, quoted in normalised form."""

    kind: CueKind
    fragment: str


def find_cues(normalised: str) -> list[Cue]:
    """Obscenity, insults, mockery and boorish demands in a :func:`normalize`-d text."""
    cues = [Cue("obscenity", m.group()) for m in lex.OBSCENITY.finditer(normalised)]
    self_spans = [m.span() for m in lex.SELF_DEPRECATION.finditer(normalised)]
    for m in lex.INSULT_NOUN.finditer(normalised):
        if not any(a <= m.start() < b for a, b in self_spans):
            cues.append(Cue("insult", m.group()))
    cues += [Cue("insult", m.group()) for m in lex.INSULT_AT_PEOPLE.finditer(normalised)]
    cues += [Cue("mockery", m.group()) for m in lex.MOCKERY.finditer(normalised)]
    praise = lex.IRONIC_PRAISE.search(normalised)
    sincere = lex.SINCERE.search(normalised)
    if praise and not sincere and (blame := lex.BLAME.search(normalised)):
        cues.append(Cue("mockery", f"{praise.group()} … {blame.group()}"))
    cues += [Cue("boorish", m.group()) for m in tone.BOORISH.finditer(normalised)]
    if not praise and not sincere:
        cues += [Cue("boorish", m.group()) for m in tone.HURRY_ORDER.finditer(normalised)]
    cues += [Cue("threat", m.group()) for m in tone.THREAT.finditer(normalised)]
    cues += [Cue("contempt", m.group()) for m in tone.CONTEMPT.finditer(normalised)]
    return cues


def _sincere_praise(normalised: str) -> bool:
    return bool(
        lex.IRONIC_PRAISE.search(normalised)
        and lex.SINCERE.search(normalised)
        and not lex.BLAME.search(normalised)
    )


# --- detector ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RudenessVerdict:
    rude: bool
    score: float  # 0..1; 0.5 and above is rude
    reason: str  # for the specialist: which cue, or the model's score


def model_view(normalised: str) -> str:
    """What the model reads: the normalised text without clean look-alikes or self-reproach.

    Empty for text that is not mostly Cyrillic: the model learnt from Russian (RUSSE plus our
    Russian examples); a few dozen English lines would teach it words, not rudeness, so
    English is judged by the patterns alone.
    """
    if not is_mostly_cyrillic(normalised):
        return ""
    # «я дурак, не туда нажал» is polite; the model would only see «дурак».
    text = lex.SELF_DEPRECATION.sub(" ", normalised)
    return " ".join(w for w in text.split() if not lex.CLEAN_WORD.fullmatch(w.strip(_PUNCT)))


_PUNCT = ".,!?;:()[]{}«»\"'…-–—/"


@dataclass(frozen=True)
class _Model:
    coef: NDArray[np.float64]
    intercept: float  # threshold already folded in
    ngram_range: tuple[int, int]

    def score(self, view: str) -> tuple[float, str]:
        """Rudeness score of a :func:`model_view` (threshold folded in, so 0.5 decides), and
        the word that pushed it up the most.

        char_wb n-grams never cross whitespace, so the logit splits exactly into one term per
        word: hash the words separately, count them together for the l2 norm, and read each
        word's share.
        """
        words = view.split()
        if not words:
            return 0.0, ""  # nothing the model can read
        buckets = [word_buckets(w, self.ngram_range, self.coef.size) for w in words]
        _, counts = np.unique(np.concatenate(buckets), return_counts=True)
        norm = float(np.sqrt(counts @ counts)) or 1.0
        shares = np.array([self.coef[b].sum() for b in buckets]) / norm
        z = float(shares.sum()) + self.intercept
        top = int(np.argmax(shares))
        return _sigmoid(z), words[top] if shares[top] > 0 else ""


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))


def load_model(path: Path = MODEL_PATH) -> _Model:
    """Read the artifact written by :mod:`assist.policy.train_rudeness` (no pickle)."""
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        coef = data["coef"].astype(np.float64)
        intercept = float(data["intercept"])
    if meta.get("features") != FEATURES:
        raise ValueError(f"{path} was trained with other features: {meta.get('features')}")
    if coef.shape != (FEATURES["n_features"],):
        raise ValueError(f"{path}: coefficient vector has shape {coef.shape}")
    threshold = float(meta["threshold"])
    # Shift the logit so that the chosen threshold lands on DECISION.
    shift = math.log(threshold / (1.0 - threshold)) - math.log(DECISION / (1.0 - DECISION))
    low, high = FEATURES["ngram_range"]
    return _Model(coef=coef, intercept=intercept - shift, ngram_range=(low, high))


class RudenessDetector:
    """Scores one message at a time; safe to share between threads.

    The model loads on first use (or on :meth:`warm_up`); until then nothing is read.
    """

    def __init__(self, model_path: Path = MODEL_PATH) -> None:
        self._model_path = model_path
        self._model: _Model | None = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        self._loaded()

    def _loaded(self) -> _Model:
        model = self._model
        if model is None:
            with self._lock:
                if self._model is None:
                    self._model = load_model(self._model_path)
                model = self._model
        return model

    def score(self, text: str) -> float:
        return self.verdict(text).score

    def verdict(self, text: str, language: str = "en") -> RudenessVerdict:
        """Whether `text` is rude, with a reason for the specialist in `language` (ru or en)."""
        normalised = normalize(text)
        view = model_view(normalised)
        model_score, driver = self._loaded().score(view) if view else (None, "")
        cues = find_cues(normalised)
        if model_score is not None and not cues and _sincere_praise(normalised):
            # The model learnt praise words from sarcasm («гениально, опять всё сломали»);
            # praise with thanks or a good outcome and nothing blamed is meant.
            model_score = min(model_score, SINCERE_PRAISE_CAP)
        score = max([model_score or 0.0, *(_CUE_SCORE[c.kind] for c in cues)])
        reason = _reason(cues, model_score, driver, "ru" if language == "ru" else "en")
        return RudenessVerdict(rude=score >= DECISION, score=round(score, 4), reason=reason)


_REASON_TEXT: Final[dict[str, dict[str, str]]] = {
    "en": {
        "no_model": "model not applied (no Russian words to read)",
        "model": "model score {score:.2f} (rude from {limit:.2f})",
        "driver": ", mostly from «{driver}»",
        "rude": "rude by wording",
        "polite": "no rudeness found",
    },
    "ru": {
        "no_model": "модель не применялась (нет русских слов)",
        "model": "оценка модели {score:.2f} (грубо от {limit:.2f})",
        "driver": ", в основном из-за «{driver}»",
        "rude": "грубый тон",
        "polite": "грубости нет",
    },
}


def _reason(cues: list[Cue], model_score: float | None, driver: str, language: str) -> str:
    text = _REASON_TEXT[language]
    if model_score is None:
        model = text["no_model"]
    else:
        model = text["model"].format(score=model_score, limit=DECISION)
        if driver and model_score >= DECISION:
            model += text["driver"].format(driver=driver.strip(_PUNCT))
    if not cues:
        rude = model_score is not None and model_score >= DECISION
        return f"{text['rude' if rude else 'polite']}: {model}"
    labels = _CUE_LABEL[language]
    parts: list[str] = []
    for kind in _CUE_SCORE:
        fragments = list(dict.fromkeys(c.fragment for c in cues if c.kind == kind))
        if fragments:
            parts.append(f"{labels[kind]}: " + ", ".join(f"«{f}»" for f in fragments[:3]))
    return "; ".join(parts) + f"; {model}"
