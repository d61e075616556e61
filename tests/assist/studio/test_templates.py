from __future__ import annotations

from pathlib import Path

import pytest

from assist.drafting import Drafter
from assist.errors import InvalidInput, NotFound
from assist.storage.sql import SqlStore
from assist.studio.templates import TemplateStudio, diff_lines


@pytest.fixture
def studio(tmp_path: Path) -> TemplateStudio:
    store = SqlStore(f"sqlite:///{tmp_path / 'studio.db'}")
    return TemplateStudio(store.templates, Drafter(["ru", "en"]), ["ru", "en"])


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("{% if %}", "syntax"),
        ("{{ task.id }} {{ secret }}", "undefined"),
        ("{{ task.__class__ }}", "sandbox"),
        ("{{ task['_private'] }}", "sandbox"),
        ("{{ task.missing_field }}", "undefined"),
        ("{{ '{0.__class__}'.format(task) }}", "sandbox"),
        ("{% if task.id == 'x' %}text{% endif %}", "empty"),
        ("{{ 1 / 0 }}", "render"),
        ("x" * 20_001, "syntax"),
    ],
)
def test_invalid_templates_are_refused_before_saving(
    studio: TemplateStudio, body: str, kind: str
) -> None:
    report = studio.validate("attach", "ru", body)
    assert not report.ok
    assert report.errors[0].kind == kind, report.errors
    with pytest.raises(InvalidInput):
        studio.save("attach", "ru", body, author="lead", comment="")


def test_every_branch_is_rendered_and_style_checked(studio: TemplateStudio) -> None:
    report = studio.validate(
        "attach", "ru", "{{ task.id }}{% if task.status == 'done' %} скоро сделаем{% endif %}"
    )
    assert report.ok
    assert len(report.samples) == 8  # four statuses × two kinds
    assert [w["code"] for w in report.warnings] == ["promise"]


def test_save_activates_at_once_and_rollback_restores(studio: TemplateStudio) -> None:
    drafter = studio.drafter
    default = drafter.render("register", "ru", task_id="C-1").text
    first = studio.save("register", "ru", "Первая {{ task_id }}", author="lead", comment="1")
    assert first.version == 1
    assert drafter.render("register", "ru", task_id="C-1").text == "Первая C-1"
    studio.save("register", "ru", "Вторая {{ task_id }}", author="lead", comment="2")
    assert drafter.render("register", "ru", task_id="C-1").text == "Вторая C-1"
    back = studio.rollback("register", "ru", 1, author="lead")
    assert (back.version, back.comment) == (3, "rollback to version 1")
    assert drafter.render("register", "ru", task_id="C-1").text == "Первая C-1"
    studio.rollback("register", "ru", 0, author="lead")
    assert drafter.render("register", "ru", task_id="C-1").text == default
    assert [v.version for v in studio.history("register", "ru")] == [4, 3, 2, 1]
    assert studio.reload() is False  # nothing new since the last save
    with pytest.raises(NotFound):
        studio.body_of("register", "ru", 99)
    with pytest.raises(NotFound):
        studio.validate("nonsense", "ru", "x")


def test_another_replica_sees_saved_versions_on_reload(
    studio: TemplateStudio, tmp_path: Path
) -> None:
    other = TemplateStudio(
        SqlStore(f"sqlite:///{tmp_path / 'studio.db'}").templates, Drafter(["ru"]), ["ru"]
    )
    other.reload()
    studio.save("conduct_end", "ru", "Прекращаю разговор.", author="lead", comment="")
    assert other.reload() is True
    assert other.drafter.render("conduct_end", "ru").text == "Прекращаю разговор."


def test_diff_marks_added_and_removed_lines() -> None:
    assert diff_lines("a\nb\nc", "a\nB\nc") == [
        {"op": " ", "text": "a"},
        {"op": "-", "text": "b"},
        {"op": "+", "text": "B"},
        {"op": " ", "text": "c"},
    ]
