"""What the flag heads read of a message besides its embedding: its words, and a few
hand-written lexicon signals.

An embedding of a short message says what it is about but blurs whose software it is about:
«в аутлуке пропала папка входящие» sits close to 1C-Connect's own mail-channel questions.
Word n-grams (TF-IDF, fitted on the heads' training rows) and the lexicon below let the
scope heads weigh the names themselves. The n-gram scheme copies scikit-learn's
`TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)` defaults so results match what
was measured with it, but lives here so the shipped heads need no pickle.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

_TOKEN = re.compile(r"\b\w\w+\b")

# Software, services and subjects that are not 1C-Connect. Names of the channels 1C-Connect
# itself connects (Telegram, WhatsApp, mail) are here too: the product words below tell a
# "connect Telegram to the line" question from a Telegram one.
OTHER_SUBJECT = re.compile(
    r"(?<![\w-])(?:"
    r"team ?viewer|тимвьюв\w*|тимвивер\w*|any ?desk|анидеск\w*|ammyy|амми|rdp|rustdesk|radmin"
    r"|outlook|аутлук\w*|gmail|яндекс\w*|yandex|mail\.ru|thunderbird|the bat"
    r"|teams|тимс\w*|zoom|зум\w*|skype|скайп\w*|discord|slack"
    r"|bitrix\w*|битрикс\w*|amo ?crm|амо ?срм|амоцрм|salesforce|hubspot|jira|джир\w*|trello|notion"
    r"|excel|эксел\w*|word|ворд\w*|powerpoint|office|офис\w*|google|гугл\w*"
    r"|windows|виндовс\w*|винд\w*|linux|ubuntu|debian|android|андроид\w*|iphone|айфон\w*|ipad"
    r"|macbook|chrome|хром\w*|firefox|браузер\w*|photoshop|adobe"
    r"|касперск\w*|kaspersky|антивирус\w*|antivirus|dr\.?web|eset|defender"
    r"|vpn|впн|роутер\w*|router|wi-?fi|вай-?фай|принтер\w*|printer|сканер\w*|драйвер\w*|driver"
    r"|sql|postgres\w*|mysql|apache|iis|nginx|сервер 1с"
    r"|зуп|бп|ут|ерп|erp|унф|упп|кэдо|документооборот\w*|бухгалтери[яюи] 3|1с[- ]?отчетност\w*"
    r"|эдо|диадок|сбис|контур\w*"
    r"|ндфл|ндс|налог\w*|декларац\w*|проводк\w*|tax|vat|payroll|зарплат\w*"
    r"|telegram|телеграм\w*|whatsapp|ватсап\w*|вацап\w*|viber|вайбер\w*|вконтакте|vk"
    r")(?!\w)",
    re.IGNORECASE,
)
# Users name the product's remote access in their own words («удаленка», a remote session):
# without them a product question about a slow link or a new office read as a network one.
PRODUCT_WORD = re.compile(
    r"коннект|connect|лини[июяей]|\bline|обращени|treatment|специалист|\bagent|оператор"
    r"|клиентск\w+ приложени|панел|виджет|widget|бот|\bbot|чат|chat|удаленн\w+ доступ"
    r"|remote access|кнопк|button|личн\w+ кабинет|статистик|очеред|queue|webhook|вебхук|\bapi\b"
    r"|удал[её]нк|удаленн|remote (?:session|connection)|сеанс|подключени\w* к клиент",
    re.IGNORECASE,
)
ONE_C_WORD = re.compile(
    r"1[сc]|конфигурац|платформ|обработк|обмен|релиз|\bits\b|итс", re.IGNORECASE
)
LEXICON_SIZE = 6


def other_subject(text: str) -> str | None:
    """The first name of other software or another subject in `text`, if any."""
    found = OTHER_SUBJECT.search(text)
    return found.group(0) if found else None


def lexicon_features(text: str) -> npt.NDArray[np.float32]:
    """Other software named; a product word; a 1C word; and the three combinations that
    matter: other software with no product word, 1C with no product word, none of them."""
    other = OTHER_SUBJECT.search(text) is not None
    product = PRODUCT_WORD.search(text) is not None
    one_c = ONE_C_WORD.search(text) is not None
    values = (other, product, one_c, other and not product, one_c and not product,
              not (other or product or one_c))  # fmt: skip
    return np.array(values, dtype=np.float32)


def ngrams(text: str) -> list[str]:
    tokens = _TOKEN.findall(text.lower())
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


@dataclass(frozen=True)
class WordFeatures:
    """Sublinear TF-IDF over word uni- and bigrams, rows scaled to unit length."""

    vocabulary: tuple[str, ...]
    idf: npt.NDArray[np.float32]

    @classmethod
    def fit(cls, texts: Iterable[str], min_df: int = 1) -> WordFeatures:
        documents = [set(ngrams(text)) for text in texts]
        frequency = Counter(gram for grams in documents for gram in grams)
        vocabulary = tuple(sorted(gram for gram, df in frequency.items() if df >= min_df))
        n = len(documents)
        # scikit-learn's smoothed idf: as if one extra document held every n-gram.
        idf = [math.log((1 + n) / (1 + frequency[gram])) + 1 for gram in vocabulary]
        return cls(vocabulary, np.array(idf, dtype=np.float32))

    @property
    def size(self) -> int:
        return len(self.vocabulary)

    def sparse(self, text: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """Column indices and values of `text`'s row."""
        index = self._index
        counts = Counter(i for gram in ngrams(text) if (i := index.get(gram)) is not None)
        columns = np.array(sorted(counts), dtype=np.int64)
        values = np.array([1 + math.log(counts[i]) for i in columns], dtype=np.float32)
        values *= self.idf[columns]
        norm = float(np.linalg.norm(values))
        return columns, values / norm if norm else values

    @cached_property
    def _index(self) -> dict[str, int]:
        return {gram: i for i, gram in enumerate(self.vocabulary)}
