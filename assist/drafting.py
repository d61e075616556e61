"""Reply drafts from Jinja2 templates: sandboxed, strict, team-lead overrides first.

Templates live in `policy_prompts/<language>/<name>.j2`. An override folder with the same
layout wins file by file, and the versions team leads save in the studio win over both.
Those are handed in by `use_stored` (kept in memory, so a suggestion never reads the
database for its templates) whenever a version is saved or another replica saved one.
Drafts are plain chat text, so nothing is HTML-escaped here; whoever shows a draft in HTML
escapes it there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemLoader,
    FunctionLoader,
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
        self._stored: dict[str, str] = {}
        self._defaults = FileSystemLoader(str(TEMPLATES_DIR))
        loaders: list[BaseLoader] = [self._defaults]
        if overrides is not None:
            loaders.insert(0, FileSystemLoader(str(overrides)))
        loaders.insert(0, FunctionLoader(self._stored.get))
        self._env = SandboxedEnvironment(
            loader=ChoiceLoader(loaders),
            undefined=StrictUndefined,
            autoescape=False,
            keep_trailing_newline=False,
        )

    def use_stored(self, bodies: Mapping[tuple[str, str], str]) -> None:
        """Make these (name, language) → body the active templates, replacing the last set."""
        fresh = {f"{language}/{name}.j2": body for (name, language), body in bodies.items()}
        # Swap the contents under the loader, then drop compiled templates that came from
        # any loader: a cached file template would otherwise shadow a newly stored one.
        self._stored.clear()
        self._stored.update(fresh)
        if self._env.cache is not None:
            self._env.cache.clear()

    def source(self, name: str, language: str) -> str:
        """The body `render` would use for exactly this language (not the fallback)."""
        return self._env.loader.get_source(self._env, f"{language}/{name}.j2")[0]  # type: ignore[union-attr]

    def default_source(self, name: str, language: str) -> str:
        """The packaged default, which the studio shows as version 0."""
        return self._defaults.get_source(self._env, f"{language}/{name}.j2")[0]

    @property
    def environment(self) -> SandboxedEnvironment:
        """The sandbox every template renders in; the studio validates candidates in it."""
        return self._env

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
