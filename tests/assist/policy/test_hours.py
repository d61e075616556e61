"""Support hours: the production calendar against the official XML, boundaries, wording."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import holidays
import pytest

from assist.policy.base import MessageContext, PolicyRule
from assist.policy.hours import (
    CalendarOverrides,
    OffHoursRule,
    ProductionCalendar,
    SupportHours,
)
from tests.paths import shared_data

MSK = ZoneInfo("Europe/Moscow")
VLADIVOSTOK = ZoneInfo("Asia/Vladivostok")  # UTC+10, seven hours ahead of Moscow
YEARS = range(2024, 2028)


def days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]


def msk(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=MSK)


@pytest.fixture(scope="module")
def calendar() -> ProductionCalendar:
    return ProductionCalendar()


@pytest.fixture(scope="module")
def hours(calendar: ProductionCalendar) -> SupportHours:
    return SupportHours(calendar)


# --- the official calendar (xmlcalendar.ru XML, see its SOURCE.md) ---------------------------


def official_days(year: int) -> dict[date, tuple[bool, bool]]:
    """Every date of `year` → (business day, shortened), from `ru/<year>/calendar.xml`.

    A listed day: t=1 off, t=2 working and shortened (any weekday, Saturdays included),
    t=3 working on a weekend. Unlisted: Mon–Fri working, Sat–Sun off.
    """
    path = shared_data() / "production_calendar_ru" / "ru" / str(year) / "calendar.xml"
    if not path.is_file():
        pytest.skip(f"official production calendar not found at {path} (set ASSIST_SHARED_DATA)")
    root = ET.parse(path).getroot()
    assert root.get("year") == str(year)
    listed: dict[date, str] = {}
    for day in root.iter("day"):
        month, dom = (int(part) for part in day.attrib["d"].split("."))
        listed[date(year, month, dom)] = day.attrib["t"]
    assert listed, f"no <day> entries in {path}"
    assert set(listed.values()) <= {"1", "2", "3"}, f"unknown day type in {path}"
    return {
        day: (day.weekday() < 5, False)
        if day not in listed
        else (listed[day] != "1", listed[day] == "2")
        for day in days_of(year)
    }


def test_every_day_2024_2027_matches_the_official_calendar(calendar: ProductionCalendar) -> None:
    mismatches = []
    checked = 0
    for year in YEARS:
        for day, (business, shortened) in official_days(year).items():
            checked += 1
            ours = (calendar.is_business_day(day), calendar.is_shortened(day))
            if ours != (business, shortened):
                mismatches.append((day, "ours", ours, "official", (business, shortened)))
    assert checked == 1461
    assert mismatches == []


def test_holidays_package_alone_gets_days_off_right_but_knows_no_shortened_days() -> None:
    """Why the override file holds what it holds; fails if a `holidays` upgrade drifts."""
    off_mismatches = []
    shortened = []
    for year in YEARS:
        lib = holidays.country_holidays("RU", years=year)
        for day, (business, is_short) in official_days(year).items():
            if lib.is_working_day(day) != business:
                off_mismatches.append(day)
            if is_short:
                shortened.append(day)
    assert off_mismatches == []
    assert sorted(CalendarOverrides.packaged().shortened) == shortened


# --- the override file ------------------------------------------------------------------------


def test_override_file_ships_as_package_data() -> None:
    overrides = CalendarOverrides.packaged()
    assert overrides.years == frozenset(YEARS)
    assert len(overrides.shortened) == 17
    assert overrides.working == {date(2024, 4, 27), date(2024, 12, 28)}
    assert overrides.off == frozenset()


def test_override_file_is_read_without_the_shared_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSIST_SHARED_DATA", "/nonexistent")
    cal = ProductionCalendar()
    assert cal.is_shortened(date(2026, 4, 30))


def test_overrides_refuse_contradictions() -> None:
    with pytest.raises(ValueError, match="both off and working"):
        CalendarOverrides(
            years=frozenset({2026}),
            working=frozenset({date(2026, 1, 3)}),
            off=frozenset({date(2026, 1, 3)}),
        )
    with pytest.raises(ValueError, match="outside the covered years"):
        CalendarOverrides(years=frozenset({2026}), shortened=frozenset({date(2027, 4, 30)}))


def test_overrides_correct_the_holidays_package() -> None:
    cal = ProductionCalendar(
        overrides=CalendarOverrides(
            working=frozenset({date(2026, 1, 9)}), off=frozenset({date(2026, 1, 12)})
        )
    )
    assert cal.is_business_day(date(2026, 1, 9))
    assert not cal.is_business_day(date(2026, 1, 12))


def test_uncovered_years_derive_shortened_days_from_labour_code() -> None:
    """Beyond the file, the eve of an art. 112 holiday is shortened; decreed working
    Saturdays (three in 2024–2027) are the only days that rule misses."""
    derived = ProductionCalendar(overrides=CalendarOverrides())
    listed = CalendarOverrides.packaged().shortened
    missed = sorted(day for day in listed if not derived.is_shortened(day))
    extra = sorted(
        day
        for year in YEARS
        for day in days_of(year)
        if derived.is_shortened(day) and day not in listed
    )
    assert missed == [date(2024, 11, 2), date(2025, 11, 1), date(2027, 2, 20)]
    assert extra == []
    assert derived.is_shortened(date(2028, 3, 7))  # Tuesday before Wednesday 8 March
    assert not derived.is_business_day(date(2028, 1, 3))


# --- working hours of a day -------------------------------------------------------------------


def test_working_hours(calendar: ProductionCalendar) -> None:
    assert calendar.working_hours(date(2026, 1, 12)) == (time(7), time(17))
    assert calendar.working_hours(date(2026, 4, 30)) == (time(7), time(16))  # shortened
    assert calendar.working_hours(date(2026, 1, 1)) is None
    assert calendar.working_hours(date(2026, 1, 10)) is None  # Saturday


def test_working_hours_are_configurable() -> None:
    cal = ProductionCalendar(start=time(9), end=time(18))
    assert cal.working_hours(date(2026, 1, 12)) == (time(9), time(18))
    assert cal.working_hours(date(2026, 4, 30)) == (time(9), time(17))
    with pytest.raises(ValueError, match="leaves nothing"):
        ProductionCalendar(start=time(10), end=time(10, 30))


def test_a_datetime_is_not_taken_for_a_date(calendar: ProductionCalendar) -> None:
    with pytest.raises(TypeError, match="not a datetime"):
        calendar.is_business_day(msk(2026, 1, 12, 10))


# --- is the support open ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "open_"),
    [
        (msk(2026, 1, 13, 6, 59), False),
        (msk(2026, 1, 13, 7, 0), True),
        (msk(2026, 1, 13, 16, 59), True),
        (msk(2026, 1, 13, 17, 0), False),
        # shortened day (eve of Spring and Labour Day): ends at 16:00
        (msk(2026, 4, 30, 15, 59), True),
        (msk(2026, 4, 30, 16, 0), False),
        # New Year holidays, then the day off moved from Saturday 3 January to Friday 9 January
        (msk(2026, 1, 1, 10), False),
        (msk(2026, 1, 8, 10), False),
        (msk(2026, 1, 9, 10), False),
        (msk(2026, 1, 12, 10), True),
        # transferred working Saturdays, and the Mondays they freed
        (msk(2024, 12, 28, 10), True),
        (msk(2024, 12, 30, 10), False),
        (msk(2024, 4, 27, 16, 59), True),
        (msk(2024, 4, 29, 10), False),
        # a working Saturday that is also shortened
        (msk(2024, 11, 2, 15, 59), True),
        (msk(2024, 11, 2, 16, 0), False),
        (msk(2026, 1, 10, 10), False),  # an ordinary Saturday
    ],
)
def test_is_open(hours: SupportHours, at: datetime, open_: bool) -> None:
    assert hours.is_open(at) is open_


@pytest.mark.parametrize(
    ("at", "open_"),
    [
        (datetime(2026, 1, 13, 3, 59, tzinfo=UTC), False),  # 06:59 MSK
        (datetime(2026, 1, 13, 4, 0, tzinfo=UTC), True),  # 07:00 MSK
        (datetime(2026, 1, 13, 13, 59, tzinfo=UTC), True),  # 16:59 MSK
        (datetime(2026, 1, 13, 14, 0, tzinfo=UTC), False),  # 17:00 MSK
        (datetime(2026, 1, 13, 13, 59, tzinfo=VLADIVOSTOK), False),  # 06:59 MSK
        (datetime(2026, 1, 13, 14, 0, tzinfo=VLADIVOSTOK), True),  # 07:00 MSK
        (datetime(2026, 1, 12, 23, 59, tzinfo=VLADIVOSTOK), True),  # 16:59 MSK
        (datetime(2026, 1, 13, 0, 0, tzinfo=VLADIVOSTOK), False),  # Monday 17:00 MSK
        # Monday morning in Vladivostok is still Sunday in Moscow
        (datetime(2026, 1, 12, 6, 0, tzinfo=VLADIVOSTOK), False),
        (datetime(2026, 1, 13, 10, 0, tzinfo=timezone(timedelta(hours=3))), True),
    ],
)
def test_is_open_converts_to_moscow_time(hours: SupportHours, at: datetime, open_: bool) -> None:
    assert hours.is_open(at) is open_


def test_naive_datetimes_are_refused(hours: SupportHours) -> None:
    naive = datetime(2026, 1, 13, 10)
    for call in (
        hours.is_open,
        hours.next_opening,
        lambda at: hours.describe_next_opening(at, "ru"),
    ):
        with pytest.raises(ValueError, match="timezone-aware"):
            call(naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        OffHoursRule(hours).check(MessageContext(text="?", language="ru", received_at=naive))


# --- next opening -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (msk(2026, 1, 13, 6, 59), msk(2026, 1, 13, 7)),
        (msk(2026, 1, 13, 17), msk(2026, 1, 14, 7)),
        (msk(2026, 1, 16, 18), msk(2026, 1, 19, 7)),  # Friday evening → Monday
        (msk(2026, 4, 30, 16), msk(2026, 5, 4, 7)),  # after a shortened day, over 1–3 May
        (msk(2025, 12, 31, 18), msk(2026, 1, 12, 7)),  # New Year break plus the moved 9 January
        (msk(2024, 12, 27, 18), msk(2024, 12, 28, 7)),  # to a working Saturday
        (msk(2024, 12, 28, 17), msk(2025, 1, 9, 7)),  # from it, over 30 Dec – 8 Jan
        (datetime(2026, 1, 12, 6, 0, tzinfo=VLADIVOSTOK), msk(2026, 1, 12, 7)),  # Sun 23:00 MSK
    ],
)
def test_next_opening(hours: SupportHours, at: datetime, expected: datetime) -> None:
    opening = hours.next_opening(at)
    assert opening == expected
    assert opening.tzinfo == MSK


def test_next_opening_when_open_is_now(hours: SupportHours) -> None:
    at = datetime(2026, 1, 13, 8, 30, tzinfo=UTC)
    opening = hours.next_opening(at)
    assert opening == at
    assert opening.tzinfo == MSK
    assert hours.describe_next_opening(at, "ru") == "сейчас"
    assert hours.describe_next_opening(at, "en") == "now"


def test_support_hours_may_differ_from_the_calendar_default(calendar: ProductionCalendar) -> None:
    late = SupportHours(calendar, start=time(9), end=time(20))
    assert not late.is_open(msk(2026, 1, 13, 8, 59))
    assert late.is_open(msk(2026, 1, 13, 19, 30))
    assert not late.is_open(msk(2026, 4, 30, 19))  # shortened: until 19:00
    assert late.next_opening(msk(2026, 1, 13, 20)) == msk(2026, 1, 14, 9)


# --- wording ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "ru", "en"),
    [
        (msk(2026, 1, 13, 5), "сегодня с 7:00 МСК", "today from 7:00 Moscow time"),
        (msk(2026, 1, 13, 18), "завтра с 7:00 МСК", "tomorrow from 7:00 Moscow time"),
        (
            msk(2026, 1, 10, 22, 15),
            "в понедельник, 12 января, с 7:00 МСК",
            "on Monday, 12 January, from 7:00 Moscow time",
        ),
        (
            msk(2026, 2, 20, 18),
            "во вторник, 24 февраля, с 7:00 МСК",
            "on Tuesday, 24 February, from 7:00 Moscow time",
        ),
        (
            msk(2025, 11, 1, 16),
            "в среду, 5 ноября, с 7:00 МСК",
            "on Wednesday, 5 November, from 7:00 Moscow time",
        ),
        (
            msk(2024, 12, 31, 12),
            "в четверг, 9 января, с 7:00 МСК",
            "on Thursday, 9 January, from 7:00 Moscow time",
        ),
        # a date in UTC that is already the next day in Moscow: "today" means Moscow's today
        (
            datetime(2026, 1, 12, 22, 0, tzinfo=UTC),
            "сегодня с 7:00 МСК",
            "today from 7:00 Moscow time",
        ),
    ],
)
def test_describe_next_opening(hours: SupportHours, at: datetime, ru: str, en: str) -> None:
    assert hours.describe_next_opening(at, "ru") == ru
    assert hours.describe_next_opening(at, "en") == en


@pytest.mark.parametrize(
    ("extra", "at", "ru"),
    [
        # made-up corrections, to reach the weekdays real breaks in 2024–2027 do not end on
        (
            {"off": [date(2026, 1, 14), date(2026, 1, 15)]},
            msk(2026, 1, 13, 18),
            "в пятницу, 16 января",
        ),
        (
            {"working": [date(2026, 1, 17)], "off": [date(2026, 1, 15), date(2026, 1, 16)]},
            msk(2026, 1, 14, 18),
            "в субботу, 17 января",
        ),
        (
            {"working": [date(2026, 1, 18)], "off": [date(2026, 1, 16)]},
            msk(2026, 1, 15, 18),
            "в воскресенье, 18 января",
        ),
    ],
)
def test_weekday_names(extra: dict[str, list[date]], at: datetime, ru: str) -> None:
    overrides = CalendarOverrides(
        working=frozenset(extra.get("working", [])), off=frozenset(extra.get("off", []))
    )
    hours = SupportHours(ProductionCalendar(overrides=overrides))
    assert hours.describe_next_opening(at, "ru") == f"{ru}, с 7:00 МСК"


def test_other_languages_are_answered_in_english(hours: SupportHours) -> None:
    assert (
        hours.describe_next_opening(msk(2026, 1, 13, 18), "de") == "tomorrow from 7:00 Moscow time"
    )


def test_other_time_zones_are_named(calendar: ProductionCalendar) -> None:
    east = SupportHours(calendar, tz="Asia/Vladivostok")
    at = datetime(2026, 1, 13, 18, tzinfo=VLADIVOSTOK)
    assert east.describe_next_opening(at, "ru") == "завтра с 7:00 Asia/Vladivostok"


# --- the policy rule --------------------------------------------------------------------------


def message(at: datetime, language: str = "ru") -> MessageContext:
    return MessageContext(text="Не работает вход", language=language, received_at=at)


def test_off_hours_rule_flags_with_a_readable_reason(hours: SupportHours) -> None:
    rule: PolicyRule = OffHoursRule(hours)
    [flag] = rule.check(message(msk(2026, 1, 10, 22, 15)))
    assert flag.code == "off_hours"
    assert flag.reason == (
        "Получено в субботу, 10 января, 22:15 МСК — нерабочее время; "
        "специалист ответит в понедельник, 12 января, с 7:00 МСК"
    )
    [flag] = rule.check(message(datetime(2026, 1, 10, 19, 15, tzinfo=UTC), "en"))
    assert flag.reason == (
        "Received on Saturday, 10 January, 22:15 Moscow time — outside working hours; "
        "a specialist will reply on Monday, 12 January, from 7:00 Moscow time"
    )


def test_off_hours_rule_is_silent_in_working_time(hours: SupportHours) -> None:
    assert OffHoursRule(hours).check(message(msk(2026, 1, 12, 7))) == []
    assert OffHoursRule(hours).check(message(msk(2026, 4, 30, 15, 59))) == []


def test_off_hours_rule_on_a_shortened_day(hours: SupportHours) -> None:
    [flag] = OffHoursRule(hours).check(message(msk(2026, 4, 30, 16, 5)))
    assert flag.reason == (
        "Получено в четверг, 30 апреля, 16:05 МСК — нерабочее время; "
        "специалист ответит в понедельник, 4 мая, с 7:00 МСК"
    )
