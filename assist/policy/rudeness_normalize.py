"""The normaliser of the rudeness detector (:mod:`assist.policy.rudeness`): undoes the usual
ways of hiding a word from a filter, so that the patterns and the model read one plain form.

Latin or digit look-alikes inside Russian words («xуйня», «3аебали»), masks («х*йня»,
«п@здец», "f*ck", "sh!t"), spelled-out words («б л я», «п.и.з.д.е.ц») and stretched letters
(«бляяя»).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Final

from assist.policy import rudeness_lexicon as lex

_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")
_TOKEN = re.compile(r"\S+")
_CYRILLIC = re.compile("[а-я]")
_RUSSIAN_LETTERS: Final = "еуиаоюяыйъьбвгджзклмнпрстфхцчшщэ"
_LATIN_LETTERS: Final = "euioaybcdfghjklmnpqrstvwxz"
_LATIN = re.compile("[a-z]")
_STRETCHED = re.compile(r"([^\W\d_])\1{2,}")
# A letter standing alone: no letter or digit on either side ('_' may be a separator).
_LONE = r"(?<![^\W_])[^\W\d_](?![^\W_])"
_SPELLED = re.compile(rf"{_LONE}(?:[\s.\-_*·|/+]{{1,3}}{_LONE}){{2,}}")
_GAP = re.compile(r"[^\w]+|_+")
_INNER_SEPARATORS = re.compile(r"(?<=[^\W\d_])[-._]+(?=[^\W\d_])")


def normalize(text: str) -> str:
    """Lowercase text with disguises undone; patterns and the model both read this form."""
    text = unicodedata.normalize("NFKC", text).lower().replace("ё", "е")
    text = _INVISIBLE.sub("", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _STRETCHED.sub(r"\1", text)
    cyrillic_text = is_mostly_cyrillic(text)
    text = _TOKEN.sub(lambda m: _normalize_token(m.group(), cyrillic_text=cyrillic_text), text)
    text = _SPELLED.sub(_join_spelled, text)
    text = _STRETCHED.sub(r"\1", text)
    return " ".join(text.split())


def _normalize_token(token: str, *, cyrillic_text: bool) -> str:
    start, end = 0, len(token)
    while start < end and not (token[start].isalnum() or token[start] in lex.MASK_CHARS):
        start += 1
    while end > start and not (token[end - 1].isalnum() or token[end - 1] in lex.MASK_CHARS):
        end -= 1
    core = token[start:end]
    if not core:
        return token
    core = _undo_lookalikes(core, cyrillic_text=cyrillic_text)
    if _has_mask(core):
        core = _unmask(core)
    if _INNER_SEPARATORS.search(core):
        joined = _INNER_SEPARATORS.sub("", core)
        if is_rude_word(joined):
            core = joined
    return token[:start] + core + token[end:]


def _undo_lookalikes(core: str, *, cyrillic_text: bool) -> str:
    if _CYRILLIC.search(core):
        table = {**lex.STRICT_LOOKALIKES, **lex.LOOSE_LOOKALIKES}
        digits = lex.CYRILLIC_DIGITS
    elif (
        cyrillic_text
        and sum(ch.isalpha() for ch in core) >= 3
        and all(ch in lex.STRICT_LOOKALIKES for ch in core if ch.isalpha())
    ):
        # "cyka" in a Russian message is сука, not an English word.
        table, digits = dict(lex.STRICT_LOOKALIKES), lex.CYRILLIC_DIGITS
    elif _LATIN.search(core):
        return _map_digits(core, lex.LATIN_DIGITS, both_sides=True)
    else:
        return core
    core = "".join(table.get(ch, ch) for ch in core)
    return _map_digits(core, digits, both_sides=False)


def _map_digits(core: str, table: Mapping[str, str], *, both_sides: bool) -> str:
    """Read a lone digit as a letter next to letters ("п0шли"; Latin "sh1t" needs both sides)."""
    chars = list(core)
    for i, ch in enumerate(core):
        if ch not in table:
            continue
        before = core[i - 1] if i > 0 else ""
        after = core[i + 1] if i + 1 < len(core) else ""
        if before.isdigit() or after.isdigit():
            continue  # part of a number: "100руб", "win10"
        touching = (before.isalpha(), after.isalpha())
        if all(touching) if both_sides else any(touching):
            chars[i] = table[ch]
    return "".join(chars)


def _is_mask_at(core: str, i: int) -> bool:
    ch = core[i]
    if ch in lex.MASK_CHARS:
        return True
    inner = 0 < i < len(core) - 1 and core[i - 1].isalpha() and core[i + 1].isalpha()
    return ch in lex.INNER_MASK_CHARS and inner


def _has_mask(core: str) -> bool:
    return any(_is_mask_at(core, i) for i in range(len(core))) and any(ch.isalpha() for ch in core)


def _unmask(core: str) -> str:
    """Resolve masks against the known obscene forms ("х**ня" → хуйня); else keep the token."""
    letters = sum(ch.isalpha() for ch in core)
    masked = [i for i in range(len(core)) if _is_mask_at(core, i)]
    first = next(ch for ch in core if ch.isalpha())
    if letters >= 2 or (first in lex.SHORT_MASK_STEMS and len(masked) >= 2):
        pattern: list[str] = []
        i = 0
        while i < len(core):
            if _is_mask_at(core, i):
                run = 1
                while i + run < len(core) and _is_mask_at(core, i + run):
                    run += 1
                low = 1 if run <= 2 else run - 1
                pattern.append(f"[^\\W\\d_]{{{low},{run + 1}}}")
                i += run
            else:
                pattern.append(re.escape(core[i]))
                i += 1
        compiled = re.compile("".join(pattern))
        fits = [form for form in lex.OBSCENE_FORMS if compiled.fullmatch(form)]
        if fits:
            return min(fits, key=lambda form: abs(len(form) - len(core)))
        filled = _fill_one_letter(core, masked, letters)
        if filled is not None:
            return filled
    fallback = lex.MASK_FALLBACK_CYRILLIC if _CYRILLIC.search(core) else lex.MASK_FALLBACK_LATIN
    return "".join(
        fallback.get(ch, ch) if _is_mask_at(core, i) else ch for i, ch in enumerate(core)
    )


def _fill_one_letter(core: str, masked: list[int], letters: int) -> str | None:
    """An inflection the forms do not list («х*рню», «отъ*бись», «бл@дство»): the one letter
    under a single-letter mask that makes an obscene word, if any. Two or more masks stay
    with the forms: trying every pair of letters costs too much per token. Only a symbol
    mask of a word of three letters or more is filled: a dot between two letters is also
    how initials are written («Е.А.»). `masked` holds the mask positions, `letters` counts
    the letters."""
    if len(masked) != 1 or core[masked[0]] not in lex.MASK_CHARS or letters < 3:
        return None
    i = masked[0]
    alphabet = _RUSSIAN_LETTERS if _CYRILLIC.search(core) else _LATIN_LETTERS
    for letter in alphabet:
        word = core[:i] + letter + core[i + 1 :]
        if lex.OBSCENITY.fullmatch(word):
            return word
    return None


def _join_spelled(match: re.Match[str]) -> str:
    spelled = match.group()
    letters = "".join(ch for ch in spelled if ch.isalpha())
    gaps = {gap.replace(" ", "") for gap in _GAP.findall(spelled)}
    # One punctuation mark in every gap spells a word out («п.и.з.д.е.ц»); spaces also
    # separate short words («а я в шоке», «и т.д.»), so those join only into a rude word.
    if (len(gaps) == 1 and "" not in gaps) or is_rude_word(letters):
        return letters
    return spelled


def is_rude_word(word: str) -> bool:
    """Whether one normalised word is obscene or an insulting noun."""
    return bool(lex.OBSCENITY.fullmatch(word) or lex.INSULT_NOUN.fullmatch(word))


def is_mostly_cyrillic(text: str) -> bool:
    return len(_CYRILLIC.findall(text)) > len(_LATIN.findall(text))
