"""Read record files (a JSON list or JSON Lines) with the line number of every problem.

All-or-nothing: either every record is valid and ids are unique, or `InvalidInput`
lists each bad record by line and nothing is returned to be written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TypeVar

from pydantic import ValidationError

from assist.errors import InvalidInput
from assist.knowledge.records import Record

R = TypeVar("R", bound=Record)
MAX_REPORTED_ERRORS = 50


def decode_utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInput(
            "File is not valid UTF-8", errors=[{"line": line, "message": str(exc)}]
        ) from exc


def parse_records(data: bytes | str, model: type[R]) -> list[R]:
    """Parse and validate a whole file; raise `InvalidInput` naming every bad line."""
    text = decode_utf8(data) if isinstance(data, bytes) else data
    items = list(_items_with_lines(text))
    return validate_items(items, model)


def validate_items(items: list[tuple[int, Any]], model: type[R]) -> list[R]:
    """Validate (line, object) pairs; errors name the record's position (`item`) and line."""
    records: list[R] = []
    errors: list[dict[str, Any]] = []
    first_seen: dict[str, tuple[int, int]] = {}
    for item, (line, obj) in enumerate(items, start=1):
        try:
            record = model.model_validate(obj)
        except ValidationError as exc:
            errors.extend(_describe(item, line, obj, exc))
            continue
        if record.id in first_seen:
            seen_item, seen_line = first_seen[record.id]
            errors.append(
                {
                    "item": item,
                    "line": line,
                    "id": record.id,
                    "message": f"duplicate id, first seen in record {seen_item} (line {seen_line})",
                }
            )
            continue
        first_seen[record.id] = (item, line)
        records.append(record)
    if errors:
        shown = errors[:MAX_REPORTED_ERRORS]
        bad = len({e["item"] for e in errors})
        raise InvalidInput(f"{bad} invalid record(s); nothing was written", errors=shown)
    return records


def _describe(item: int, line: int, obj: Any, exc: ValidationError) -> Iterator[dict[str, Any]]:
    record_id = obj.get("id") if isinstance(obj, dict) else None
    for err in exc.errors(include_url=False, include_input=False):
        field = ".".join(str(part) for part in err["loc"]) or "(record)"
        yield {"item": item, "line": line, "id": record_id, "field": field, "message": err["msg"]}


def _items_with_lines(text: str) -> Iterator[tuple[int, Any]]:
    stripped = text.lstrip()
    if stripped.startswith("["):
        yield from _json_array_items(text)
        return
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            yield number, json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InvalidInput(
                "Malformed JSON Lines; nothing was written",
                errors=[{"line": number, "message": exc.msg}],
            ) from exc


def _json_array_items(text: str) -> Iterator[tuple[int, Any]]:
    """Walk a top-level JSON array element by element to know where each one starts."""
    decoder = json.JSONDecoder()
    pos = _skip_ws(text, text.index("[") + 1)
    if pos < len(text) and text[pos] == "]":
        return
    while True:
        line = text.count("\n", 0, pos) + 1
        try:
            obj, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise InvalidInput(
                "Malformed JSON; nothing was written",
                errors=[{"line": exc.lineno, "message": exc.msg}],
            ) from exc
        yield line, obj
        pos = _skip_ws(text, pos)
        if pos < len(text) and text[pos] == ",":
            pos = _skip_ws(text, pos + 1)
            continue
        if pos < len(text) and text[pos] == "]":
            if text[pos + 1 :].strip():
                break
            return
        break
    raise InvalidInput(
        "Malformed JSON array; nothing was written",
        errors=[{"line": text.count("\n", 0, pos) + 1, "message": "expected ',' or ']'"}],
    )


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos
