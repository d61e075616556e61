from __future__ import annotations

from datetime import UTC, datetime

from assist.storage.store import Feedback
from assist.storage.studio import Activity
from assist.studio.stats import edit_distance, template_stats, totals_by_day

DAY1 = datetime(2026, 11, 24, 10, tzinfo=UTC)
DAY2 = datetime(2026, 11, 25, 10, tzinfo=UTC)


def drafts(*names: str) -> list[dict[str, object]]:
    return [{"template": n, "language": "ru", "text": f"текст {n}"} for n in names]


def test_edit_distance_is_levenshtein() -> None:
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("", "abc") == 3
    assert edit_distance("same", "same") == 0


def test_outcomes_are_counted_for_the_draft_they_name_or_the_first() -> None:
    activity = [
        Activity(
            DAY1,
            drafts("conduct_warning", "answer"),
            [Feedback("accepted", "текст answer", template="answer")],
        ),
        Activity(DAY1, drafts("answer"), [Feedback("edited", "текст answers")]),
        Activity(DAY2, drafts("answer"), [Feedback("rejected", reason="не то")]),
        Activity(DAY2, drafts("register"), [Feedback("accepted", template="nope")]),
    ]
    stats = {s.template: s for s in template_stats(activity)}
    answer = stats["answer"]
    assert (answer.shown, answer.accepted, answer.edited, answer.rejected) == (3, 1, 1, 1)
    assert answer.average_edit_distance == 0.5  # 0 for the accepted, 1 for the edited
    assert stats["conduct_warning"].accepted == 0
    assert stats["register"].average_edit_distance is None
    days = totals_by_day(list(stats.values()))
    assert [d["day"] for d in days] == ["2026-11-24", "2026-11-25"]
    assert days[0]["shown"] == 3 and days[1]["rejected"] == 1
    assert answer.as_dict()["daily"][0] == {
        "day": "2026-11-24",
        "shown": 2,
        "accepted": 1,
        "edited": 1,
        "rejected": 0,
    }
