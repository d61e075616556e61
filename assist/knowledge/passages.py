"""What of each record gets embedded and what the lexical ranker reads.

An FAQ entry becomes several passages (question, each alternative question, answer), each
with its own vector; a query scores a record by its best passage. (Weighting the answer
below the questions did not help on the development cases, so all passages count alike.)
A backlog task becomes two passages: its title alone, and its title with its description.
One passage of title and description would save the (short, cheap) title pass on import,
but it lowered backlog R@1 on the 307 development cases from 1.0 to 0.973. Slot numbers
are part of the vector key, so they must stay stable once indexes exist; a change to what a
record becomes gets a new scheme name, which makes saved indexes rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass

from assist.knowledge.records import BacklogTask, FaqEntry

SLOTS_PER_RECORD = 256
FAQ_SCHEME = "faq-1"
BACKLOG_SCHEME = "backlog-1"  # title + (title. description); 2 was the latter alone


@dataclass(frozen=True)
class Passage:
    slot: int
    text: str


def vector_key(pk: int, slot: int) -> int:
    return pk * SLOTS_PER_RECORD + slot


def split_key(key: int) -> tuple[int, int]:
    return divmod(key, SLOTS_PER_RECORD)


def faq_passages(entry: FaqEntry) -> list[Passage]:
    passages = [Passage(0, entry.question), Passage(1, entry.answer)]
    limit = SLOTS_PER_RECORD - 2
    passages += [Passage(2 + i, alt) for i, alt in enumerate(entry.alt_questions[:limit])]
    return passages


def faq_lexical_text(entry: FaqEntry) -> str:
    # Questions are repeated so their words weigh more than the answer's in BM25.
    questions = " ".join((entry.question, *entry.alt_questions))
    return f"{questions} {questions} {entry.answer}"


def backlog_passages(task: BacklogTask) -> list[Passage]:
    passages = [Passage(0, task.title)]
    if task.description:
        passages.append(Passage(1, f"{task.title}. {task.description}"))
    return passages


def backlog_lexical_text(task: BacklogTask) -> str:
    return f"{task.title} {task.title} {task.description}"
