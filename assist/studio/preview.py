"""Live preview: a candidate template rendered for an example message, with the data a
real suggestion for that message would hand it."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from assist.pipeline import Assistant, IncomingMessage, Suggestion
from assist.replies import off_hours_context
from assist.studio.catalog import SAMPLE_FAQ, sample_contexts
from assist.studio.templates import TemplateStudio


def preview(
    studio: TemplateStudio,
    assistant: Assistant,
    *,
    name: str,
    language: str,
    body: str,
    text: str,
    received_at: datetime,
) -> dict[str, Any]:
    report = studio.validate(name, language, body)
    result = report.as_dict() | {"text": None}
    if not report.ok:
        return result
    # Not recorded and without user ids: a preview leaves no suggestion, strike or count.
    suggestion = assistant.suggest(
        IncomingMessage(text=text, received_at=received_at), record=False
    )
    rendered = studio.render_candidate(
        body, _context(name, language, suggestion, assistant, received_at)
    )
    checked = assistant.drafter.checker.check(rendered, language)
    return result | {
        "text": rendered,
        "warnings": [asdict(w) for w in checked],
        "flags": [f.code for f in suggestion.flags],
        "decision": suggestion.decision.kind,
    }


def _context(
    name: str, language: str, suggestion: Suggestion, assistant: Assistant, at: datetime
) -> dict[str, Any]:
    retrieval, decision = suggestion.retrieval, suggestion.decision
    if name == "answer":
        faq = decision.faq or (retrieval.faq[0] if retrieval.faq else None)
        return {"faq": faq.record if faq else SAMPLE_FAQ}
    if name == "attach":
        task = decision.task or (retrieval.backlog[0] if retrieval.backlog else None)
        return {"task": task.record} if task else sample_contexts("attach")[0]
    if name == "register":
        return {"task_id": "CONNECT-1234"}
    if name == "off_hours":
        return off_hours_context(assistant.hours, at, language)
    return {}
