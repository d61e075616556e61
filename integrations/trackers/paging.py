"""Reading every issue updated since a moment, without losing one to concurrent edits.

Both trackers page a query sorted by update time (Redmine by offset, Jira by offset or
token). Plain offset paging loses issues while people work: when an issue on an earlier
page is edited, it moves to the end and every later issue shifts one place towards the
start, so the one at the page boundary is never read. So after each page the query is
started again from the newest update time on that page (keyset paging); only when a whole
page shares one time step (the tracker's filter is by second or by minute) does it ask for
the next page of the same query. An issue seen twice with the same update time is given
once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from assist.knowledge.records import BacklogTask


@dataclass(frozen=True)
class ChangedTask:
    task: BacklogTask
    updated_at: datetime  # the tracker's last update time, aware


@dataclass(frozen=True)
class Page:
    tasks: list[ChangedTask]  # in the tracker's order: update time ascending
    next: int | str | None  # asks for the next page of the same query; None: no more
    total: int | None = None  # issues the query matches, when the tracker says


# (issues updated at or after this moment, or all; which page of that query) -> a page
FetchPage = Callable[[datetime | None, int | str | None], Page]
# (issues read so far, an estimate of how many there are, when known)
FetchProgress = Callable[[int, int | None], None]


def changed_since(
    fetch: FetchPage,
    since: datetime | None,
    *,
    step: timedelta,
    progress: FetchProgress | None = None,
) -> Iterator[ChangedTask]:
    """Every issue updated at or after `since` (all when None). `step` is the precision of
    the tracker's time filter: a new query only helps when it starts a step later."""
    bound, cursor = since, None
    seen: dict[str, datetime] = {}
    read = 0
    first_of_query = True
    while True:
        page = fetch(bound, cursor)
        fresh = [c for c in page.tasks if seen.get(c.task.id) != c.updated_at]
        if first_of_query and page.total is not None and progress is not None:
            progress(read, read + page.total - (len(page.tasks) - len(fresh)))
        for change in fresh:
            seen[change.task.id] = change.updated_at
            read += 1
            yield change
        if progress is not None:
            progress(read, None)
        if page.next is None or not page.tasks:
            return
        newest = max(c.updated_at for c in page.tasks)
        if bound is None or _floor(newest, step) > _floor(bound, step):
            bound, cursor, first_of_query = newest, None, True
        else:
            cursor, first_of_query = page.next, False


def _floor(moment: datetime, step: timedelta) -> datetime:
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    return epoch + ((moment - epoch) // step) * step
