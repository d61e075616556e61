from __future__ import annotations

import json

import pytest

from assist.errors import InvalidInput
from assist.knowledge.formats import parse_records
from assist.knowledge.records import BacklogTask, EvalCase, FaqEntry

GOOD = {"id": "faq-1", "question": "Вопрос", "answer": "Ответ"}


def test_reads_json_lines_and_json_lists_alike() -> None:
    second = {**GOOD, "id": "faq-2", "alt_questions": ["Другой вопрос"]}
    lines = "\n".join(json.dumps(o, ensure_ascii=False) for o in (GOOD, second)) + "\n\n"
    listed = json.dumps([GOOD, second], ensure_ascii=False, indent=2)
    assert parse_records(lines.encode(), FaqEntry) == parse_records(listed.encode(), FaqEntry)
    assert parse_records(listed, FaqEntry)[1].alt_questions == ("Другой вопрос",)


def test_every_bad_record_is_reported_by_line() -> None:
    text = "\n".join(
        [
            json.dumps(GOOD),
            json.dumps({**GOOD, "id": "faq-2", "question": "   "}),
            json.dumps({**GOOD, "id": "faq-3", "colour": "red"}),
            json.dumps(GOOD),
        ]
    )
    with pytest.raises(InvalidInput) as caught:
        parse_records(text, FaqEntry)
    problems = {(e["line"], e.get("field")) for e in caught.value.errors}
    assert problems == {(2, "question"), (3, "colour"), (4, None)}
    assert "3 invalid record(s)" in caught.value.detail
    assert "duplicate id, first seen in record 1 (line 1)" in caught.value.errors[-1]["message"]


def test_line_numbers_inside_a_pretty_printed_list() -> None:
    text = json.dumps([GOOD, {**GOOD, "id": "faq-2", "answer": ""}], indent=2)
    with pytest.raises(InvalidInput) as caught:
        parse_records(text, FaqEntry)
    assert caught.value.errors[0]["line"] == text.splitlines().index("  {", 2) + 1


@pytest.mark.parametrize(
    "data",
    [b'{"id": "faq-1", "question": "q", "answer": "\xff"}', "[{,]", '{"id": "a"', "[1, 2"],
)
def test_malformed_files_are_rejected_whole(data: bytes | str) -> None:
    with pytest.raises(InvalidInput):
        parse_records(data, FaqEntry)


def test_backlog_and_cases_are_validated_too() -> None:
    task = {"id": "CONNECT-1", "title": "Ошибка", "kind": "idea"}
    with pytest.raises(InvalidInput) as caught:
        parse_records(json.dumps(task), BacklogTask)
    assert caught.value.errors[0]["field"] == "kind"
    case = {"id": "c1", "text": "чат", "language": "ru", "flags": ["conduct.rude"]}
    assert parse_records(json.dumps(case), EvalCase)[0].flags == ("conduct.rude",)
    with pytest.raises(InvalidInput):
        parse_records(json.dumps({**case, "flags": ["made.up"]}), EvalCase)


def test_content_hash_ignores_the_id_only() -> None:
    a = FaqEntry(id="a", question="q", answer="x")
    assert a.content_hash() == FaqEntry(id="b", question="q", answer="x").content_hash()
    assert a.content_hash() != FaqEntry(id="a", question="q", answer="y").content_hash()
