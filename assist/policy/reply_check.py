"""Reply check: flag spans of a reply draft that break the support regulation's style.

The regulation wants a positive, expert, plain business style with no "water", and forbids
estimates of complexity or deadlines for change requests and false hopes. Codes: `promise`
(dates, versions, effort, outcomes), `filler` ("water"), `tone` (rude, condescending),
`length` (the part beyond the limit).

Every rule runs on every reply: drafts mix languages (quoted English UI in a Russian answer)
and a Russian pattern cannot match English text anyway. `language` only picks the language
of the messages the specialist reads. Patterns run on a normalised copy (lowercase, ё→е,
stress marks and invisible characters dropped); hits are mapped back to original offsets.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import get_args

from assist.policy.reply_rules import CLAUSE_END, FUTURE, NEGATION, PAST, RULES, Rule, WarningCode

WARNING_CODES: tuple[WarningCode, ...] = get_args(WarningCode)
DEFAULT_MAX_CHARS = 1200
_CACHED_CHECKS = 1024


@dataclass(frozen=True)
class ReplyWarning:
    """One problem in a reply: `text[start:end]` is the offending span."""

    code: WarningCode
    message: str
    start: int
    end: int


_LENGTH = (
    "Ответ длиннее {limit} символов ({size}): сократите его",
    "The reply has {size} characters, over the {limit} limit: shorten it",
)
# Characters folded to one form; what normalising drops (soft hyphen, zero-width marks).
_FOLD = {"ё": "е", "’": "'", "ʼ": "'", "‘": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " "}
_DROP = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")


def _normalize(text: str) -> tuple[str, list[int]]:
    """Lowercase, ё→е, marks dropped; with each normalised char's index in `text`."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for low in char.lower():  # one char may lower into several ("İ")
            if unicodedata.combining(low):
                # A decomposed «й» needs its breve; stress marks and ё's diaeresis go.
                if low == "\u0306" and chars and chars[-1] == "и":
                    chars[-1] = "й"
                continue
            if low in _DROP:
                continue
            chars.append(_FOLD.get(low, low))
            origin.append(index)
    return "".join(chars), origin


def _clause_around(norm: str, marks: list[re.Match[str]], start: int, end: int) -> str:
    """The clause holding a hit: what the guards read for negation and tense."""
    left = max((m.end() for m in marks if m.end() <= start), default=0)
    right = min((m.start() for m in marks if m.start() >= end), default=len(norm))
    return norm[left:right]


def _suppressed(rule: Rule, clause: str) -> bool:
    if rule.guard == "plain":
        return False
    if NEGATION.search(clause):
        return True
    future = FUTURE.search(clause) is not None
    if PAST.search(clause) and not future:
        return True
    return rule.guard == "future" and not future


def _original_span(text: str, origin: list[int], start: int, end: int) -> tuple[int, int]:
    """Map a normalised span back; the end takes along the marks normalising dropped."""
    first, last = origin[start], origin[end - 1] + 1
    while last < len(text) and unicodedata.combining(text[last]):
        last += 1
    return first, last


def _drop_nested(warnings: list[ReplyWarning]) -> list[ReplyWarning]:
    """One warning per problem: a hit inside (or equal to) a same-code hit adds nothing."""
    kept: list[ReplyWarning] = []
    for warning in sorted(warnings, key=lambda w: (w.start, -w.end)):
        if not any(
            k.code == warning.code and k.start <= warning.start and warning.end <= k.end
            for k in kept
        ):
            kept.append(warning)
    return sorted(kept, key=lambda w: (w.start, w.end, WARNING_CODES.index(w.code)))


class ReplyChecker:
    """Checks reply drafts against the style rules; `codes` picks the kinds to report."""

    def __init__(
        self, max_chars: int = DEFAULT_MAX_CHARS, codes: Iterable[WarningCode] = WARNING_CODES
    ) -> None:
        self.max_chars = max_chars
        self.codes = frozenset(codes)
        if max_chars <= 0 or not self.codes <= set(WARNING_CODES):
            raise ValueError(f"bad reply-check settings: {max_chars=}, codes={sorted(self.codes)}")
        # Drafts repeat: the same FAQ answer, task or register text for many messages, and
        # the check reads only the text, so its warnings are kept (they are immutable).
        self._checked = lru_cache(maxsize=_CACHED_CHECKS)(self._check)

    def check(self, text: str, language: str) -> list[ReplyWarning]:
        """Warnings for `text`, ordered by position; `language` sets the message language."""
        return list(self._checked(text, language))

    def _check(self, text: str, language: str) -> tuple[ReplyWarning, ...]:
        russian = language.lower().startswith("ru")
        norm, origin = _normalize(text)
        marks = list(CLAUSE_END.finditer(norm))
        found: list[ReplyWarning] = []
        for rule in (r for r in RULES if r.code in self.codes):
            group = "hit" if "hit" in rule.pattern.groupindex else 0
            for match in rule.pattern.finditer(norm):
                start, end = match.span(group)
                if start == end or _suppressed(rule, _clause_around(norm, marks, start, end)):
                    continue
                message = rule.message_ru if russian else rule.message_en
                span = _original_span(text, origin, start, end)
                found.append(ReplyWarning(rule.code, message, *span))
        if "length" in self.codes and (size := len(text)) > self.max_chars:
            template = _LENGTH[0] if russian else _LENGTH[1]
            message = template.format(limit=self.max_chars, size=size)
            found.append(ReplyWarning("length", message, self.max_chars, size))
        return tuple(_drop_nested(found))


def check_reply(
    text: str, language: str, *, max_chars: int = DEFAULT_MAX_CHARS
) -> list[ReplyWarning]:
    """Style warnings for a reply draft: promises, filler, tone and length."""
    return ReplyChecker(max_chars=max_chars).check(text, language)
