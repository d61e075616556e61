"""Strip what support chat messages carry besides the question: greetings, signatures,
contact details. Retrieval reads the cleaned text; the stored message stays as sent.

Rules are deliberately conservative: a sentence is dropped only when it is *only*
etiquette or contact data, and the original text is kept if cleaning would leave nothing.
"""

from __future__ import annotations

import re

# A signature starts at a separator line or a sign-off and runs to the end.
_SEPARATOR = re.compile(r"\n\s*(?:--+|__+)\s*\n.*\Z", re.DOTALL)
_SIGN_OFF = re.compile(
    r"^(?:с уважением|с наилучшими пожеланиями|best regards|kind regards|regards|sincerely)\b",
    re.IGNORECASE,
)
_CONTACTS = re.compile(
    r"(?:\+7|8)[\s(-]*\d{3,5}[\s)-]*\d{1,3}[\s-]*\d{2}[\s-]*\d{2}"  # Russian phone numbers
    r"|\b(?:доб|вн|ext)\.?\s*\d+"  # extensions
    r"|\b(?:инн|кпп|огрн)\s*\d+"  # company registration numbers
    r"|[\w.+-]+@[\w-]+\.[\w.]+"  # e-mail
    r"|https?://\S+"
    r"|\b(?:тел|моб|tel|phone|доб|вн|ext)\b\.?",  # labels left behind by the numbers
    re.IGNORECASE,
)
_GREETING = re.compile(
    r"^(?:(?:добрый|доброе)\s+(?:день|вечер|утро|ночи)|здравствуйте|здрасте|привет(?:ствую)?"
    r"|коллеги|уважаемая поддержка|hi|hello|hey|good (?:morning|afternoon|evening)|dear support"
    r"|team)\b[\s,!.:]*(?:коллеги|all|team|there)?[\s,!.:]*",
    re.IGNORECASE,
)
_THANKS = re.compile(
    r"^(?:заранее\s+)?(?:спасибо|благодарю)(?:\s+заранее)?[\s!.]*$"
    r"|^thanks?(?: you)?(?: in advance)?[\s!.]*$",
    re.IGNORECASE,
)
_INTRODUCTION = re.compile(r"\b(?:меня зовут|my name is)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")
# A message longer than this is also searched sentence by sentence (see `query_views`).
LONG_MESSAGE_WORDS = 20
_MIN_VIEW_WORDS = 3
MAX_SENTENCE_VIEWS = 2  # see `query_views`


def clean_message(text: str) -> str:
    """The message without etiquette and contact data; the original if nothing would remain."""
    body = _SEPARATOR.sub("", text)
    kept: list[str] = []
    for raw in _SENTENCE.split(body):
        sentence = raw.strip()
        if _SIGN_OFF.match(sentence):
            break
        while (trimmed := _GREETING.sub("", sentence).strip()) != sentence:
            sentence = trimmed
        if not sentence or _THANKS.match(sentence) or _INTRODUCTION.search(sentence):
            continue
        without_contacts = _CONTACTS.sub(" ", sentence)
        if len(re.findall(r"[^\W\d_]{2,}", without_contacts)) == 0:
            continue
        tidy = re.sub(r"\s+([,.;:!?])", r"\1", " ".join(without_contacts.split()))
        kept.append(tidy.strip(" ,;"))
    cleaned = " ".join(kept).strip()
    return cleaned or text


def query_views(cleaned: str) -> list[str]:
    """The texts a message is searched with: the whole cleaned message, then, for a long
    one, up to two of its sentences of three words or more (questions first, then the
    longest), in message order.

    In a long message the question is often one sentence among a story; its vector is
    diluted by the rest, while the sentence alone matches the right record. A record then
    scores by its best view. (On the development cases this fixed a long-message miss and
    changed no other ranking.) Each view is a model pass, so their number is capped: on the
    development cases two sentences rank exactly as all of them did, one does not.
    """
    if len(cleaned.split()) <= LONG_MESSAGE_WORDS:
        return [cleaned]
    sentences = [s.strip() for s in _SENTENCE.split(cleaned)]
    sentences = [s for s in sentences if len(s.split()) >= _MIN_VIEW_WORDS]
    if len(sentences) <= 1:
        return [cleaned]
    chosen = sorted(sentences, key=lambda s: ("?" not in s, -len(s)))[:MAX_SENTENCE_VIEWS]
    return [cleaned, *(s for s in sentences if s in chosen)]
