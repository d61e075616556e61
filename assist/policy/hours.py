"""When a support specialist is at work: the RF production calendar, read in Moscow time.

Requests are accepted 24/7; specialists work on production-calendar business days,
07:00–17:00 Europe/Moscow, one hour shorter on pre-holiday days. Days off and working
weekends come from `holidays`; `calendar_overrides.json` beside this module adds what
`holidays` does not know (shortened days) and can correct it without a new release.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from importlib.resources import files
from typing import Any
from zoneinfo import ZoneInfo

import holidays

from assist.policy.base import Flag, MessageContext

__all__ = [
    "MOSCOW",
    "OVERRIDES_FILE",
    "SHORTENED_BY",
    "CalendarOverrides",
    "OffHoursRule",
    "ProductionCalendar",
    "SupportHours",
]

MOSCOW = "Europe/Moscow"
OVERRIDES_FILE = "calendar_overrides.json"
SHORTENED_BY = timedelta(hours=1)  # Labour Code art. 95: the pre-holiday day is one hour shorter
# Labour Code art. 112 holidays as (month, day). Used only for years the override file does not
# cover: the working day right before one of them is shortened.
_PUBLIC_HOLIDAYS = frozenset(
    {(1, day) for day in range(1, 9)} | {(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)}
)
# The longest RF break is under two weeks; finding no business day in a year means the calendar
# is broken, and looping on would hide it.
_SEARCH_DAYS = 366


@dataclass(frozen=True)
class CalendarOverrides:
    """Facts the `holidays` package lacks or gets wrong.

    `years`: years whose shortened days are all listed here (in other years: the working day
    before a Labour Code art. 112 holiday). `shortened`: working days one hour shorter; a weekend
    date listed here is a working day too. `working`: full working days that `holidays` calls
    off. `off`: days off that `holidays` calls working.
    """

    years: frozenset[int] = frozenset()
    shortened: frozenset[date] = frozenset()
    working: frozenset[date] = frozenset()
    off: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        clash = self.off & (self.shortened | self.working)
        if clash:
            raise ValueError(f"dates both off and working: {sorted(clash)}")
        stray = sorted(d for d in self.shortened if d.year not in self.years)
        if stray:
            raise ValueError(
                f"shortened days outside the covered years {sorted(self.years)}: {stray}"
            )

    @classmethod
    def from_json(cls, text: str) -> CalendarOverrides:
        raw: dict[str, Any] = json.loads(text)

        def dates(key: str) -> frozenset[date]:
            return frozenset(date.fromisoformat(day) for day in raw.get(key, {}))

        return cls(
            years=frozenset(int(year) for year in raw.get("years", [])),
            shortened=dates("shortened"),
            working=dates("working"),
            off=dates("off"),
        )

    @classmethod
    def packaged(cls) -> CalendarOverrides:
        """The override file shipped with this package."""
        resource = files("assist.policy").joinpath(OVERRIDES_FILE)
        return cls.from_json(resource.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class _Year:
    business: frozenset[date]
    shortened: frozenset[date]


def _check_shift(start: time, end: time) -> None:
    if start.tzinfo is not None or end.tzinfo is not None:
        raise ValueError("working hours are wall-clock times: pass naive `time` values")
    shortened_end = datetime.combine(date.min, end) - SHORTENED_BY
    if shortened_end <= datetime.combine(date.min, start):
        raise ValueError(f"working day {start}–{end} leaves nothing on a shortened day")


class ProductionCalendar:
    """Business days, shortened days and working hours of the RF production calendar."""

    def __init__(
        self,
        *,
        start: time = time(7),
        end: time = time(17),
        overrides: CalendarOverrides | None = None,
    ) -> None:
        _check_shift(start, end)
        self.start = start
        self.end = end
        self.overrides = CalendarOverrides.packaged() if overrides is None else overrides
        self._years: dict[int, _Year] = {}
        self._lock = threading.Lock()  # requests from several threads may fill a year at once

    @property
    def covered_years(self) -> frozenset[int]:
        """Years whose shortened days are known exactly, not derived."""
        return self.overrides.years

    def is_business_day(self, day: date) -> bool:
        return day in self._year(day).business

    def is_shortened(self, day: date) -> bool:
        return day in self._year(day).shortened

    def working_hours(
        self, day: date, start: time | None = None, end: time | None = None
    ) -> tuple[time, time] | None:
        """(start, end) of the working day, or None on a day off; `start`/`end` override the
        calendar's own for one call. A shortened day ends an hour earlier."""
        if not self.is_business_day(day):
            return None
        start = self.start if start is None else start
        end = self.end if end is None else end
        _check_shift(start, end)
        if self.is_shortened(day):
            end = (datetime.combine(day, end) - SHORTENED_BY).time()
        return start, end

    def _year(self, day: date) -> _Year:
        # A datetime equals no date, so it would silently count as a day off.
        if isinstance(day, datetime):
            raise TypeError("pass a date, not a datetime: convert to the working time zone first")
        facts = self._years.get(day.year)
        if facts is None:
            with self._lock:
                facts = self._years.get(day.year)
                if facts is None:
                    facts = self._years[day.year] = self._build(day.year)
        return facts

    def _build(self, year: int) -> _Year:
        official = holidays.country_holidays("RU", years=year)
        fix = self.overrides
        first = date(year, 1, 1)
        days = [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]
        business = frozenset(
            day
            for day in days
            if day in fix.shortened
            or day in fix.working
            or (day not in fix.off and bool(official.is_working_day(day)))
        )
        if year in fix.years:
            shortened = frozenset(day for day in fix.shortened if day.year == year)
        else:
            # No decree data: fall back to art. 95 alone. Misses decreed working Saturdays.
            shortened = frozenset(
                day
                for day in business
                if ((day + timedelta(days=1)).month, (day + timedelta(days=1)).day)
                in _PUBLIC_HOLIDAYS
            )
        return _Year(business, shortened)


_RU_ON_WEEKDAY = (
    "в понедельник",
    "во вторник",
    "в среду",
    "в четверг",
    "в пятницу",
    "в субботу",
    "в воскресенье",
)
_RU_MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
_EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _is_ru(language: str) -> bool:
    # Russian and English are the served languages; anything else is answered in English.
    return language.lower().split("-")[0] == "ru"


def _on_day(day: date, ru: bool) -> str:
    """«в понедельник, 12 января» / "on Monday, 12 January"."""
    if ru:
        return f"{_RU_ON_WEEKDAY[day.weekday()]}, {day.day} {_RU_MONTHS_GENITIVE[day.month - 1]}"
    return f"on {_EN_WEEKDAYS[day.weekday()]}, {day.day} {_EN_MONTHS[day.month - 1]}"


def _clock(moment: time) -> str:
    return f"{moment.hour}:{moment.minute:02d}"


class SupportHours:
    """Specialists' working time in one time zone (Moscow by default).

    `start`/`end` default to the calendar's own.
    """

    def __init__(
        self,
        calendar: ProductionCalendar,
        start: time | None = None,
        end: time | None = None,
        tz: str = MOSCOW,
    ) -> None:
        self.calendar = calendar
        self.start = calendar.start if start is None else start
        self.end = calendar.end if end is None else end
        _check_shift(self.start, self.end)
        self.tz = ZoneInfo(tz)

    def local(self, at: datetime) -> datetime:
        """`at` in the working time zone; a naive datetime is refused, its zone unknowable."""
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError(f"timezone-aware datetime required, got naive {at.isoformat()}")
        return at.astimezone(self.tz)

    def hours_on(self, day: date) -> tuple[time, time] | None:
        return self.calendar.working_hours(day, self.start, self.end)

    def is_open(self, at: datetime) -> bool:
        now = self.local(at)
        hours = self.hours_on(now.date())
        return hours is not None and hours[0] <= now.time() < hours[1]

    def next_opening(self, at: datetime) -> datetime:
        """The first moment from `at` on when a specialist works: `at` itself (in the working
        time zone) when open now, else the start of the next working slot."""
        now = self.local(at)
        day = now.date()
        hours = self.hours_on(day)
        if hours is not None:
            if now.time() < hours[0]:
                return datetime.combine(day, hours[0], tzinfo=self.tz)
            if now.time() < hours[1]:
                return now
        for _ in range(_SEARCH_DAYS):
            day += timedelta(days=1)
            hours = self.hours_on(day)
            if hours is not None:
                return datetime.combine(day, hours[0], tzinfo=self.tz)
        raise RuntimeError(f"no business day within {_SEARCH_DAYS} days after {day}")

    def zone_label(self, language: str) -> str:
        if self.tz.key == MOSCOW:
            return "МСК" if _is_ru(language) else "Moscow time"
        return self.tz.key

    def describe_next_opening(self, at: datetime, language: str) -> str:
        """«завтра с 7:00 МСК», "on Monday, 12 January, from 7:00 Moscow time", «сейчас»."""
        now = self.local(at)
        opening = self.next_opening(now)
        ru = _is_ru(language)
        if opening == now:
            return "сейчас" if ru else "now"
        clock = f"{_clock(opening.time())} {self.zone_label(language)}"
        days_ahead = (opening.date() - now.date()).days
        if days_ahead == 0:
            return f"сегодня с {clock}" if ru else f"today from {clock}"
        if days_ahead == 1:
            return f"завтра с {clock}" if ru else f"tomorrow from {clock}"
        on_day = _on_day(opening.date(), ru)
        return f"{on_day}, с {clock}" if ru else f"{on_day}, from {clock}"

    def describe_off_hours(self, at: datetime, language: str) -> str:
        """Why a message received at `at` waits, and until when, for the specialist's eyes."""
        now = self.local(at)
        ru = _is_ru(language)
        received = f"{_on_day(now.date(), ru)}, {_clock(now.time())} {self.zone_label(language)}"
        when = self.describe_next_opening(now, language)
        if ru:
            return f"Получено {received} — нерабочее время; специалист ответит {when}"
        return f"Received {received} — outside working hours; a specialist will reply {when}"


class OffHoursRule:
    """Flags `off_hours` when a message arrives outside the specialists' working time."""

    def __init__(self, hours: SupportHours) -> None:
        self.hours = hours

    def check(self, message: MessageContext) -> list[Flag]:
        if message.received_at is None or self.hours.is_open(message.received_at):
            return []
        return [
            Flag("off_hours", self.hours.describe_off_hours(message.received_at, message.language))
        ]
