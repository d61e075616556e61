"""Per-template statistics over a period: how often each draft was shown, accepted, edited
or rejected, and how far specialists edited it before sending."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from assist.storage.studio import Activity

# Long texts are cut before measuring: the DP is quadratic and the drafts are capped
# at ASSIST_MAX_REPLY_CHARS anyway; past this the exact distance tells nothing more.
MAX_DISTANCE_CHARS = 2000


@dataclass
class TemplateStats:
    template: str
    language: str
    shown: int = 0
    accepted: int = 0
    edited: int = 0
    rejected: int = 0
    distances: list[int] = field(default_factory=list)
    daily: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def average_edit_distance(self) -> float | None:
        return round(sum(self.distances) / len(self.distances), 1) if self.distances else None

    def count(self, day: date, what: str) -> None:
        bucket = self.daily.setdefault(
            day.isoformat(), {"shown": 0, "accepted": 0, "edited": 0, "rejected": 0}
        )
        bucket[what] += 1
        setattr(self, what, getattr(self, what) + 1)

    def as_dict(self) -> dict[str, object]:
        return {
            "template": self.template,
            "language": self.language,
            "shown": self.shown,
            "accepted": self.accepted,
            "edited": self.edited,
            "rejected": self.rejected,
            "average_edit_distance": self.average_edit_distance,
            "daily": [{"day": day, **counts} for day, counts in sorted(self.daily.items())],
        }


def template_stats(activity: list[Activity]) -> list[TemplateStats]:
    """Feedback that names no template is about the first draft, the one shown on top."""
    stats: dict[tuple[str, str], TemplateStats] = {}

    def entry(template: str, language: str) -> TemplateStats:
        key = (template, language)
        if key not in stats:
            stats[key] = TemplateStats(template, language)
        return stats[key]

    for item in activity:
        day = item.created_at.date()
        drafts = {str(d.get("template")): d for d in item.drafts}
        for draft in drafts.values():
            entry(str(draft.get("template")), str(draft.get("language"))).count(day, "shown")
        first = str(item.drafts[0].get("template")) if item.drafts else None
        for feedback in item.feedback:
            name = feedback.template or first
            about = drafts.get(name or "")
            if about is None:
                continue
            target = entry(str(about.get("template")), str(about.get("language")))
            target.count(day, feedback.outcome)
            if feedback.sent_text is not None and feedback.outcome != "rejected":
                target.distances.append(edit_distance(str(about.get("text")), feedback.sent_text))
    return sorted(stats.values(), key=lambda s: (-s.shown, s.template, s.language))


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance in characters (insert, delete, substitute, each costs 1)."""
    a, b = a[:MAX_DISTANCE_CHARS], b[:MAX_DISTANCE_CHARS]
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def totals_by_day(stats: list[TemplateStats]) -> list[dict[str, object]]:
    """All templates together, day by day, for the chart."""
    days: dict[str, dict[str, int]] = defaultdict(
        lambda: {"shown": 0, "accepted": 0, "edited": 0, "rejected": 0}
    )
    for item in stats:
        for day, counts in item.daily.items():
            for key, value in counts.items():
                days[day][key] += value
    return [{"day": day, **counts} for day, counts in sorted(days.items())]
