"""Synthetic knowledge bases of any size, grown from our own sample records.

Repeating the 70 sample tasks a thousand times would measure nothing real: identical
texts compress, cache and tie. Each synthetic record is instead recombined from parts of
several sample records (the title's area, its problem, a clause of another title,
sentences of several descriptions) and perturbed (synonyms, platforms and product areas,
versions and numbers, an occasional typo), and titles are de-duplicated. Everything
comes from one `random.Random(seed)`, so a size and a seed always give the same corpus.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence

from assist.knowledge.records import BacklogTask, FaqEntry

# Swapped for one another, whole words only (lower-case forms; case is kept).
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("не работает", "не срабатывает", "перестал работать", "работает некорректно"),
    ("падает", "вылетает", "закрывается", "аварийно завершается"),
    ("не приходят", "не доставляются", "приходят с задержкой"),
    ("не отправляются", "не уходят", "зависают при отправке"),
    ("приложение", "программа", "клиент"),
    ("пользователь", "клиент", "абонент"),
    ("специалист", "сотрудник поддержки", "оператор"),
    ("ошибка", "сбой", "проблема"),
    ("чат", "переписка", "диалог"),
    ("файл", "вложение", "документ"),
    ("сообщение", "сообщения", "реплика"),
    ("линия", "линия поддержки", "очередь"),
)
PLATFORMS = (
    "Windows 10", "Windows 11", "Windows Server 2019", "macOS 14", "macOS 15", "Ubuntu 22.04",
    "Astra Linux", "РЕД ОС", "Android 13", "Android 14", "iOS 17", "iOS 18", "iPadOS 17",
)  # fmt: skip
AREAS = (
    "Удаленный доступ", "Веб-клиент", "Мобильное приложение", "Android", "iOS", "macOS",
    "Linux", "Личный кабинет", "Отчеты", "Онлайн-монитор", "Расписание линии", "Рассылки",
    "Шаблоны ответов", "Уведомления", "Чат-бот", "Интеграция с 1С", "Демонстрация экрана",
    "Передача файлов", "Обращения", "Учетные записи",
)  # fmt: skip
# One pass over platforms, versions and bare numbers, so a number inside a platform name or
# a version is not perturbed a second time.
_ENTITY = re.compile(
    r"(?P<platform>\b(?:Windows(?: Server)? \d+(?:/\d+)?|macOS(?: \d+)?"
    r"|Android \d+(?:[–-]\d+)?|iOS \d+|Ubuntu \d+\.\d+))"
    r"|(?P<version>\b\d+\.\d+(?:\.\d+)?\b)"
    r"|\b\d{1,4}\b"
)
_CLAUSE = re.compile(r" (?=(?:при|после|когда|если|во время|из-за|в|на) )")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZА-ЯЁ«0-9])")
_LETTERS = re.compile(r"[а-яёa-z]{5,}", re.IGNORECASE)


class Perturber:
    """Text perturbations drawn from one seeded generator."""

    def __init__(self, rng: random.Random, typo_rate: float = 0.15, swap_rate: float = 0.4):
        self.rng = rng
        self.typo_rate = typo_rate
        self.swap_rate = swap_rate
        self._group = {word: group for group in SYNONYMS for word in group}
        words = sorted(self._group, key=len, reverse=True)  # longest phrase wins
        self._words = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.I)

    def __call__(self, text: str) -> str:
        text = self._words.sub(self._swap, text)
        text = _ENTITY.sub(self._entity, text)
        if self.rng.random() < self.typo_rate:
            text = self.typo(text)
        return text

    def _swap(self, match: re.Match[str]) -> str:
        found = match.group(0)
        if self.rng.random() >= self.swap_rate:
            return found
        return _same_case(found, self.rng.choice(self._group[found.casefold()]))

    def _entity(self, match: re.Match[str]) -> str:
        if match.group("platform"):
            return self.rng.choice(PLATFORMS)
        if match.group("version"):
            return self.version()
        return str(max(1, int(match.group(0)) + self.rng.randint(-3, 7)))

    def version(self) -> str:
        rng = self.rng
        return f"{rng.randint(2, 4)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"

    def typo(self, text: str) -> str:
        words = list(_LETTERS.finditer(text))
        if not words:
            return text
        word = self.rng.choice(words)
        i = self.rng.randrange(word.start(), word.end() - 1)
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def synthetic_backlog(
    samples: Sequence[BacklogTask], n: int, *, seed: int = 0, first_number: int = 200_000
) -> list[BacklogTask]:
    if not samples:
        raise ValueError("need sample backlog tasks to grow a corpus from")
    rng = random.Random(seed)
    perturb = Perturber(rng)
    heads = [_split_title(t.title) for t in samples]
    tails = [m for t in samples for m in _clauses(t.title)]
    sentences = [s for t in samples for s in _sentences(t.description)]

    def make(_i: int) -> tuple[str, str]:
        base = rng.randrange(len(samples))
        area, problem = heads[base]
        if rng.random() < 0.5:
            area = rng.choice(AREAS)
        if tails and rng.random() < 0.4:
            problem = _CLAUSE.split(problem, maxsplit=1)[0] + " " + rng.choice(tails)
        title = perturb(f"{area}: {problem}" if area else problem)
        own = _sentences(samples[base].description)
        picked = own[: rng.randint(1, 3)] + rng.sample(sentences, k=min(len(sentences), 2))
        return title, " ".join(perturb(s) for s in picked)

    texts = _distinct(n, make, perturb)
    return [
        BacklogTask(
            id=f"CONNECT-{first_number + i}",
            title=title[:500],
            description=description[:20_000],
            kind=rng.choice(("bug", "bug", "feature")),
            status=rng.choice(("open", "open", "in_progress", "done", "rejected")),
            watchers=tuple(f"user-{rng.randint(1000, 99999)}" for _ in range(rng.randint(0, 3))),
        )
        for i, (title, description) in enumerate(texts)
    ]


def synthetic_faq(samples: Sequence[FaqEntry], n: int, *, seed: int = 0) -> list[FaqEntry]:
    if not samples:
        raise ValueError("need sample FAQ entries to grow a corpus from")
    rng = random.Random(seed + 1)
    perturb = Perturber(rng)
    answers = [s for e in samples for s in _sentences(e.answer)]
    bases: dict[int, FaqEntry] = {}  # the entry behind the latest make(i)

    def make(i: int) -> tuple[str, str]:
        entry = rng.choice(samples)
        question = perturb(rng.choice((entry.question, *entry.alt_questions)))
        own = _sentences(entry.answer)
        extra = [rng.choice(answers)] if rng.random() < 0.5 else []
        answer = " ".join(perturb(s) for s in own[: rng.randint(1, len(own))] + extra)
        bases[i] = entry
        return question, answer

    texts = _distinct(n, make, perturb)
    out = []
    for i, (question, answer) in enumerate(texts):
        base = bases[i]
        alts = rng.sample(base.alt_questions, k=min(len(base.alt_questions), rng.randint(0, 2)))
        out.append(
            FaqEntry(
                id=f"faq-syn-{i}",
                question=question[:500],
                answer=answer[:20_000],
                alt_questions=tuple(dict.fromkeys(perturb(a)[:500] for a in alts)),
                tags=base.tags,
                language=base.language,
            )
        )
    return out


def synthetic_messages(texts: Sequence[str], n: int, *, seed: int = 0) -> list[str]:
    """`n` distinct user messages perturbed from `texts` (distinct, so a query cache
    cannot flatter the latency figures)."""
    if not texts:
        raise ValueError("need sample messages")
    rng = random.Random(seed + 2)
    perturb = Perturber(rng, typo_rate=0.3)
    return [m for m, _ in _distinct(n, lambda _i: (perturb(rng.choice(texts)), ""), perturb)]


def with_changes(
    tasks: Sequence[BacklogTask], share: float, *, seed: int = 0
) -> tuple[list[BacklogTask], int]:
    """A copy of `tasks` where `share` of them got a new sentence in the description."""
    rng = random.Random(seed + 3)
    perturb = Perturber(rng)
    chosen = set(rng.sample(range(len(tasks)), k=max(1, round(share * len(tasks)))))
    note = "Повторилось после обновления до 3.1.2."
    changed = [
        t.model_copy(update={"description": f"{t.description} {perturb(note)}"})
        if i in chosen
        else t
        for i, t in enumerate(tasks)
    ]
    return changed, len(chosen)


def _distinct(
    n: int, make: Callable[[int], tuple[str, str]], perturb: Perturber
) -> list[tuple[str, str]]:
    """`n` pairs whose first texts differ (case- and space-insensitively)."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for i in range(n):
        first, second = make(i)
        for attempt in range(8):
            key = " ".join(first.casefold().split())
            if key not in seen:
                break
            first = make(i)[0] if attempt < 4 else f"{first} ({perturb.version()})"
        seen.add(" ".join(first.casefold().split()))
        out.append((first, second))
    return out


def _split_title(title: str) -> tuple[str, str]:
    area, sep, problem = title.partition(": ")
    return (area, problem) if sep and len(area) < 40 else ("", title)


def _clauses(title: str) -> list[str]:
    parts = _CLAUSE.split(_split_title(title)[1], maxsplit=1)
    return parts[1:]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()] or [text]


def _same_case(original: str, replacement: str) -> str:
    return replacement[:1].upper() + replacement[1:] if original[:1].isupper() else replacement
