"""What of each record gets embedded and what the lexical ranker reads.

An FAQ entry becomes several passages (question, each alternative question, answer), each
with its own vector; a query scores a record by its best passage. (Weighting the answer
below the questions did not help on the development cases, so all passages count alike.)
A backlog task becomes two passages: its title alone, and its title with the start of its
description (the first `DESCRIPTION_WORDS` words, at most `DESCRIPTION_CHARS` characters).
One passage of title and description would save the (short, cheap) title pass on import,
but it lowered backlog R@1 on the 307 development cases from 1.0 to 0.973. The cut pays for
the title pass: a model pass costs about linearly in tokens (e5 int8: 4.6 ms at 16 tokens,
29 ms at 128, 162 ms at 512), and on the synthetic bench corpus (title 22 tokens, title with
description 104) the two full passages took 1.25x the tokens of one pass over the whole
text; with the cut they take about as many (101), so an import runs near the encoder's raw
rate and long descriptions no longer cost more. The lexical ranker still reads the whole
description. On the development cases the cut at 32 words changed no figure of `assist
eval`; at 24 words backlog R@1 fell to 0.986, at the first sentence decisions fell.

Slot numbers are part of the vector key, so they must stay stable once indexes exist. A
change to what a record becomes (its passages or its lexical text) gets a new scheme name,
which makes saved indexes and saved lexical terms rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass

from assist.knowledge.records import BacklogTask, FaqEntry

SLOTS_PER_RECORD = 256
FAQ_SCHEME = "faq-1"
# 3: title + (title. start of description); 1 embedded the whole description; 2 was one
# passage of title and whole description.
BACKLOG_SCHEME = "backlog-3"
DESCRIPTION_WORDS = 32
DESCRIPTION_CHARS = 320  # bounds a start made of few very long "words" (paths, logs)


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
    start = description_start(task.description)
    if start:
        passages.append(Passage(1, f"{task.title}. {start}"))
    return passages


def description_start(description: str) -> str:
    """The first `DESCRIPTION_WORDS` words, cut back to a whole word within the limit."""
    start = " ".join(description.split()[:DESCRIPTION_WORDS])
    if len(start) <= DESCRIPTION_CHARS:
        return start
    cut = start[:DESCRIPTION_CHARS]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut


def backlog_lexical_text(task: BacklogTask) -> str:
    return f"{task.title} {task.title} {task.description}"
