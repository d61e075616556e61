"""Template versions: validate a candidate, save it as a new version, roll back, diff.

The newest stored version of a template is the active one; a rollback saves an old body
again as the newest version, so the history only grows and every change is visible.
The drafter is told at once, so the next suggestion already uses what was saved.
"""

from __future__ import annotations

import difflib
import logging
from dataclasses import asdict, dataclass, field
from typing import Any

from jinja2 import TemplateSyntaxError, UndefinedError, meta, nodes
from jinja2.exceptions import SecurityError, TemplateError

from assist.drafting import Drafter
from assist.errors import InvalidInput, NotFound
from assist.storage.studio import TemplateStore, TemplateVersion
from assist.studio.catalog import TEMPLATE_NAMES, VARIABLES, sample_contexts

log = logging.getLogger(__name__)
MAX_TEMPLATE_CHARS = 20_000


@dataclass(frozen=True)
class Problem:
    kind: str  # syntax | undefined | sandbox | render | empty
    message: str
    line: int | None = None


@dataclass
class Validation:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "errors": [asdict(p) for p in self.errors],
            "warnings": self.warnings,
            "samples": self.samples,
        }


class TemplateStudio:
    def __init__(self, store: TemplateStore, drafter: Drafter, languages: list[str]) -> None:
        self.store = store
        self.drafter = drafter
        self.languages = languages
        self._stamp: str | None = None

    def check_known(self, name: str, language: str) -> None:
        if name not in TEMPLATE_NAMES or language not in self.languages:
            raise NotFound(f"No template {language}/{name}")

    def reload(self) -> bool:
        """Give the drafter the stored active versions if they changed; True when they did."""
        stamp = self.store.stamp()
        if stamp == self._stamp:
            return False
        active = self.store.active()
        self.drafter.use_stored({key: version.body for key, version in active.items()})
        self._stamp = stamp
        log.info("templates loaded", extra={"stored": len(active), "stamp": stamp})
        return True

    def validate(self, name: str, language: str, body: str) -> Validation:
        self.check_known(name, language)
        report = Validation()
        if len(body) > MAX_TEMPLATE_CHARS:
            report.errors.append(Problem("syntax", f"longer than {MAX_TEMPLATE_CHARS} characters"))
            return report
        env = self.drafter.environment
        try:
            tree = env.parse(body)
        except TemplateSyntaxError as exc:
            report.errors.append(Problem("syntax", exc.message or str(exc), exc.lineno))
            return report
        allowed = VARIABLES[name]
        for unknown in sorted(meta.find_undeclared_variables(tree) - allowed):
            offered = ", ".join(sorted(allowed)) or "none"
            report.errors.append(
                Problem("undefined", f"unknown variable '{unknown}' (available: {offered})")
            )
        report.errors.extend(_private_access(tree))
        if report.errors:
            return report
        # Render against every sample so that each branch a real draft can take is tried:
        # the sandbox and strict undefined only speak up on the path actually rendered.
        template = env.from_string(body)
        seen: set[tuple[str, str]] = set()
        for context in sample_contexts(name):
            try:
                text = template.render(**context).strip()
            except SecurityError as exc:
                report.errors.append(Problem("sandbox", str(exc)))
                break
            except UndefinedError as exc:
                report.errors.append(Problem("undefined", str(exc)))
                break
            except (TemplateError, ArithmeticError, TypeError, ValueError, LookupError) as exc:
                # Whatever a candidate raises while rendering (1/0, a bad filter argument)
                # would fail a real suggestion the same way: refuse it here.
                report.errors.append(Problem("render", f"{type(exc).__name__}: {exc}"))
                break
            if not text:
                report.errors.append(Problem("empty", "renders to an empty reply"))
                break
            report.samples.append(text)
            for warning in self.drafter.checker.check(text, language):
                if (warning.code, warning.message) not in seen:
                    seen.add((warning.code, warning.message))
                    report.warnings.append(asdict(warning) | {"sample": len(report.samples) - 1})
        return report

    def render_candidate(self, body: str, context: dict[str, Any]) -> str:
        return self.drafter.environment.from_string(body).render(**context).strip()

    def save(
        self, name: str, language: str, body: str, *, author: str, comment: str
    ) -> TemplateVersion:
        report = self.validate(name, language, body)
        if not report.ok:
            raise InvalidInput(
                f"Template {language}/{name} is not valid; nothing was saved",
                errors=[asdict(p) for p in report.errors],
            )
        version = self.store.save(name, language, body, author=author, comment=comment)
        self.reload()
        return version

    def rollback(self, name: str, language: str, to: int, *, author: str) -> TemplateVersion:
        """Make version `to` active again (0 is the packaged default) as a new version."""
        body = self.body_of(name, language, to)
        version = self.store.save(
            name, language, body, author=author, comment=f"rollback to version {to}"
        )
        self.reload()
        return version

    def history(self, name: str, language: str) -> list[TemplateVersion]:
        self.check_known(name, language)
        return self.store.versions(name, language)

    def body_of(self, name: str, language: str, version: int) -> str:
        self.check_known(name, language)
        if version == 0:
            return self.drafter.default_source(name, language)
        for stored in self.store.versions(name, language):
            if stored.version == version:
                return stored.body
        raise NotFound(f"Template {language}/{name} has no version {version}")


def diff_lines(old: str, new: str) -> list[dict[str, str]]:
    """Line diff for the studio: each line marked '+' (added), '-' (removed) or ' '."""
    out: list[dict[str, str]] = []
    a, b = old.splitlines(), new.splitlines()
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend({"op": " ", "text": line} for line in a[i1:i2])
            continue
        out.extend({"op": "-", "text": line} for line in a[i1:i2])
        out.extend({"op": "+", "text": line} for line in b[j1:j2])
    return out


def _private_access(tree: nodes.Template) -> list[Problem]:
    """Attribute or item names starting with '_' are how sandbox escapes begin; refuse
    them even in branches the samples never reach."""
    found: list[Problem] = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        name = node.attr if isinstance(node, nodes.Getattr) else _const(node.arg)  # type: ignore[attr-defined]
        if isinstance(name, str) and name.startswith("_"):
            found.append(
                Problem("sandbox", f"access to '{name}' is not allowed in templates", node.lineno)
            )
    return found


def _const(node: nodes.Node) -> object:
    return node.value if isinstance(node, nodes.Const) else None
