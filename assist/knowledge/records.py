"""Knowledge records in the interchange formats of DESIGN.md, validated on the way in."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, ClassVar, Literal, get_args

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

RecordId = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=r"^\S+$")
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: RecordId

    # Fields that change a record without changing what retrieval reads (so no re-embedding).
    NOT_INDEXED: ClassVar[frozenset[str]] = frozenset()

    def content_hash(self) -> str:
        """Hash of everything but the id: an unchanged hash means nothing to write."""
        return self._hash(exclude={"id"})

    def index_hash(self) -> str:
        """Hash of what is embedded and ranked: an unchanged one means no re-embedding."""
        return self._hash(exclude={"id", *self.NOT_INDEXED})

    def _hash(self, exclude: set[str]) -> str:
        payload = json.dumps(self.model_dump(exclude=exclude), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


class FaqEntry(Record):
    question: ShortText
    answer: LongText
    alt_questions: tuple[ShortText, ...] = Field(default=(), max_length=50)
    tags: tuple[ShortText, ...] = Field(default=(), max_length=50)
    language: LanguageCode = "ru"


class BacklogTask(Record):
    title: ShortText
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)] = ""
    kind: Literal["bug", "feature"] = "bug"
    status: Literal["open", "in_progress", "done", "rejected"] = "open"
    watchers: tuple[ShortText, ...] = Field(default=(), max_length=10_000)

    NOT_INDEXED: ClassVar[frozenset[str]] = frozenset({"status", "watchers"})


FlagCode = Literal[
    "out_of_scope.roadmap_estimate",
    "out_of_scope.business_scenario",
    "out_of_scope.not_product",
    "conduct.rude",
    "conduct.ban_recommended",
    "support_feedback",
    "off_hours",
    "anomalous_load",
]
FLAG_CODES: tuple[str, ...] = get_args(FlagCode)


class EvalCase(Record):
    """One labelled user message for `assist eval`."""

    text: Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
    language: LanguageCode
    faq: RecordId | None = None
    backlog: RecordId | None = None
    flags: tuple[FlagCode, ...] = ()
    received_at: AwareDatetime | None = None
