"""Reply drafts from Jinja2 templates: sandboxed, strict, team-lead overrides first.

Templates live in `policy_prompts/<language>/<name>.j2`. An override folder with the same
layout wins file by file. Drafts are plain chat text, so nothing is HTML-escaped here;
whoever shows a draft in HTML escapes it there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
)
from jinja2.sandbox import SandboxedEnvironment

from assist.errors import AssistError
from assist.policy.reply_check import ReplyChecker, ReplyWarning
from policy_prompts import TEMPLATES_DIR


class TemplateFailed(AssistError):
    status, slug, title = 500, "template-failed", "A reply template failed to render"


@dataclass(frozen=True)
class Draft:
    template: str
    language: str
    text: str
    warnings: tuple[ReplyWarning, ...] = ()


class Drafter:
    def __init__(
        self,
        languages: Sequence[str],
        overrides: Path | None = None,
        checker: ReplyChecker | None = None,
    ) -> None:
        if not languages:
            raise ValueError("at least one language is needed")
        self.languages = list(languages)
        # Every draft is style-checked where it is made, whoever asks for it.
        self.checker = checker or ReplyChecker()
        loaders: list[BaseLoader] = [FileSystemLoader(str(TEMPLATES_DIR))]
        if overrides is not None:
            loaders.insert(0, FileSystemLoader(str(overrides)))
        self._env = SandboxedEnvironment(
            loader=ChoiceLoader(loaders),
            undefined=StrictUndefined,
            autoescape=False,
            keep_trailing_newline=False,
        )

    def render(self, name: str, language: str, **context: Any) -> Draft:
        """Render `name` in `language`, falling back to the first served language."""
        for lang in dict.fromkeys([language, self.languages[0]]):
            try:
                template = self._env.get_template(f"{lang}/{name}.j2")
            except TemplateNotFound:
                continue
            try:
                text = template.render(**context)
            except TemplateError as exc:
                raise TemplateFailed(f"Template {lang}/{name}.j2: {exc}") from exc
            text = text.strip()
            warnings = tuple(self.checker.check(text, lang))
            return Draft(template=name, language=lang, text=text, warnings=warnings)
        raise TemplateFailed(f"No template {name!r} for {language!r} or the fallback language")
